package io.sluice.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.TopicSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSettingsFactoryTest {
    @Test
    void everyTopicKeyReachesTheLogConfig() {
        TopicSettingsFactory factory = new TopicSettingsFactory(Map.of("min.insync.replicas", "2"));
        TopicSettings defaults = factory.settings(Map.of());
        assertEquals(2, defaults.minInsyncReplicas());
        assertEquals(LogConfig.FlushPolicy.PAGE_CACHE, defaults.logConfig().flushPolicy());
        assertFalse(defaults.logConfig().logAppendTime());

        TopicSettings custom = factory.settings(Map.of("segment.bytes", "1048576", "segment.ms", "60000",
                "retention.ms", "3600000", "retention.bytes", "10485760", "max.message.bytes", "2000000",
                "flush.policy", "interval", "flush.ms", "250", "min.insync.replicas", "3"));
        LogConfig log = custom.logConfig();
        assertEquals(1_048_576, log.segmentBytes());
        assertEquals(60_000, log.segmentMs());
        assertEquals(3_600_000, log.retentionMs());
        assertEquals(10_485_760, log.retentionBytes());
        assertEquals(2_000_000, log.maxMessageBytes());
        assertEquals(LogConfig.FlushPolicy.INTERVAL, log.flushPolicy());
        assertEquals(250, log.flushIntervalMs());
        assertEquals(3, custom.minInsyncReplicas());
        assertEquals(LogConfig.FlushPolicy.EVERY_BATCH,
                factory.settings(Map.of("flush.policy", "every-batch")).logConfig().flushPolicy());
    }
}
