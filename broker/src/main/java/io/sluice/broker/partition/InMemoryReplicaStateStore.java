package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.Map;

/**
 * A {@link ReplicaStateStore} in memory, for tests and simulations where the object plays the disk:
 * it outlives a simulated broker crash. Thread-safe.
 */
public final class InMemoryReplicaStateStore implements ReplicaStateStore {
    private Map<TopicIdPartition, ReplicaCheckpoint> content = Map.of();
    private int saves;

    @Override
    public synchronized Map<TopicIdPartition, ReplicaCheckpoint> load() {
        return content;
    }

    @Override
    public synchronized void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        content = Map.copyOf(checkpoints);
        saves++;
    }

    /** How many times {@link #save} was called. */
    public synchronized int saveCount() {
        return saves;
    }

    @Override
    public synchronized String toString() {
        return "InMemoryReplicaStateStore" + content;
    }
}
