package io.sluice.broker.partition;

import io.sluice.broker.replication.FetcherConfig;

/**
 * Broker-wide replication settings (Kafka's names in brackets).
 *
 * @param replicaLagTimeMaxMs        a follower not caught up for longer leaves the ISR
 *                                   [replica.lag.time.max.ms]
 * @param fetcher                    bounds of this broker's replica fetches as a follower
 * @param alterPartitionBackoffMs    pause before re-sending an ISR change whose outcome is unknown
 * @param alterPartitionTimeoutMs    how long to wait for the controller's answer to an ISR change
 * @param checkpointIntervalMs       how often high watermarks are written to the replica state store
 *                                   [replica.high.watermark.checkpoint.interval.ms]
 * @param isrCheckIntervalMs         how often leaders look for followers to drop from the ISR
 * @param logMaintenanceIntervalMs   how often logs apply retention and their flush interval
 *                                   [log.retention.check.interval.ms]
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, FetcherConfig fetcher, long alterPartitionBackoffMs,
        long alterPartitionTimeoutMs, long checkpointIntervalMs, long isrCheckIntervalMs,
        long logMaintenanceIntervalMs) {
    /** Kafka's defaults. */
    public static final ReplicationConfig DEFAULT = new ReplicationConfig(30_000, FetcherConfig.DEFAULT, 100,
            30_000, 5_000, 5_000, 300_000);

    public ReplicationConfig {
        if (replicaLagTimeMaxMs < 1 || fetcher == null || alterPartitionBackoffMs < 0 || alterPartitionTimeoutMs < 1
                || checkpointIntervalMs < 1 || isrCheckIntervalMs < 1 || logMaintenanceIntervalMs < 1) {
            throw new IllegalArgumentException("invalid replication config " + this);
        }
        if (replicaLagTimeMaxMs <= fetcher.maxWaitMs()) {
            // A caught-up follower waits up to maxWaitMs in a long poll between fetches; a lag limit
            // that short would drop it from the ISR while it waits.
            throw new IllegalArgumentException("replica.lag.time.max.ms (" + replicaLagTimeMaxMs
                    + ") must exceed replica.fetch.wait.max.ms (" + fetcher.maxWaitMs() + ")");
        }
    }

    /** A copy with another {@code replica.lag.time.max.ms}. */
    public ReplicationConfig withReplicaLagTimeMaxMs(long lagMs) {
        return new ReplicationConfig(lagMs, fetcher, alterPartitionBackoffMs, alterPartitionTimeoutMs,
                checkpointIntervalMs, isrCheckIntervalMs, logMaintenanceIntervalMs);
    }

    /** A copy with other fetcher bounds. */
    public ReplicationConfig withFetcher(FetcherConfig fetcherConfig) {
        return new ReplicationConfig(replicaLagTimeMaxMs, fetcherConfig, alterPartitionBackoffMs,
                alterPartitionTimeoutMs, checkpointIntervalMs, isrCheckIntervalMs, logMaintenanceIntervalMs);
    }

    /** A copy with other intervals for ISR checks and high watermark checkpoints. */
    public ReplicationConfig withIntervals(long isrCheckMs, long checkpointMs) {
        return new ReplicationConfig(replicaLagTimeMaxMs, fetcher, alterPartitionBackoffMs, alterPartitionTimeoutMs,
                checkpointMs, isrCheckMs, logMaintenanceIntervalMs);
    }
}
