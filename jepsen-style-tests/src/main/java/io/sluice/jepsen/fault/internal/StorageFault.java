package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.fault.Fault;
import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.fault.StorageFaults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Storage damage on stopped nodes: SIGKILL (so nothing is flushed or cleaned up on the way out),
 * then {@link StorageFaults} on each node's data directory and, as the machine crash that comes with
 * such damage, {@link StorageFaults#simulateMachineRestart}; healed by starting the nodes again. A
 * node holding the last in-sync copy of a partition is killed but neither damaged nor given a
 * machine restart ({@link LastCopies}).
 * When a node has no segment with data yet the history says so. Not thread-safe.
 */
final class StorageFault implements Fault {
    private final FaultKind kind;
    private final List<Integer> nodes;
    private final int bits;
    private final SplittableRandom random;
    private final ClusterLauncher cluster;
    private final LastCopies lastCopies;

    StorageFault(FaultKind kind, List<Integer> nodes, int bits, SplittableRandom random, ClusterLauncher cluster,
            LastCopies lastCopies) {
        this.kind = kind;
        this.nodes = List.copyOf(nodes);
        this.bits = bits;
        this.random = random;
        this.cluster = cluster;
        this.lastCopies = lastCopies;
    }

    @Override
    public ObjectNode start() throws IOException, InterruptedException {
        cluster.kill(nodes);
        ObjectNode done = Faults.object();
        Set<Integer> spared = lastCopies.spared(nodes, done);
        ObjectNode byNode = done.putObject("damage");
        for (int node : nodes) {
            if (spared.contains(node)) {
                continue;
            }
            Path data = cluster.node(node).dataDir();
            ArrayNode damage = byNode.putArray(Integer.toString(node));
            switch (kind) {
                case TRUNCATE -> StorageFaults.truncateTail(data, random).ifPresent(d -> damage.add(d.toJson(data)));
                case BITFLIP -> StorageFaults.flipBits(data, Math.max(1, bits), random)
                        .ifPresent(d -> damage.add(d.toJson(data)));
                case LOSE_UNFLUSHED -> StorageFaults.loseUnflushed(data, random)
                        .forEach(d -> damage.add(d.toJson(data)));
                default -> throw new IllegalStateException(kind + " is not a storage fault");
            }
            if (damage.isEmpty()) {
                done.withArray("untouched").add(node);
            }
            StorageFaults.simulateMachineRestart(data).forEach(done.withObjectProperty("machineRestart")
                    .withArray(Integer.toString(node))::add);
        }
        if (done.has("untouched")) {
            done.put("note", "nodes listed as untouched had no segment file with data");
        }
        return done;
    }

    @Override
    public ObjectNode heal() throws IOException {
        cluster.start(nodes);
        return Faults.object();
    }
}
