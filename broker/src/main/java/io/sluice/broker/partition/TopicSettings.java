package io.sluice.broker.partition;

import io.sluice.broker.log.LogConfig;

/**
 * The per-topic settings the data plane acts on, resolved by the node wiring from a topic's
 * configs (defaults applied): the log's own settings, and {@code min.insync.replicas}.
 *
 * @param logConfig         segment, retention, max.message.bytes, message.timestamp.type, flush policy
 * @param minInsyncReplicas smallest ISR that accepts acks=all writes and lets the HW advance
 */
public record TopicSettings(LogConfig logConfig, int minInsyncReplicas) {
    /** Kafka's defaults: {@link LogConfig#DEFAULT} and min.insync.replicas=1. */
    public static final TopicSettings DEFAULT = new TopicSettings(LogConfig.DEFAULT, 1);

    public TopicSettings {
        if (logConfig == null) {
            throw new IllegalArgumentException("log config must be set");
        }
        if (minInsyncReplicas < 1) {
            throw new IllegalArgumentException("min.insync.replicas must be >= 1: " + minInsyncReplicas);
        }
    }
}
