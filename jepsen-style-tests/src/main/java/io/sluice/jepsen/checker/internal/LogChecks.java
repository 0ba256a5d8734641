package io.sluice.jepsen.checker.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.TopicPartition;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The checks on what the log held, independent of who read it: lost-write, unseen, duplicate,
 * inconsistent-offsets, aborted-read and phantom-read. Evidence is every acknowledgement (an ok
 * send's partition and offset) and every record an ok poll returned. Not thread-safe.
 */
public final class LogChecks {
    /** Where a value was seen, and by which history entry first. */
    private record Position(TopicPartition partition, long offset) {
    }

    private record Sighting(String source, long index) {
    }

    private final ParsedHistory history;
    private final Findings findings;
    /** Partition, then offset, then each value seen there with its first sighting. */
    private final SortedMap<TopicPartition, TreeMap<Long, Map<String, Sighting>>> log = new TreeMap<>();
    /** Value, then each position it was seen at with its first sighting, in order of first appearance. */
    private final Map<String, Map<Position, Sighting>> positions = new LinkedHashMap<>();
    private final Map<TopicPartition, Read> highestRead = new TreeMap<>();
    private final Set<String> readValues = new HashSet<>();

    public LogChecks(ParsedHistory history, Findings findings) {
        this.history = history;
        this.findings = findings;
        for (Send send : history.sends()) {
            if (send.isOk()) {
                observe(send.value(), send.partition(), send.offset(), new Sighting("ack", send.completionIndex()));
            }
        }
        for (Read read : history.reads()) {
            observe(read.value(), read.partition(), read.offset(), new Sighting("read", read.index()));
            readValues.add(read.value());
            highestRead.merge(read.partition(), read, (a, b) -> b.offset() > a.offset() ? b : a);
        }
    }

    private void observe(String value, TopicPartition partition, long offset, Sighting sighting) {
        log.computeIfAbsent(partition, p -> new TreeMap<>()).computeIfAbsent(offset, o -> new LinkedHashMap<>())
                .putIfAbsent(value, sighting);
        positions.computeIfAbsent(value, v -> new LinkedHashMap<>())
                .putIfAbsent(new Position(partition, offset), sighting);
    }

    /** The offsets known to exist in a partition: acknowledged or read. */
    public NavigableSet<Long> knownOffsets(TopicPartition partition) {
        TreeMap<Long, Map<String, Sighting>> offsets = log.get(partition);
        return offsets == null ? Collections.emptyNavigableSet() : offsets.navigableKeySet();
    }

    /** Runs every check of this family. */
    public void run() {
        checkInconsistentOffsets();
        checkDuplicates();
        checkReadsHaveGoodWriters();
        checkAcknowledgedWereRead();
    }

    private void checkInconsistentOffsets() {
        log.forEach((partition, offsets) -> offsets.forEach((offset, values) -> {
            if (values.size() > 1) {
                ObjectNode example = Findings.example();
                example.put("partition", partition.toString());
                example.put("offset", offset);
                ArrayNode seen = example.putArray("values");
                values.forEach((value, sighting) -> seen.addObject().put("value", value)
                        .put("source", sighting.source()).put("index", sighting.index()));
                findings.report(AnomalyKind.INCONSISTENT_OFFSETS, example);
            }
        }));
    }

    private void checkDuplicates() {
        positions.forEach((value, where) -> {
            if (where.size() > 1) {
                ObjectNode example = Findings.example();
                example.put("value", value);
                ArrayNode seen = example.putArray("positions");
                where.forEach((position, sighting) -> seen.addObject()
                        .put("partition", position.partition().toString()).put("offset", position.offset())
                        .put("source", sighting.source()).put("index", sighting.index()));
                findings.report(AnomalyKind.DUPLICATE, example);
            }
        });
    }

    private void checkReadsHaveGoodWriters() {
        Set<String> reported = new HashSet<>();
        for (Read read : history.reads()) {
            Send send = history.sendByValue().get(read.value());
            boolean aborted = send != null && send.outcome() == OpType.FAIL;
            if ((send == null || aborted) && reported.add(read.value())) {
                ObjectNode example = Findings.example(read.value(), read.partition(), read.offset());
                example.put("readIndex", read.index());
                example.put("readProcess", read.process());
                if (aborted) {
                    example.put("sendIndex", send.completionIndex());
                }
                findings.report(aborted ? AnomalyKind.ABORTED_READ : AnomalyKind.PHANTOM_READ, example);
            }
        }
    }

    private void checkAcknowledgedWereRead() {
        for (Send send : history.sends()) {
            if (!send.isOk() || readValues.contains(send.value())) {
                continue;
            }
            Read highest = highestRead.get(send.partition());
            boolean passed = highest != null && highest.offset() >= send.offset();
            ObjectNode example = Findings.example(send.value(), send.partition(), send.offset());
            example.put("sendIndex", send.completionIndex());
            example.put("process", send.process());
            if (highest == null) {
                example.putNull("highestReadOffset");
            } else {
                example.put("highestReadOffset", highest.offset());
                example.put("highestReadIndex", highest.index());
            }
            findings.report(passed ? AnomalyKind.LOST_WRITE : AnomalyKind.UNSEEN, example);
        }
    }
}
