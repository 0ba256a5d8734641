package io.sluice.jepsen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workload's options: defaults that follow the cluster size, and typos refused. */
class QueueSettingsTest {
    @Test
    void defaultsFollowTheClusterSize() {
        QueueSettings five = QueueSettings.parse(Map.of(), 5);
        assertEquals(3, five.replicationFactor());
        assertEquals(2, five.minInsyncReplicas());
        assertEquals("queue", five.topic());
        assertEquals(five.producers() * five.processesPerProducer(), five.producerProcesses());
        QueueSettings one = QueueSettings.parse(Map.of(), 1);
        assertEquals(1, one.replicationFactor());
        assertEquals(1, one.minInsyncReplicas());
    }

    @Test
    void optionsReplaceDefaults() {
        QueueSettings s = QueueSettings.parse(Map.of("partitions", "3", "group-consumers", "0", "topic", "t"), 3);
        assertEquals(3, s.partitions());
        assertEquals(0, s.groupConsumers());
        assertEquals("t", s.topic());
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> QueueSettings.parse(Map.of("partition", "3"), 3));
        assertTrue(typo.getMessage().contains("unknown queue workload option 'partition'"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.parse(Map.of("producers", "two"), 3));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.parse(Map.of("partitions", "0"), 3));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.parse(Map.of("delivery-timeout-ms", "5000",
                "request-timeout-ms", "5000"), 3), "the delivery timeout must leave room for a request");
    }
}
