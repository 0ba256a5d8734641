package io.sluice.client.admin.internal;

import io.sluice.client.admin.ConfigChange;
import io.sluice.client.admin.ConfigEntry;
import io.sluice.client.admin.CreatedTopic;
import io.sluice.client.admin.NewTopic;
import io.sluice.client.admin.Results;
import io.sluice.client.admin.TopicDescription;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.RpcOperation;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.AlterConfigOp;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.AlterConfigsResult;
import io.sluice.proto.v1.AlterableConfig;
import io.sluice.proto.v1.ConfigResource;
import io.sluice.proto.v1.ConfigResourceType;
import io.sluice.proto.v1.ConfigSource;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreatePartitionsResult;
import io.sluice.proto.v1.CreatePartitionsTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteTopicResult;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.DescribeConfigsRequest;
import io.sluice.proto.v1.DescribeConfigsResponse;
import io.sluice.proto.v1.DescribeConfigsResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.protocol.ErrorCodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin client's topic and config requests, each an {@link RpcOperation} to any broker (which
 * forwards changes to the controller). Operations over several topics retry only the topics whose
 * error is retriable; the others are settled in the {@link Results}. Stateless factory.
 */
public final class TopicRequests {
    private TopicRequests() {
    }

    private static SluiceException error(ErrorCode code, String name, String message) {
        String detail = ErrorCodes.messageOrDefault(code, message);
        return Errors.toException(code, detail.contains("'" + name + "'") ? detail : "topic '" + name + "': " + detail);
    }

    /** Creates topics. */
    public static RpcOperation<CreateTopicsRequest, CreateTopicsResponse, Results<String, CreatedTopic>> create(
            Collection<NewTopic> topics, int timeoutMs, long deadlineMs) {
        Map<String, NewTopic> byName = new LinkedHashMap<>();
        topics.forEach(t -> byName.put(t.name(), t));
        ItemResults<String, CreatedTopic> results = new ItemResults<>(byName.keySet());
        return new RpcOperation<>("create topics", RpcOperation.anyNode(), AdminServiceGrpc.getCreateTopicsMethod(),
                () -> {
                    CreateTopicsRequest.Builder b = CreateTopicsRequest.newBuilder().setTimeoutMs(timeoutMs);
                    for (String name : results.pending()) {
                        NewTopic t = byName.get(name);
                        b.addTopics(CreatableTopic.newBuilder().setName(name).setNumPartitions(t.partitions())
                                .setReplicationFactor(t.replicationFactor()).putAllConfigs(t.configs()));
                    }
                    return b.build();
                }, response -> {
                    for (CreateTopicResult r : response.getTopicsList()) {
                        if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                            results.succeed(r.getName(), new CreatedTopic(r.getName(), r.getTopicId(),
                                    r.getNumPartitions(), r.getReplicationFactor(), r.getConfigsMap()));
                        } else {
                            results.fail(r.getName(), error(r.getErrorCode(), r.getName(), r.getErrorMessage()),
                                    r.getErrorCode() != ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
                        }
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }

    /**
     * Settles a topic without a value: success, or its error (retried when retriable, except an
     * unknown topic, which a retry cannot fix).
     */
    private static void settle(ItemResults<String, Void> results, String name, ErrorCode code, String message) {
        if (code == ErrorCode.ERROR_CODE_NONE) {
            results.succeed(name, null);
        } else {
            results.fail(name, error(code, name, message), code != ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    private static <V> void failMissing(ItemResults<String, V> results) {
        for (String name : results.pending()) {
            results.fail(name, new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                    "the answer did not mention '" + name + "'"), true);
        }
    }

    /** Deletes topics. */
    public static RpcOperation<DeleteTopicsRequest, DeleteTopicsResponse, Results<String, Void>> delete(
            Collection<String> names, int timeoutMs, long deadlineMs) {
        ItemResults<String, Void> results = new ItemResults<>(names);
        return new RpcOperation<>("delete topics", RpcOperation.anyNode(), AdminServiceGrpc.getDeleteTopicsMethod(),
                () -> DeleteTopicsRequest.newBuilder().addAllTopics(results.pending()).setTimeoutMs(timeoutMs).build(),
                response -> {
                    for (DeleteTopicResult r : response.getTopicsList()) {
                        settle(results, r.getName(), r.getErrorCode(), r.getErrorMessage());
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }

    /** Grows topics to new partition counts. */
    public static RpcOperation<CreatePartitionsRequest, CreatePartitionsResponse, Results<String, Void>> addPartitions(
            Map<String, Integer> newTotals, int timeoutMs, long deadlineMs) {
        ItemResults<String, Void> results = new ItemResults<>(newTotals.keySet());
        return new RpcOperation<>("add partitions", RpcOperation.anyNode(),
                AdminServiceGrpc.getCreatePartitionsMethod(), () -> {
                    CreatePartitionsRequest.Builder b = CreatePartitionsRequest.newBuilder().setTimeoutMs(timeoutMs);
                    results.pending().forEach(n -> b.addTopics(CreatePartitionsTopic.newBuilder().setName(n)
                            .setNewTotalCount(newTotals.get(n))));
                    return b.build();
                }, response -> {
                    for (CreatePartitionsResult r : response.getTopicsList()) {
                        settle(results, r.getName(), r.getErrorCode(), r.getErrorMessage());
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }

    /** Names of every topic. */
    public static RpcOperation<MetadataRequest, MetadataResponse, Set<String>> list(long deadlineMs) {
        return new RpcOperation<>("list topics", RpcOperation.anyNode(), MetadataServiceGrpc.getMetadataMethod(),
                () -> MetadataRequest.newBuilder().setAllTopics(true).build(), response -> {
                    Set<String> names = new TreeSet<>();
                    response.getTopicsList().forEach(t -> names.add(t.getName()));
                    return names;
                }, deadlineMs);
    }

    /** Partitions, leaders, replicas and ISR of topics. An unknown topic fails at once. */
    public static RpcOperation<MetadataRequest, MetadataResponse, Results<String, TopicDescription>> describe(
            Collection<String> names, long deadlineMs) {
        ItemResults<String, TopicDescription> results = new ItemResults<>(names);
        return new RpcOperation<>("describe topics", RpcOperation.anyNode(), MetadataServiceGrpc.getMetadataMethod(),
                () -> MetadataRequest.newBuilder().addAllTopics(results.pending()).build(), response -> {
                    for (TopicMetadata t : response.getTopicsList()) {
                        if (t.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                            results.succeed(t.getName(), toDescription(t));
                        } else {
                            results.fail(t.getName(), error(t.getErrorCode(), t.getName(), t.getErrorMessage()),
                                    false);
                        }
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }

    private static TopicDescription toDescription(TopicMetadata t) {
        List<TopicDescription.Partition> partitions = new ArrayList<>();
        for (PartitionMetadata p : t.getPartitionsList()) {
            partitions.add(new TopicDescription.Partition(p.getPartition(), p.getLeaderId(), p.getLeaderEpoch(),
                    List.copyOf(p.getReplicasList()), List.copyOf(p.getIsrList()),
                    List.copyOf(p.getOfflineReplicasList()), List.copyOf(p.getEligibleLeaderReplicasList())));
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return new TopicDescription(t.getName(), t.getTopicId(), List.copyOf(partitions));
    }

    private static ConfigResource topicResource(String name) {
        return ConfigResource.newBuilder().setType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setName(name).build();
    }

    /** Every config of topics, with where each value comes from. */
    public static RpcOperation<DescribeConfigsRequest, DescribeConfigsResponse,
            Results<String, Map<String, ConfigEntry>>> describeConfigs(Collection<String> topics, long deadlineMs) {
        ItemResults<String, Map<String, ConfigEntry>> results = new ItemResults<>(topics);
        return new RpcOperation<>("describe configs", RpcOperation.anyNode(),
                AdminServiceGrpc.getDescribeConfigsMethod(), () -> {
                    DescribeConfigsRequest.Builder b = DescribeConfigsRequest.newBuilder();
                    results.pending().forEach(t -> b.addResources(topicResource(t)));
                    return b.build();
                }, response -> {
                    for (DescribeConfigsResult r : response.getResultsList()) {
                        String name = r.getResource().getName();
                        if (r.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                            results.fail(name, error(r.getErrorCode(), name, r.getErrorMessage()), false);
                            continue;
                        }
                        Map<String, ConfigEntry> entries = new LinkedHashMap<>();
                        r.getEntriesList().forEach(e -> entries.put(e.getName(), new ConfigEntry(e.getName(),
                                e.getValue(), source(e.getSource()), e.getReadOnly(), e.getDocumentation())));
                        results.succeed(name, entries);
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }

    private static ConfigEntry.Source source(ConfigSource s) {
        return switch (s) {
            case CONFIG_SOURCE_TOPIC -> ConfigEntry.Source.TOPIC;
            case CONFIG_SOURCE_BROKER -> ConfigEntry.Source.BROKER;
            case CONFIG_SOURCE_DEFAULT -> ConfigEntry.Source.DEFAULT;
            default -> ConfigEntry.Source.UNKNOWN;
        };
    }

    /** Sets or removes config keys of topics; each topic's changes apply together or not at all. */
    public static RpcOperation<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse,
            Results<String, Void>> alterConfigs(Map<String, List<ConfigChange>> changes, long deadlineMs) {
        ItemResults<String, Void> results = new ItemResults<>(changes.keySet());
        return new RpcOperation<>("alter configs", RpcOperation.anyNode(),
                AdminServiceGrpc.getIncrementalAlterConfigsMethod(), () -> {
                    IncrementalAlterConfigsRequest.Builder b = IncrementalAlterConfigsRequest.newBuilder();
                    for (String topic : results.pending()) {
                        AlterConfigsResource.Builder r = AlterConfigsResource.newBuilder()
                                .setResource(topicResource(topic));
                        for (ConfigChange c : changes.get(topic)) {
                            r.addConfigs(AlterableConfig.newBuilder().setName(c.name())
                                    .setOp(c.isDelete() ? AlterConfigOp.ALTER_CONFIG_OP_DELETE
                                            : AlterConfigOp.ALTER_CONFIG_OP_SET)
                                    .setValue(c.isDelete() ? "" : c.value()));
                        }
                        b.addResources(r);
                    }
                    return b.build();
                }, response -> {
                    for (AlterConfigsResult r : response.getResultsList()) {
                        settle(results, r.getResource().getName(), r.getErrorCode(), r.getErrorMessage());
                    }
                    failMissing(results);
                    return results.finishOrRetry();
                }, deadlineMs);
    }
}
