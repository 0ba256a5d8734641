package io.sluice.broker.log;

import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simplest log that could work: a list of stored batches, a start and an end offset, and an epoch
 * map. Model-based tests run the same operations on it and on a real log and compare every answer.
 */
final class LogModel {
    private final List<byte[]> batches = new ArrayList<>();
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();
    long start;
    long end;

    /** Appends a batch exactly as the log stored it. */
    void append(byte[] stored) {
        RecordBatch view = RecordBatch.wrap(stored);
        if (view.baseOffset() != end) {
            throw new IllegalStateException("model append at " + view.baseOffset() + " but end is " + end);
        }
        batches.add(stored);
        if (epochs.isEmpty() || view.partitionLeaderEpoch() > epochs.lastKey()) {
            epochs.put(view.partitionLeaderEpoch(), view.baseOffset());
        }
        end = view.nextOffset();
    }

    int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
    }

    /** The bytes a read must return, or null when the offset is out of range. */
    byte[] read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
        if (offset < start || offset > end) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] batch : batches) {
            RecordBatch view = RecordBatch.wrap(batch);
            if (view.lastOffset() < offset) {
                continue;
            }
            if (view.lastOffset() >= maxOffset || out.size() + batch.length > maxBytes && !(out.size() == 0
                    && minOneBatch)) {
                break;
            }
            out.writeBytes(batch);
        }
        return out.toByteArray();
    }

    void truncateTo(long offset) {
        if (offset >= end) {
            return;
        }
        while (!batches.isEmpty() && RecordBatch.wrap(batches.get(batches.size() - 1)).lastOffset() >= offset) {
            batches.remove(batches.size() - 1);
        }
        end = batches.isEmpty() ? start : Math.max(start, RecordBatch.wrap(batches.get(batches.size() - 1))
                .nextOffset());
        epochs.values().removeIf(s -> s >= end);
    }

    void truncateFullyAndStartAt(long offset) {
        batches.clear();
        epochs.clear();
        start = offset;
        end = offset;
    }

    long deleteRecordsBefore(long offset) {
        long target = Math.min(offset, end);
        if (target > start) {
            moveStart(target);
        }
        return start;
    }

    /** Moves the start to {@code offset} (a log's retention did), dropping batches wholly below it. */
    void moveStart(long offset) {
        start = offset;
        batches.removeIf(b -> RecordBatch.wrap(b).lastOffset() < offset);
        // The epoch in effect at the new start now starts there; older entries go (Kafka does the same).
        Integer inEffect = null;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= offset) {
                inEffect = e.getKey();
            }
        }
        epochs.values().removeIf(s -> s <= offset);
        if (inEffect != null && offset < end) {
            epochs.put(inEffect, offset);
        }
    }

    Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        Map.Entry<Integer, Long> floor = epochs.floorEntry(epoch);
        if (floor == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, Long> next = epochs.higherEntry(floor.getKey());
        return Optional.of(new EpochEndOffset(floor.getKey(), next == null ? end : next.getValue()));
    }

    Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        for (byte[] batch : batches) {
            RecordBatch view = RecordBatch.wrap(batch);
            for (Record record : view.records()) {
                if (record.offset() >= start && record.timestampMs() >= timestampMs) {
                    return Optional.of(new TimestampOffset(record.offset(), record.timestampMs(),
                            view.partitionLeaderEpoch()));
                }
            }
        }
        return Optional.empty();
    }
}
