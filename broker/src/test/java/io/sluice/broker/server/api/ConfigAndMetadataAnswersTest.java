package io.sluice.broker.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.server.MetadataTestStore;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.ConfigEntry;
import io.sluice.proto.v1.ConfigResource;
import io.sluice.proto.v1.ConfigResourceType;
import io.sluice.proto.v1.ConfigSource;
import io.sluice.proto.v1.DescribeConfigsRequest;
import io.sluice.proto.v1.DescribeConfigsResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.PartitionMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigAndMetadataAnswersTest {
    private final MetadataTestStore meta = new MetadataTestStore(2);
    private final ConfigDescriber describer = new ConfigDescriber(1, Map.of("min.insync.replicas", "2"),
            Map.of("node.id", "1", "data.dir", "/data"));

    private DescribeConfigsResult describe(ConfigResourceType type, String name, String... keys) {
        return describer.describe(meta.store.image(), DescribeConfigsRequest.newBuilder()
                .addResources(ConfigResource.newBuilder().setType(type).setName(name)).addAllKeys(List.of(keys))
                .setIncludeDocumentation(true).build()).getResults(0);
    }

    private static ConfigEntry entry(DescribeConfigsResult result, String key) {
        return result.getEntriesList().stream().filter(e -> e.getName().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void topicConfigsSayWhereEachValueComesFrom() {
        meta.createTopic("t", List.of(List.of(1)), Map.of("retention.ms", "1000"));
        DescribeConfigsResult result = describe(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t");
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode());
        assertEquals(ConfigSource.CONFIG_SOURCE_TOPIC, entry(result, "retention.ms").getSource());
        assertEquals("1000", entry(result, "retention.ms").getValue());
        assertEquals(ConfigSource.CONFIG_SOURCE_BROKER, entry(result, "min.insync.replicas").getSource());
        assertEquals(ConfigSource.CONFIG_SOURCE_DEFAULT, entry(result, "segment.bytes").getSource());
        assertTrue(!entry(result, "segment.bytes").getDocumentation().isEmpty());
        assertEquals(1, describe(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t", "flush.ms").getEntriesCount());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                describe(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "missing").getErrorCode());
    }

    @Test
    void brokerConfigsAreThisNodesAndReadOnly() {
        DescribeConfigsResult result = describe(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "1");
        assertEquals("/data", entry(result, "data.dir").getValue());
        assertTrue(entry(result, "data.dir").getReadOnly());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                describe(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "2").getErrorCode());
        IncrementalAlterConfigsRequest alterBroker = IncrementalAlterConfigsRequest.newBuilder()
                .addResources(AlterConfigsResource.newBuilder().setResource(ConfigResource.newBuilder()
                        .setType(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER).setName("1")))
                .build();
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG,
                describer.refuseBrokerResources(alterBroker).getResults(0).getErrorCode());
        IncrementalAlterConfigsRequest alterTopic = IncrementalAlterConfigsRequest.newBuilder()
                .addResources(AlterConfigsResource.newBuilder().setResource(ConfigResource.newBuilder()
                        .setType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setName("t")))
                .build();
        assertNull(describer.refuseBrokerResources(alterTopic));
    }

    @Test
    void metadataNamesLeadersOfflineReplicasAndUnknownTopics() {
        meta.createTopic("orders", List.of(List.of(1, 2), List.of(2, 1)), Map.of());
        MetadataResponse response = MetadataGrpcService.buildMetadataResponse(meta.store.image(), 1,
                MetadataRequest.newBuilder().addTopics("orders").addTopics("missing").addTopics("bad name").build());
        assertEquals(MetadataTestStore.CLUSTER_ID, response.getClusterId());
        assertEquals(2, response.getBrokersCount());
        assertEquals(meta.store.image().lastAppliedIndex(), response.getMetadataVersion());
        PartitionMetadata p0 = response.getTopics(0).getPartitions(0);
        assertEquals(List.of(1, 2), p0.getReplicasList());
        assertNotNull(response.getTopics(0).getTopicId());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, response.getTopics(1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, response.getTopics(2).getErrorCode());
        MetadataResponse all = MetadataGrpcService.buildMetadataResponse(meta.store.image(), 1,
                MetadataRequest.newBuilder().setAllTopics(true).build());
        assertEquals(List.of("orders"), all.getTopicsList().stream().map(t -> t.getName()).toList());
    }
}
