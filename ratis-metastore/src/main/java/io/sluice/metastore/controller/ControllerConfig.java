package io.sluice.metastore.controller;

import java.util.Map;

/**
 * The controller's settings. Immutable.
 *
 * @param sessionTimeoutMs         a broker not heard from for this long is fenced
 *                                 ({@code broker.session.timeout.ms})
 * @param probeAfterMs             a broker not heard from for this long is probed, and fenced at once if
 *                                 its endpoint refuses connections ({@code broker.probe.after.ms});
 *                                 0 never probes
 * @param defaultPartitions        partitions of a topic created with -1 ({@code num.partitions})
 * @param defaultReplicationFactor replicas per partition for -1 ({@code default.replication.factor})
 * @param producerIdBlockSize      producer ids handed to a broker per AllocateProducerIds
 * @param offlineScanIntervalMs    how often leaderless partitions are looked at for an election
 * @param topicDefaults            cluster-wide topic config defaults (e.g. {@code min.insync.replicas}),
 *                                 reported as the effective values of topics that do not override them
 * @param leaderRebalanceIntervalMs how often leadership is moved back to preferred replicas that are in
 *                                 sync ({@code auto.leader.rebalance.enable},
 *                                 {@code leader.imbalance.check.interval.seconds}); 0 never
 */
public record ControllerConfig(long sessionTimeoutMs, long probeAfterMs, int defaultPartitions,
        int defaultReplicationFactor, int producerIdBlockSize, long offlineScanIntervalMs,
        Map<String, String> topicDefaults, long leaderRebalanceIntervalMs) {
    public ControllerConfig {
        if (sessionTimeoutMs < 1 || probeAfterMs < 0 || defaultPartitions < 1 || defaultReplicationFactor < 1
                || producerIdBlockSize < 1 || offlineScanIntervalMs < 1 || leaderRebalanceIntervalMs < 0) {
            throw new IllegalArgumentException("invalid controller config");
        }
        topicDefaults = Map.copyOf(topicDefaults);
    }

    /**
     * 3 s sessions, no probing, 1 partition, replication factor 1, blocks of 1000 producer ids, 1 s
     * offline scan, no automatic return of leadership to preferred replicas.
     */
    public static ControllerConfig defaults() {
        return new ControllerConfig(3000, 0, 1, 1, 1000, 1000, Map.of(), 0);
    }

    /** A copy with another session timeout. */
    public ControllerConfig withSessionTimeoutMs(long ms) {
        return new ControllerConfig(ms, probeAfterMs, defaultPartitions, defaultReplicationFactor, producerIdBlockSize,
                offlineScanIntervalMs, topicDefaults, leaderRebalanceIntervalMs);
    }

    /** A copy that probes brokers silent for {@code ms} (0: never). */
    public ControllerConfig withProbeAfterMs(long ms) {
        return new ControllerConfig(sessionTimeoutMs, ms, defaultPartitions, defaultReplicationFactor,
                producerIdBlockSize, offlineScanIntervalMs, topicDefaults, leaderRebalanceIntervalMs);
    }

    /** A copy with other topic defaults. */
    public ControllerConfig withTopicDefaults(int partitions, int replicationFactor) {
        return new ControllerConfig(sessionTimeoutMs, probeAfterMs, partitions, replicationFactor, producerIdBlockSize,
                offlineScanIntervalMs, topicDefaults, leaderRebalanceIntervalMs);
    }

    /** A copy that moves leadership back to in-sync preferred replicas every {@code ms} (0: never). */
    public ControllerConfig withLeaderRebalanceIntervalMs(long ms) {
        return new ControllerConfig(sessionTimeoutMs, probeAfterMs, defaultPartitions, defaultReplicationFactor,
                producerIdBlockSize, offlineScanIntervalMs, topicDefaults, ms);
    }
}
