package io.sluice.jepsen.report.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault on the timeline, read from the history's nemesis entries: from its start (or skip)
 * to its heal, or to the end of the history if it never healed. Immutable.
 *
 * @param id      the planned fault's number (0: the final heal of everything)
 * @param fault   its kind
 * @param target  target or partition shape
 * @param nodes   the nodes it hit
 * @param startS  seconds since the run's start
 * @param endS    when it healed
 * @param skipped whether this machine could not inject it
 * @param error   why a step failed, or why it was skipped; null if none
 * @param detail  what the start did, in words: amount, cuts, and its detail as JSON (shortened)
 */
public record FaultBar(int id, String fault, String target, List<Integer> nodes, double startS, double endS,
        boolean skipped, String error, String detail) {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final int DETAIL_CHARS = 240;

    public FaultBar {
        nodes = List.copyOf(nodes);
    }

    /** A short label: {@code #3 majorities-ring [1, 2]}. */
    public String label() {
        return "#" + id + " " + target + (nodes.isEmpty() ? "" : " " + nodes) + (skipped ? " (skipped)" : "");
    }

    /** Reads the bars of every fault in the history, in order of their start; and the end of the history. */
    public static List<FaultBar> read(List<Op> history, double endS) {
        Map<Integer, FaultBar> open = new LinkedHashMap<>();
        List<FaultBar> bars = new ArrayList<>();
        for (Op op : history) {
            if (!NemesisOps.isNemesis(op)) {
                continue;
            }
            JsonNode value = op.value();
            int id = value.path("id").asInt();
            String action = value.path("action").asText();
            double at = op.timeNs() / NANOS_PER_SECOND;
            if (id == 0) {
                continue;
            }
            if (action.equals(NemesisOps.START) || action.equals(NemesisOps.SKIP)) {
                FaultBar bar = new FaultBar(id, value.path("fault").asText(), value.path("target").asText(),
                        nodes(value), at, action.equals(NemesisOps.SKIP) ? at : endS,
                        action.equals(NemesisOps.SKIP), op.error(), describe(value));
                bars.add(bar);
                if (!bar.skipped()) {
                    open.put(id, bar);
                }
            } else if (action.equals(NemesisOps.HEAL) && open.containsKey(id)) {
                FaultBar started = open.remove(id);
                FaultBar healed = new FaultBar(id, started.fault(), started.target(), started.nodes(),
                        started.startS(), at, false, started.error() != null ? started.error() : op.error(),
                        started.detail());
                bars.set(bars.indexOf(started), healed);
            }
        }
        return bars;
    }

    /** Seconds at which everything was healed (the final phase), from nemesis entries with id 0. */
    public static List<Double> finalHeals(List<Op> history) {
        List<Double> times = new ArrayList<>();
        for (Op op : history) {
            if (NemesisOps.isNemesis(op) && op.value().path("id").asInt() == 0) {
                times.add(op.timeNs() / NANOS_PER_SECOND);
            }
        }
        return times;
    }

    /** Amount with its unit, cuts as arrows, and the start's detail, shortened. */
    private static String describe(JsonNode value) {
        List<String> parts = new ArrayList<>();
        long amount = value.path("amount").asLong();
        if (amount != 0) {
            String unit = switch (value.path("fault").asText()) {
                case "clock" -> " ms clock offset";
                case "loss" -> " % loss";
                case "delay" -> " ms delay";
                case "bitflip" -> " bits";
                default -> "";
            };
            parts.add(amount + unit);
        }
        List<String> cuts = new ArrayList<>();
        value.path("cuts").forEach(c -> cuts.add(c.path(0).asInt() + "→" + c.path(1).asInt()));
        if (!cuts.isEmpty()) {
            parts.add("cuts " + String.join(" ", cuts));
        }
        if (value.path("leadersUnknown").isTextual()) {
            parts.add(value.path("leadersUnknown").asText());
        }
        JsonNode detail = value.path("detail");
        if (detail.isObject() && !detail.isEmpty()) {
            String text = detail.toString();
            parts.add(text.length() <= DETAIL_CHARS ? text : text.substring(0, DETAIL_CHARS) + "…");
        }
        return String.join("; ", parts);
    }

    private static List<Integer> nodes(JsonNode value) {
        List<Integer> nodes = new ArrayList<>();
        value.path("nodes").forEach(n -> nodes.add(n.asInt()));
        return nodes;
    }
}
