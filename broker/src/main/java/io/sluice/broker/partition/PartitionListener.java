package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;

/**
 * Told when a partition changed in a way waiting operations care about. Called on the thread that
 * made the change, after the partition's lock is released, so implementations may call back into
 * the partition. Implementations must be thread-safe and quick (no blocking).
 */
@FunctionalInterface
public interface PartitionListener {
    /** {@code changes} is a set of {@link PartitionChanges} bits, never 0. */
    void onPartitionChange(TopicIdPartition id, int changes);

    /** A listener that ignores everything. */
    PartitionListener NONE = (id, changes) -> { };
}
