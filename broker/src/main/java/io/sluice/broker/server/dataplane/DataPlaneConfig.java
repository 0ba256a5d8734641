package io.sluice.broker.server.dataplane;

import io.sluice.broker.partition.ReplicationConfig;

/**
 * Limits and defaults of the data-plane APIs, plus the broker's replication settings.
 *
 * @param maxPartitionsPerRequest  partitions one produce, fetch, replica fetch, ListOffsets or
 *                                 DeleteRecords request may name; more is REQUEST_TOO_LARGE
 * @param defaultProduceTimeoutMs  acks=all wait when a produce says 0 [request.timeout.ms]
 * @param maxFetchWaitMs           the longest max_wait_ms a fetch may ask for
 * @param defaultFetchMaxBytes     a fetch's total byte bound when it says 0 [fetch.max.bytes]
 * @param defaultPartitionMaxBytes a fetch's per-partition byte bound when it says 0
 *                                 [max.partition.fetch.bytes]
 * @param produceStreamMaxInFlight requests one ProduceStream may have unanswered; gRPC flow control
 *                                 holds back the rest
 * @param replication              follower fetching, ISR, checkpoints
 */
public record DataPlaneConfig(int maxPartitionsPerRequest, int defaultProduceTimeoutMs, int maxFetchWaitMs,
        int defaultFetchMaxBytes, int defaultPartitionMaxBytes, int produceStreamMaxInFlight,
        ReplicationConfig replication) {
    /** Kafka-like defaults. */
    public static final DataPlaneConfig DEFAULT = new DataPlaneConfig(10_000, 30_000, 60_000, 50 << 20, 1 << 20,
            128, ReplicationConfig.DEFAULT);

    public DataPlaneConfig {
        if (maxPartitionsPerRequest < 1 || defaultProduceTimeoutMs < 1 || maxFetchWaitMs < 0
                || defaultFetchMaxBytes < 1 || defaultPartitionMaxBytes < 1 || produceStreamMaxInFlight < 1
                || replication == null) {
            throw new IllegalArgumentException("invalid data plane config " + this);
        }
    }

    /** A copy with other replication settings. */
    public DataPlaneConfig withReplication(ReplicationConfig replicationConfig) {
        return new DataPlaneConfig(maxPartitionsPerRequest, defaultProduceTimeoutMs, maxFetchWaitMs,
                defaultFetchMaxBytes, defaultPartitionMaxBytes, produceStreamMaxInFlight, replicationConfig);
    }

    /** A copy with another bound on a ProduceStream's unanswered requests. */
    public DataPlaneConfig withProduceStreamMaxInFlight(int maxInFlight) {
        return new DataPlaneConfig(maxPartitionsPerRequest, defaultProduceTimeoutMs, maxFetchWaitMs,
                defaultFetchMaxBytes, defaultPartitionMaxBytes, maxInFlight, replication);
    }

    /** A copy with another bound on partitions per request. */
    public DataPlaneConfig withMaxPartitionsPerRequest(int maxPartitions) {
        return new DataPlaneConfig(maxPartitions, defaultProduceTimeoutMs, maxFetchWaitMs, defaultFetchMaxBytes,
                defaultPartitionMaxBytes, produceStreamMaxInFlight, replication);
    }
}
