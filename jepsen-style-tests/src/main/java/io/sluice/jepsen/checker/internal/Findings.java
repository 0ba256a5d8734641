package io.sluice.jepsen.checker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.checker.AnomalyReport;
import io.sluice.jepsen.history.TopicPartition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the instances of each anomaly kind and keeps the first {@link AnomalyReport#MAX_EXAMPLES}
 * of each as evidence. Not thread-safe.
 */
public final class Findings {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<AnomalyKind, Long> counts = new EnumMap<>(AnomalyKind.class);
    private final Map<AnomalyKind, List<JsonNode>> examples = new EnumMap<>(AnomalyKind.class);

    /** A fresh JSON object to describe an instance with. */
    public static ObjectNode example() {
        return NODES.objectNode();
    }

    /** A fresh JSON object naming a value and where it was. */
    public static ObjectNode example(String value, TopicPartition partition, long offset) {
        ObjectNode example = example();
        example.put("value", value);
        example.put("partition", partition.toString());
        example.put("offset", offset);
        return example;
    }

    /** Counts one instance of a kind, keeping its example while there is room. */
    public void report(AnomalyKind kind, ObjectNode example) {
        counts.merge(kind, 1L, Long::sum);
        List<JsonNode> kept = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (kept.size() < AnomalyReport.MAX_EXAMPLES) {
            kept.add(example);
        }
    }

    /** One report per kind, zero counts included, in the kinds' declaration order. */
    public Map<AnomalyKind, AnomalyReport> reports() {
        Map<AnomalyKind, AnomalyReport> reports = new EnumMap<>(AnomalyKind.class);
        for (AnomalyKind kind : AnomalyKind.values()) {
            reports.put(kind, new AnomalyReport(kind, counts.getOrDefault(kind, 0L),
                    examples.getOrDefault(kind, List.of())));
        }
        return reports;
    }
}
