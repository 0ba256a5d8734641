package io.sluice.jepsen.report.internal;

import io.sluice.jepsen.history.OpType;
import java.util.List;
import java.util.Map;

/** The report's colours: one per fault kind, per outcome, and a cycle for operation names. Stateless. */
public final class Palette {
    private static final Map<String, String> FAULTS = Map.ofEntries(Map.entry("kill", "#d62728"),
            Map.entry("pause", "#9467bd"), Map.entry("partition", "#1f77b4"), Map.entry("loss", "#17becf"),
            Map.entry("delay", "#bcbd22"), Map.entry("clock", "#8c564b"), Map.entry("truncate", "#e377c2"),
            Map.entry("bitflip", "#ff7f0e"), Map.entry("lose-unflushed", "#7f7f7f"),
            Map.entry("membership", "#2ca02c"));
    private static final List<String> SERIES = List.of("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f");

    private Palette() {
    }

    /** The colour of a fault kind. */
    public static String fault(String kind) {
        return FAULTS.getOrDefault(kind, "#555555");
    }

    /** Green for ok, red for fail, orange for info. */
    public static String outcome(OpType type) {
        return switch (type) {
            case OK -> "#2ca02c";
            case FAIL -> "#d62728";
            case INFO -> "#ff9f1c";
            default -> "#555555";
        };
    }

    /** The i-th colour of the series cycle. */
    public static String series(int index) {
        return SERIES.get(Math.floorMod(index, SERIES.size()));
    }
}
