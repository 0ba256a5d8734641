package io.sluice.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What the checker found of one anomaly kind.
 *
 * @param kind     the anomaly
 * @param count    how many instances (values, positions or pairs of reads, per kind), from 0
 * @param examples the first instances in history order, at most {@link #MAX_EXAMPLES}, each a JSON
 *                 object naming values, offsets and the indices of the history entries involved
 */
public record AnomalyReport(AnomalyKind kind, long count, List<JsonNode> examples) {
    /** How many examples a report keeps. */
    public static final int MAX_EXAMPLES = 10;

    public AnomalyReport {
        Objects.requireNonNull(kind, "kind");
        examples = List.copyOf(examples);
        if (count < examples.size() || examples.size() > MAX_EXAMPLES) {
            throw new IllegalArgumentException(kind + ": " + count + " instances, " + examples.size() + " examples");
        }
    }
}
