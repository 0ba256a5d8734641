package io.sluice.broker.server;

import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicConfigs.TopicConfig;
import java.util.Map;

/**
 * Turns a topic's config overrides, over the cluster's topic defaults, into the settings its
 * partition replicas run with. The names, defaults and validation live in {@link TopicConfigs}; this
 * is only the mapping onto the broker's types. Stateless.
 */
public final class TopicSettingsFactory {
    private final Map<String, String> clusterDefaults;

    /** @param clusterDefaults cluster-wide topic defaults from the node's configuration */
    public TopicSettingsFactory(Map<String, String> clusterDefaults) {
        this.clusterDefaults = Map.copyOf(clusterDefaults);
    }

    /** The cluster-wide topic defaults this factory applies under every topic's overrides. */
    public Map<String, String> clusterDefaults() {
        return clusterDefaults;
    }

    /** The settings of a topic with these overrides. */
    public TopicSettings settings(Map<String, String> overrides) {
        TopicConfig config = TopicConfigs.resolve(overrides, clusterDefaults);
        LogConfig log = new LogConfig(config.segmentBytes(), config.segmentMs(), config.retentionMs(),
                config.retentionBytes(), config.maxMessageBytes(), "LogAppendTime".equals(config.timestampType()),
                flushPolicy(config.flushPolicy()), config.flushMs(), LogConfig.DEFAULT.indexIntervalBytes());
        return new TopicSettings(log, config.minInsyncReplicas());
    }

    private static LogConfig.FlushPolicy flushPolicy(String name) {
        return switch (name) {
            case "interval" -> LogConfig.FlushPolicy.INTERVAL;
            case "every-batch" -> LogConfig.FlushPolicy.EVERY_BATCH;
            case "page-cache" -> LogConfig.FlushPolicy.PAGE_CACHE;
            default -> throw new IllegalArgumentException("unknown flush.policy '" + name + "'");
        };
    }
}
