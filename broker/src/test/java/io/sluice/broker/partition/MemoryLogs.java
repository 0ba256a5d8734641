package io.sluice.broker.partition;

import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.replication.TopicIdPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link LogFactory} over a map of {@link InMemoryLog}s that plays a broker's disk in tests and
 * simulations: logs outlive the replica manager that opened them (a crashed process), deletions
 * are remembered. Thread-safe; iterates in a stable order.
 */
public final class MemoryLogs implements LogFactory {
    private final Map<TopicIdPartition, InMemoryLog> logs = new ConcurrentSkipListMap<>((a, b) ->
            a.topicId().equals(b.topicId()) ? Integer.compare(a.partition(), b.partition())
                    : a.topicId().compareTo(b.topicId()));
    private final List<TopicIdPartition> deleted = new ArrayList<>();

    @Override
    public PartitionLog open(TopicIdPartition id, String topicName, LogConfig config) {
        return logs.computeIfAbsent(id, k -> new InMemoryLog(config));
    }

    @Override
    public synchronized void delete(TopicIdPartition id) {
        deleted.add(id);
        logs.remove(id);
    }

    @Override
    public Set<TopicIdPartition> existingLogs() {
        return Set.copyOf(logs.keySet());
    }

    /** The logs on this "disk". */
    public Map<TopicIdPartition, InMemoryLog> logs() {
        return logs;
    }

    /** A log, or null. */
    public InMemoryLog get(TopicIdPartition id) {
        return logs.get(id);
    }

    /** Every partition whose log was deleted, in order. */
    public synchronized List<TopicIdPartition> deleted() {
        return List.copyOf(deleted);
    }
}
