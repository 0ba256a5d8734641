package io.sluice.broker.partition;

import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.replication.TopicIdPartition;
import java.util.Set;

/**
 * Where partition logs come from: the storage engine's log manager on a node, {@code InMemoryLog}s
 * in tests and simulations. The {@link ReplicaManager} opens a log when metadata first makes this
 * broker a replica of the partition, closes it on shutdown, and deletes it when the replica is
 * removed or the topic deleted.
 *
 * <p>Implementations are thread-safe; the replica manager calls them from its core thread only.
 */
public interface LogFactory {
    /** Opens (recovering if needed) or creates the log of a partition replica. */
    PartitionLog open(TopicIdPartition id, String topicName, LogConfig config);

    /** Deletes the files of a partition replica whose log was closed. */
    void delete(TopicIdPartition id);

    /** The partition logs present on this broker's storage, to find strays after a restart. */
    default Set<TopicIdPartition> existingLogs() {
        return Set.of();
    }

    /**
     * A topic's log settings changed. The default does nothing: the log keeps its settings until it
     * is opened again (the storage engine may apply them live).
     */
    default void reconfigure(TopicIdPartition id, PartitionLog log, LogConfig config) {
    }
}
