package io.sluice.client.testing;

import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The data of a one-node fake broker: topics with configs, partition logs of whole batches (offsets
 * stamped on append), log start offsets, and committed group offsets. Every method is synchronized;
 * appends wake fetches waiting for data.
 */
public final class FakeBrokerState {
    /** A stored batch. */
    record Stored(long baseOffset, long nextOffset, byte[] bytes, List<Long> timestamps) {
    }

    /** A topic. */
    record Topic(String id, int partitions, Map<String, String> configs) {
    }

    private final Map<String, Topic> topics = new TreeMap<>();
    private final Map<TopicPartition, List<Stored>> logs = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> logStart = new LinkedHashMap<>();
    private final Map<String, Map<TopicPartition, Long>> committed = new TreeMap<>();

    /** Creates a topic; returns the error, or NONE. */
    public synchronized ErrorCode createTopic(String name, int partitions, Map<String, String> configs) {
        if (name.isEmpty() || !name.matches("[a-zA-Z0-9._-]+")) {
            return ErrorCode.ERROR_CODE_INVALID_TOPIC;
        }
        if (topics.containsKey(name)) {
            return ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS;
        }
        if (partitions <= 0) {
            return ErrorCode.ERROR_CODE_INVALID_PARTITIONS;
        }
        topics.put(name, new Topic(UUID.randomUUID().toString(), partitions, new TreeMap<>(configs)));
        return ErrorCode.ERROR_CODE_NONE;
    }

    public synchronized boolean deleteTopic(String name) {
        if (topics.remove(name) == null) {
            return false;
        }
        logs.keySet().removeIf(tp -> tp.topic().equals(name));
        return true;
    }

    public synchronized ErrorCode addPartitions(String name, int total) {
        Topic t = topics.get(name);
        if (t == null) {
            return ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (total <= t.partitions()) {
            return ErrorCode.ERROR_CODE_INVALID_PARTITIONS;
        }
        topics.put(name, new Topic(t.id(), total, t.configs()));
        return ErrorCode.ERROR_CODE_NONE;
    }

    public synchronized Map<String, Topic> topics() {
        return new TreeMap<>(topics);
    }

    public synchronized Topic topic(String name) {
        return topics.get(name);
    }

    public synchronized boolean exists(TopicPartition tp) {
        Topic t = topics.get(tp.topic());
        return t != null && tp.partition() < t.partitions();
    }

    /** Appends a batch; returns its base offset. */
    public synchronized long append(TopicPartition tp, ByteBuffer batch) {
        List<Stored> log = logs.computeIfAbsent(tp, k -> new ArrayList<>());
        long base = endOffset(tp);
        RecordBatch view = RecordBatch.wrap(batch.duplicate());
        view.validate(Integer.MAX_VALUE);
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining());
        copy.put(batch.duplicate()).flip();
        RecordBatch.stampOffsetAndEpoch(copy, base, 0);
        List<Long> timestamps = new ArrayList<>();
        for (Record r : RecordBatch.wrap(copy.duplicate()).records()) {
            timestamps.add(r.timestampMs());
        }
        log.add(new Stored(base, base + view.recordCount(), copy.array(), timestamps));
        notifyAll();
        return base;
    }

    public synchronized long endOffset(TopicPartition tp) {
        List<Stored> log = logs.getOrDefault(tp, List.of());
        return log.isEmpty() ? logStart.getOrDefault(tp, 0L) : log.get(log.size() - 1).nextOffset();
    }

    public synchronized long startOffset(TopicPartition tp) {
        return logStart.getOrDefault(tp, 0L);
    }

    /** Batches holding offsets from {@code offset}, whole, up to about {@code maxBytes}; waits up to {@code waitMs}. */
    public synchronized byte[] read(TopicPartition tp, long offset, int maxBytes, long waitMs)
            throws InterruptedException {
        if (endOffset(tp) <= offset && waitMs > 0) {
            wait(waitMs);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Stored s : logs.getOrDefault(tp, List.of())) {
            if (s.nextOffset() > offset && (out.size() == 0 || out.size() + s.bytes().length <= maxBytes)) {
                out.writeBytes(s.bytes());
            }
        }
        return out.toByteArray();
    }

    /** The first offset with a timestamp at or after {@code timestampMs}, or -1. */
    public synchronized long offsetForTime(TopicPartition tp, long timestampMs) {
        for (Stored s : logs.getOrDefault(tp, List.of())) {
            for (int i = 0; i < s.timestamps().size(); i++) {
                if (s.timestamps().get(i) >= timestampMs && s.baseOffset() + i >= startOffset(tp)) {
                    return s.baseOffset() + i;
                }
            }
        }
        return -1;
    }

    public synchronized long deleteRecords(TopicPartition tp, long before) {
        long target = before < 0 ? endOffset(tp) : Math.min(before, endOffset(tp));
        logStart.put(tp, Math.max(startOffset(tp), target));
        return startOffset(tp);
    }

    public synchronized void commit(String group, TopicPartition tp, long offset) {
        committed.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(tp, offset);
    }

    public synchronized Map<TopicPartition, Long> committed(String group) {
        return new LinkedHashMap<>(committed.getOrDefault(group, Map.of()));
    }

    public synchronized boolean hasGroupOffsets(String group) {
        return committed.containsKey(group);
    }

    public synchronized void deleteGroupOffsets(String group) {
        committed.remove(group);
    }

    public synchronized List<String> groupsWithOffsets() {
        return new ArrayList<>(committed.keySet());
    }
}
