package io.sluice.metastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.DescribeClusterResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topic config keys, defaults and validation; every key documented in admin.proto is known. */
class TopicConfigsTest {
    @Test
    void everyKeyListedInAdminProtoIsDefined() throws Exception {
        Path proto = Path.of(System.getProperty("sluice.home", "..")).resolve(
                "proto/src/main/proto/sluice/v1/admin.proto");
        String text = Files.readString(proto);
        String block = text.substring(text.indexOf("// Topic configuration keys"),
                text.indexOf("message CreateTopicsRequest"));
        for (String line : block.split("\n")) {
            String[] words = line.replace("//", "").trim().split("\\s+");
            if (words.length > 1 && words[0].matches("[a-z]+(\\.[a-z]+)+")) {
                assertNotNull(TopicConfigs.definition(words[0]), words[0] + " is in admin.proto but not defined");
            }
        }
        assertEquals(11, TopicConfigs.names().size());
    }

    @Test
    void valuesAreCheckedByTypeAndRange() {
        assertNull(TopicConfigs.invalidReason("retention.ms", "-1"));
        assertNotNull(TopicConfigs.invalidReason("retention.ms", "-2"));
        assertNotNull(TopicConfigs.invalidReason("segment.bytes", "1000"));
        assertNull(TopicConfigs.invalidReason("segment.bytes", "1048576"));
        assertNotNull(TopicConfigs.invalidReason("min.insync.replicas", "0"));
        assertNotNull(TopicConfigs.invalidReason("min.insync.replicas", "two"));
        assertNotNull(TopicConfigs.invalidReason("unclean.leader.election.enable", "yes"));
        assertNotNull(TopicConfigs.invalidReason("cleanup.policy", "compact"));
        assertNull(TopicConfigs.invalidReason("flush.policy", "every-batch"));
        assertNotNull(TopicConfigs.invalidReason("message.timestamp.type", "Now"));
        assertNotNull(TopicConfigs.invalidReason("nope", "1"));
        assertTrue(TopicConfigs.invalidReason(Map.of("flush.ms", "0")).contains("flush.ms"));
    }

    @Test
    void resolveAppliesOverridesThenClusterDefaultsThenBuiltIns() {
        TopicConfigs.TopicConfig c = TopicConfigs.resolve(Map.of("retention.ms", "5"), Map.of("min.insync.replicas",
                "2", "retention.ms", "9"));
        assertEquals(5, c.retentionMs());
        assertEquals(2, c.minInsyncReplicas());
        assertEquals(1 << 30, c.segmentBytes());
        assertEquals("page-cache", c.flushPolicy());
        assertEquals(11, TopicConfigs.effective(Map.of(), Map.of()).size());
    }

    @Test
    void describeClusterReportsBrokersAndPartitionHealth() {
        InMemoryMetaStore store = new InMemoryMetaStore(0);
        Commands.activeBrokers(store, 2);
        store.apply(Commands.createTopic("t", Commands.uuid(1), List.of(List.of(0, 1)),
                Map.of("min.insync.replicas", "2")));
        store.apply(Commands.changeIsr(Commands.uuid(1), 0, 0, List.of(store.image().partition(Commands.uuid(1), 0)
                .getLeader())));
        DescribeClusterResponse r = ClusterDescriber.describe(store, true);
        assertEquals(2, r.getBrokersCount());
        assertEquals(1, r.getUnderReplicatedPartitions());
        assertEquals(1, r.getUnderMinIsrPartitions());
        assertEquals(0, r.getOfflinePartitions());
        assertEquals(0, r.getControllerId());
    }
}
