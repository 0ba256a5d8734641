package io.sluice.jepsen.checker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker's verdict on one history: a report per anomaly kind, availability, and a summary of
 * what the history held. Immutable. {@link #toJson()} gives the form written next to a run's
 * history ({@code docs/chaos.md}, "Checker", shows it).
 */
public final class CheckResult {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<AnomalyKind, AnomalyReport> anomalies;
    private final Availability availability;
    private final Summary summary;

    /**
     * What the history held.
     *
     * @param entries       history entries
     * @param sendsOk       sends acknowledged
     * @param sendsFailed   sends that definitely failed
     * @param sendsUnknown  sends whose outcome is unknown (info, or never completed)
     * @param recordsRead   records returned by ok polls, re-reads included
     * @param finalPolls    ok polls marked final (the reads after healing)
     * @param partitions    every partition acknowledged or read, in order
     */
    public record Summary(int entries, long sendsOk, long sendsFailed, long sendsUnknown, long recordsRead,
            int finalPolls, List<String> partitions) {
        public Summary {
            partitions = List.copyOf(partitions);
        }
    }

    public CheckResult(Map<AnomalyKind, AnomalyReport> anomalies, Availability availability, Summary summary) {
        EnumMap<AnomalyKind, AnomalyReport> all = new EnumMap<>(AnomalyKind.class);
        for (AnomalyKind kind : AnomalyKind.values()) {
            all.put(kind, anomalies.getOrDefault(kind, new AnomalyReport(kind, 0, List.of())));
        }
        this.anomalies = Collections.unmodifiableMap(all);
        this.availability = availability;
        this.summary = summary;
    }

    /** Whether no anomaly of any kind was found. */
    public boolean valid() {
        return found().isEmpty();
    }

    /** The kinds found at least once. */
    public Set<AnomalyKind> found() {
        Set<AnomalyKind> found = EnumSet.noneOf(AnomalyKind.class);
        anomalies.forEach((kind, report) -> {
            if (report.count() > 0) {
                found.add(kind);
            }
        });
        return found;
    }

    /** The report of one kind (count 0 and no examples when not found). */
    public AnomalyReport anomaly(AnomalyKind kind) {
        return anomalies.get(kind);
    }

    public Availability availability() {
        return availability;
    }

    public Summary summary() {
        return summary;
    }

    /** The result as a JSON object: valid, found, anomalies, availability, summary. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("valid", valid());
        ArrayNode found = root.putArray("found");
        found().forEach(kind -> found.add(kind.wireName()));
        ObjectNode byKind = root.putObject("anomalies");
        anomalies.forEach((kind, report) -> {
            ObjectNode node = byKind.putObject(kind.wireName());
            node.put("count", report.count());
            node.putArray("examples").addAll(report.examples());
        });
        ObjectNode available = root.putObject("availability");
        ObjectNode byF = available.putObject("byF");
        availability.byF().forEach((f, outcomes) -> byF.putObject(f).put("ok", outcomes.ok())
                .put("fail", outcomes.fail()).put("info", outcomes.info()).put("okShare", outcomes.okShare()));
        available.put("longestNoSendMs", availability.longestNoSendMs());
        available.put("noSendFromMs", availability.noSendFromMs());
        available.put("noSendToMs", availability.noSendToMs());
        root.set("summary", JSON.valueToTree(summary));
        return root;
    }

    /** The JSON, indented. */
    public String toJsonString() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /** Writes the JSON to a file, replacing it. */
    public void writeTo(Path file) {
        try {
            Files.writeString(file, toJsonString() + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the check result to " + file, e);
        }
    }

    @Override
    public String toString() {
        return "CheckResult[valid=" + valid() + ", found=" + found() + "]";
    }
}
