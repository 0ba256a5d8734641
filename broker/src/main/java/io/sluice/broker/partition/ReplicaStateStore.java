package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.Map;

/**
 * Durable per-broker record of every partition replica's {@link ReplicaCheckpoint}: Kafka's
 * {@code replication-offset-checkpoint} plus the epoch a replica last acted in. The
 * {@link ReplicaManager} writes it before a replica switches to a new leader epoch, and every
 * checkpoint interval for the high watermarks.
 *
 * <p>Implementations are thread-safe; {@link #save} replaces the whole content atomically (after a
 * crash {@link #load} returns either the old or the new content, never a mix).
 */
public interface ReplicaStateStore {
    /** The last saved content; empty if nothing was ever saved. */
    Map<TopicIdPartition, ReplicaCheckpoint> load();

    /**
     * Replaces the content and makes it durable before returning.
     *
     * @throws java.io.UncheckedIOException if it cannot be written; the old content stays
     */
    void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints);

    /**
     * Replaces the content without waiting for it to be durable; what a crash loses is an older
     * content, never a mix. For the periodic high-watermark checkpoint, whose values are lower bounds.
     * By default the same as {@link #save}.
     */
    default void saveLater(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        save(checkpoints);
    }
}
