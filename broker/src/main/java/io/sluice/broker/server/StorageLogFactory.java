package io.sluice.broker.server;

import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.LogManager;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.LogFactory;
import io.sluice.broker.replication.TopicIdPartition;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The replica manager's logs, from the node's {@link LogManager} (Chronicle-Bytes segments). Maps the
 * replication layer's partition ids (topic id as text) onto the storage engine's (topic id as UUID).
 * Thread-safe, as the log manager is.
 */
final class StorageLogFactory implements LogFactory {
    private final LogManager logs;

    StorageLogFactory(LogManager logs) {
        this.logs = logs;
    }

    static io.sluice.broker.log.TopicIdPartition storageId(TopicIdPartition id) {
        return new io.sluice.broker.log.TopicIdPartition(UUID.fromString(id.topicId()), id.partition());
    }

    static TopicIdPartition replicationId(io.sluice.broker.log.TopicIdPartition id) {
        return new TopicIdPartition(id.topicId().toString(), id.partition());
    }

    @Override
    public PartitionLog open(TopicIdPartition id, String topicName, LogConfig config) {
        return logs.getOrCreateLog(storageId(id), config);
    }

    @Override
    public void delete(TopicIdPartition id) {
        logs.deleteLog(storageId(id));
    }

    @Override
    public Set<TopicIdPartition> existingLogs() {
        return logs.partitions().stream().map(StorageLogFactory::replicationId).collect(Collectors.toSet());
    }

    @Override
    public void reconfigure(TopicIdPartition id, PartitionLog log, LogConfig config) {
        logs.getOrCreateLog(storageId(id), config);
    }
}
