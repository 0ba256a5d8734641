package io.sluice.jepsen.fault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.net.Cut;
import java.util.List;
import java.util.Objects;

/**
 * One fault as the schedule plans it: what, when (milliseconds since the run's start), and on
 * what. Everything random about it is decided here, from the schedule's seed, so a replay does
 * the same; only the current leaders ({@code target} {@code leaders}) are learnt when it starts.
 * Immutable.
 *
 * @param id      1-based number in the schedule
 * @param kind    the fault
 * @param startMs when it starts
 * @param healMs  when it heals (the final phase heals what is still active at the time limit)
 * @param target  a {@link Target} for node faults, a {@link PartitionShape} for partitions
 * @param nodes   the nodes it hits (partitions: the node order the shape was cut from); empty for
 *                {@code leaders}
 * @param cuts    for partitions, the cuts (empty for the {@code leaders} shape)
 * @param amount  loss percent, delay ms, clock offset ms, or bits to flip; 0 otherwise
 * @param seed    for what the fault chooses when it runs (which segment, which bits, a random
 *                stand-in for unknown leaders)
 */
public record PlannedFault(int id, FaultKind kind, long startMs, long healMs, String target, List<Integer> nodes,
        List<Cut> cuts, long amount, long seed) {
    public PlannedFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        nodes = List.copyOf(nodes);
        cuts = List.copyOf(cuts);
        if (healMs < startMs || startMs < 0) {
            throw new IllegalArgumentException("fault " + id + " heals before it starts");
        }
        if (!kind.targets().contains(target)) {
            throw new IllegalArgumentException(kind.wireName() + " cannot take target " + target);
        }
    }

    /** The fault as JSON: the schedule's file and the history's nemesis entries use this. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("fault", kind.wireName());
        node.put("startMs", startMs);
        node.put("healMs", healMs);
        node.put("target", target);
        ArrayNode nodeIds = node.putArray("nodes");
        nodes.forEach(nodeIds::add);
        node.set("cuts", cutsJson(cuts));
        node.put("amount", amount);
        node.put("seed", seed);
        return node;
    }

    /** Cuts as {@code [[from, to], ...]}. */
    public static ArrayNode cutsJson(List<Cut> cuts) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        cuts.forEach(cut -> array.addArray().add(cut.from()).add(cut.to()));
        return array;
    }

    /** One line for logs: {@code #3 partition majorities-ring [2, 5, 1, 4, 3] at 12.0-31.5 s}. */
    public String describe() {
        return "#" + id + " " + kind.wireName() + " " + target + (nodes.isEmpty() ? "" : " " + nodes)
                + (amount != 0 ? " amount " + amount : "") + " at " + startMs / 1000.0 + "-" + healMs / 1000.0 + " s";
    }
}
