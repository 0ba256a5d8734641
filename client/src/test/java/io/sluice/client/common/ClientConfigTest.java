package io.sluice.client.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.admin.AdminConfig;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.OffsetResetStrategy;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.proto.v1.Acks;
import io.sluice.record.CompressionType;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClientConfigTest {
    private static final String BOOTSTRAP = "127.0.0.1:9092";

    @Test
    void producerDefaultsAreKafkasSafeOnes() {
        ProducerConfig c = new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP));
        assertEquals(Acks.ACKS_ALL, c.acks());
        assertTrue(c.idempotenceEnabled());
        assertEquals(120_000, c.deliveryTimeoutMs());
        assertEquals(CompressionType.NONE, c.compression());
        assertEquals(5, c.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
    }

    @Test
    void typosAreRefusedWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP, "linger.m", "5")));
        assertTrue(e.getMessage().contains("'linger.m'") && e.getMessage().contains("did you mean 'linger.ms'"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> new ProducerConfig(Map.of()), "bootstrap.servers is required");
        assertThrows(ConfigException.class, () -> new ProducerConfig(Map.of("bootstrap.servers", "no-port")));
        assertThrows(ConfigException.class,
                () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP, "batch.size", "big")));
        assertThrows(ConfigException.class,
                () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP, "compression.type", "snappy")));
    }

    @Test
    void idempotenceTurnsOffQuietlyOnlyWhenNotAskedFor() {
        ProducerConfig leader = new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP, "acks", "1"));
        assertEquals(Acks.ACKS_LEADER, leader.acks());
        assertFalse(leader.idempotenceEnabled());
        assertThrows(ConfigException.class, () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP,
                "acks", "none", "enable.idempotence", "true")));
        assertThrows(ConfigException.class, () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP,
                "max.in.flight.requests.per.connection", 6, "enable.idempotence", true)));
    }

    @Test
    void deliveryTimeoutMustCoverLingerAndRequestTimeout() {
        assertThrows(ConfigException.class, () -> new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP,
                "delivery.timeout.ms", 1_000, "request.timeout.ms", 30_000)));
        ProducerConfig raised = new ProducerConfig(Map.of("bootstrap.servers", BOOTSTRAP,
                "request.timeout.ms", 200_000));
        assertEquals(200_005, raised.deliveryTimeoutMs());
    }

    @Test
    void consumerAutoCommitNeedsAGroup() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", BOOTSTRAP);
        ConsumerConfig noGroup = new ConsumerConfig(p);
        assertFalse(noGroup.autoCommitEnabled());
        assertEquals(OffsetResetStrategy.LATEST, noGroup.offsetResetStrategy());
        p.setProperty("enable.auto.commit", "true");
        assertThrows(ConfigException.class, () -> new ConsumerConfig(p));
        p.setProperty("group.id", "g");
        assertTrue(new ConsumerConfig(p).autoCommitEnabled());
        assertEquals(60_000L, new AdminConfig(Map.of("bootstrap.servers", BOOTSTRAP))
                .getLong(AdminConfig.DEFAULT_API_TIMEOUT_MS));
    }
}
