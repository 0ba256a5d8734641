package io.sluice.broker.server.api;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.AlterConfigsResult;
import io.sluice.proto.v1.ConfigEntry;
import io.sluice.proto.v1.ConfigResource;
import io.sluice.proto.v1.ConfigResourceType;
import io.sluice.proto.v1.ConfigSource;
import io.sluice.proto.v1.DescribeConfigsRequest;
import io.sluice.proto.v1.DescribeConfigsResponse;
import io.sluice.proto.v1.DescribeConfigsResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * DescribeConfigs for topics (from the metadata image: each key's effective value and whether it comes
 * from the topic, the cluster's topic defaults or the built-in default) and for this broker (its node
 * settings, read-only: they come from its properties file and flags). Stateless, thread-safe.
 */
public final class ConfigDescriber {
    private final int brokerId;
    private final Map<String, String> clusterTopicDefaults;
    private final Map<String, String> brokerSettings;

    /**
     * @param brokerId             this node's id
     * @param clusterTopicDefaults topic defaults set in the node's configuration
     * @param brokerSettings       the node's effective settings
     */
    public ConfigDescriber(int brokerId, Map<String, String> clusterTopicDefaults, Map<String, String> brokerSettings) {
        this.brokerId = brokerId;
        this.clusterTopicDefaults = Map.copyOf(clusterTopicDefaults);
        this.brokerSettings = new TreeMap<>(brokerSettings);
    }

    /** The answer to a DescribeConfigs request. */
    public DescribeConfigsResponse describe(MetadataImage image, DescribeConfigsRequest request) {
        DescribeConfigsResponse.Builder response = DescribeConfigsResponse.newBuilder();
        Set<String> keys = new HashSet<>(request.getKeysList());
        for (ConfigResource resource : request.getResourcesList()) {
            DescribeConfigsResult.Builder result = DescribeConfigsResult.newBuilder().setResource(resource);
            switch (resource.getType()) {
                case CONFIG_RESOURCE_TYPE_TOPIC -> describeTopic(image, resource.getName(), keys,
                        request.getIncludeDocumentation(), result);
                case CONFIG_RESOURCE_TYPE_BROKER -> describeBroker(resource.getName(), keys, result);
                default -> result.setErrorCode(ErrorCode.ERROR_CODE_INVALID_REQUEST)
                        .setErrorMessage("resource type must be TOPIC or BROKER");
            }
            response.addResults(result);
        }
        return response.build();
    }

    private void describeTopic(MetadataImage image, String name, Set<String> keys, boolean documentation,
            DescribeConfigsResult.Builder result) {
        TopicImage topic = image.topicByName(name);
        if (topic == null) {
            result.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)
                    .setErrorMessage("topic '" + name + "' does not exist");
            return;
        }
        Map<String, String> overrides = topic.topic().getConfigsMap();
        for (Map.Entry<String, String> e : TopicConfigs.effective(overrides, clusterTopicDefaults).entrySet()) {
            if (!keys.isEmpty() && !keys.contains(e.getKey())) {
                continue;
            }
            ConfigSource source = overrides.containsKey(e.getKey()) ? ConfigSource.CONFIG_SOURCE_TOPIC
                    : clusterTopicDefaults.containsKey(e.getKey()) ? ConfigSource.CONFIG_SOURCE_BROKER
                    : ConfigSource.CONFIG_SOURCE_DEFAULT;
            ConfigEntry.Builder entry = ConfigEntry.newBuilder().setName(e.getKey()).setValue(e.getValue())
                    .setSource(source);
            if (documentation) {
                entry.setDocumentation(TopicConfigs.definition(e.getKey()).documentation());
            }
            result.addEntries(entry);
        }
    }

    private void describeBroker(String name, Set<String> keys, DescribeConfigsResult.Builder result) {
        if (!name.equals(Integer.toString(brokerId))) {
            result.setErrorCode(ErrorCode.ERROR_CODE_INVALID_REQUEST)
                    .setErrorMessage("this is broker " + brokerId + "; ask broker " + name + " for its configs");
            return;
        }
        brokerSettings.forEach((key, value) -> {
            if (keys.isEmpty() || keys.contains(key)) {
                result.addEntries(ConfigEntry.newBuilder().setName(key).setValue(value)
                        .setSource(ConfigSource.CONFIG_SOURCE_BROKER).setReadOnly(true));
            }
        });
    }

    /**
     * Broker settings cannot change at run time: an alter request naming a broker is refused whole,
     * with INVALID_CONFIG for each broker resource and nothing changed. Null when it names only topics.
     */
    public IncrementalAlterConfigsResponse refuseBrokerResources(IncrementalAlterConfigsRequest request) {
        boolean namesBroker = request.getResourcesList().stream()
                .anyMatch(r -> r.getResource().getType() != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC);
        if (!namesBroker) {
            return null;
        }
        IncrementalAlterConfigsResponse.Builder response = IncrementalAlterConfigsResponse.newBuilder();
        for (AlterConfigsResource resource : request.getResourcesList()) {
            boolean topic = resource.getResource().getType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC;
            response.addResults(AlterConfigsResult.newBuilder().setResource(resource.getResource())
                    .setErrorCode(topic ? ErrorCode.ERROR_CODE_INVALID_REQUEST : ErrorCode.ERROR_CODE_INVALID_CONFIG)
                    .setErrorMessage(topic ? "not applied: the request also names a broker resource"
                            : "broker settings are read-only at run time; set them in the node's properties"));
        }
        return response.build();
    }
}
