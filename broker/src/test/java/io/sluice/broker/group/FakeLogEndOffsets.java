package io.sluice.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Partition offsets the test sets; optionally fails every lookup. Thread-safe. */
final class FakeLogEndOffsets implements LogEndOffsets {
    private final Map<TopicIdPartition, PartitionOffsets> offsets = new ConcurrentHashMap<>();
    private volatile boolean failing;

    void set(TopicIdPartition partition, long logStart, long highWatermark) {
        offsets.put(partition, new PartitionOffsets(logStart, highWatermark));
    }

    void failLookups(boolean fail) {
        this.failing = fail;
    }

    @Override
    public CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> lookup(Set<TopicIdPartition> partitions) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("leaders unreachable"));
        }
        Map<TopicIdPartition, PartitionOffsets> known = new ConcurrentHashMap<>();
        partitions.forEach(p -> {
            PartitionOffsets o = offsets.get(p);
            if (o != null) {
                known.put(p, o);
            }
        });
        return CompletableFuture.completedFuture(known);
    }
}
