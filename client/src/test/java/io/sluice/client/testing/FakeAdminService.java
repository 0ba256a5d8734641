package io.sluice.client.testing;

import io.grpc.stub.StreamObserver;
import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.AlterConfigOp;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.AlterConfigsResult;
import io.sluice.proto.v1.AlterableConfig;
import io.sluice.proto.v1.ConfigEntry;
import io.sluice.proto.v1.ConfigResource;
import io.sluice.proto.v1.ConfigSource;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreatePartitionsResult;
import io.sluice.proto.v1.CreatePartitionsTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteRecordsPartition;
import io.sluice.proto.v1.DeleteRecordsPartitionResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.DeleteRecordsTopic;
import io.sluice.proto.v1.DeleteRecordsTopicResponse;
import io.sluice.proto.v1.DeleteTopicResult;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.DescribeClusterRequest;
import io.sluice.proto.v1.DescribeClusterResponse;
import io.sluice.proto.v1.DescribeConfigsRequest;
import io.sluice.proto.v1.DescribeConfigsResponse;
import io.sluice.proto.v1.DescribeConfigsResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.proto.v1.QuorumMember;
import io.sluice.proto.v1.QuorumRole;
import java.util.Map;
import java.util.TreeMap;

/** The admin calls of {@link FakeBroker}. */
final class FakeAdminService extends AdminServiceGrpc.AdminServiceImplBase {
    static final Map<String, String> DEFAULT_CONFIGS = Map.of("retention.ms", "604800000",
            "min.insync.replicas", "1", "cleanup.policy", "delete", "max.message.bytes", "1048588");

    private final FakeBroker broker;
    private final FakeBrokerState state;

    FakeAdminService(FakeBroker broker) {
        this.broker = broker;
        this.state = broker.state;
    }

    @Override
    public void createTopics(CreateTopicsRequest request, StreamObserver<CreateTopicsResponse> answer) {
        CreateTopicsResponse.Builder out = CreateTopicsResponse.newBuilder();
        for (CreatableTopic t : request.getTopicsList()) {
            CreateTopicResult.Builder r = CreateTopicResult.newBuilder().setName(t.getName());
            String badKey = t.getConfigsMap().keySet().stream().filter(k -> !DEFAULT_CONFIGS.containsKey(k))
                    .findFirst().orElse(null);
            int partitions = t.getNumPartitions() < 0 ? 1 : t.getNumPartitions();
            ErrorCode code = badKey != null ? ErrorCode.ERROR_CODE_INVALID_CONFIG
                    : t.getReplicationFactor() > 1 ? ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR
                    : state.createTopic(t.getName(), partitions, t.getConfigsMap());
            r.setErrorCode(code);
            if (code == ErrorCode.ERROR_CODE_NONE) {
                r.setTopicId(state.topic(t.getName()).id()).setNumPartitions(partitions).setReplicationFactor(1);
            } else {
                r.setErrorMessage(badKey != null ? "unknown config " + badKey : "").setNumPartitions(-1)
                        .setReplicationFactor(-1);
            }
            out.addTopics(r);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void deleteTopics(DeleteTopicsRequest request, StreamObserver<DeleteTopicsResponse> answer) {
        DeleteTopicsResponse.Builder out = DeleteTopicsResponse.newBuilder();
        for (String name : request.getTopicsList()) {
            out.addTopics(DeleteTopicResult.newBuilder().setName(name).setErrorCode(state.deleteTopic(name)
                    ? ErrorCode.ERROR_CODE_NONE : ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION));
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void createPartitions(CreatePartitionsRequest request, StreamObserver<CreatePartitionsResponse> answer) {
        CreatePartitionsResponse.Builder out = CreatePartitionsResponse.newBuilder();
        for (CreatePartitionsTopic t : request.getTopicsList()) {
            out.addTopics(CreatePartitionsResult.newBuilder().setName(t.getName())
                    .setErrorCode(state.addPartitions(t.getName(), t.getNewTotalCount())));
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void describeConfigs(DescribeConfigsRequest request, StreamObserver<DescribeConfigsResponse> answer) {
        DescribeConfigsResponse.Builder out = DescribeConfigsResponse.newBuilder();
        for (ConfigResource resource : request.getResourcesList()) {
            DescribeConfigsResult.Builder r = DescribeConfigsResult.newBuilder().setResource(resource);
            FakeBrokerState.Topic t = state.topic(resource.getName());
            if (t == null) {
                r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
            } else {
                Map<String, String> all = new TreeMap<>(DEFAULT_CONFIGS);
                all.putAll(t.configs());
                all.forEach((k, v) -> r.addEntries(ConfigEntry.newBuilder().setName(k).setValue(v)
                        .setSource(t.configs().containsKey(k) ? ConfigSource.CONFIG_SOURCE_TOPIC
                                : ConfigSource.CONFIG_SOURCE_DEFAULT)));
            }
            out.addResults(r);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void incrementalAlterConfigs(IncrementalAlterConfigsRequest request,
            StreamObserver<IncrementalAlterConfigsResponse> answer) {
        IncrementalAlterConfigsResponse.Builder out = IncrementalAlterConfigsResponse.newBuilder();
        for (AlterConfigsResource resource : request.getResourcesList()) {
            AlterConfigsResult.Builder r = AlterConfigsResult.newBuilder().setResource(resource.getResource());
            FakeBrokerState.Topic t = state.topic(resource.getResource().getName());
            if (t == null) {
                r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
            } else if (resource.getConfigsList().stream().anyMatch(c -> !DEFAULT_CONFIGS.containsKey(c.getName()))) {
                r.setErrorCode(ErrorCode.ERROR_CODE_INVALID_CONFIG).setErrorMessage("unknown config key");
            } else {
                for (AlterableConfig c : resource.getConfigsList()) {
                    if (c.getOp() == AlterConfigOp.ALTER_CONFIG_OP_DELETE) {
                        t.configs().remove(c.getName());
                    } else {
                        t.configs().put(c.getName(), c.getValue());
                    }
                }
            }
            out.addResults(r);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> answer) {
        ListOffsetsResponse.Builder out = ListOffsetsResponse.newBuilder();
        for (ListOffsetsTopic t : request.getTopicsList()) {
            ListOffsetsTopicResponse.Builder tr = ListOffsetsTopicResponse.newBuilder().setName(t.getName());
            for (ListOffsetsPartition p : t.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(t.getName(), p.getPartition());
                ListOffsetsPartitionResponse.Builder r = ListOffsetsPartitionResponse.newBuilder()
                        .setPartition(p.getPartition()).setTimestampMs(-1).setLeaderEpoch(0);
                if (!state.exists(tp)) {
                    r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).setOffset(-1);
                } else if (p.getSpec() == OffsetSpec.OFFSET_SPEC_EARLIEST) {
                    r.setOffset(state.startOffset(tp));
                } else if (p.getSpec() == OffsetSpec.OFFSET_SPEC_TIMESTAMP) {
                    long found = state.offsetForTime(tp, p.getTimestampMs());
                    // As the real broker: no record that recent is the end offset with timestamp -1.
                    r.setOffset(found < 0 ? state.endOffset(tp) : found)
                            .setTimestampMs(found < 0 ? -1 : p.getTimestampMs());
                } else {
                    r.setOffset(state.endOffset(tp));
                }
                tr.addPartitions(r);
            }
            out.addTopics(tr);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void deleteRecords(DeleteRecordsRequest request, StreamObserver<DeleteRecordsResponse> answer) {
        DeleteRecordsResponse.Builder out = DeleteRecordsResponse.newBuilder();
        for (DeleteRecordsTopic t : request.getTopicsList()) {
            DeleteRecordsTopicResponse.Builder tr = DeleteRecordsTopicResponse.newBuilder().setName(t.getName());
            for (DeleteRecordsPartition p : t.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(t.getName(), p.getPartition());
                DeleteRecordsPartitionResponse.Builder r = DeleteRecordsPartitionResponse.newBuilder()
                        .setPartition(p.getPartition()).setLowWatermark(-1);
                if (!state.exists(tp)) {
                    r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
                } else if (p.getOffset() > state.endOffset(tp)) {
                    r.setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE);
                } else {
                    r.setLowWatermark(state.deleteRecords(tp, p.getOffset()));
                }
                tr.addPartitions(r);
            }
            out.addTopics(tr);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void describeCluster(DescribeClusterRequest request, StreamObserver<DescribeClusterResponse> answer) {
        FakeBroker.reply(answer, DescribeClusterResponse.newBuilder().setClusterId("fake-cluster")
                .setControllerId(FakeBroker.NODE_ID).addBrokers(broker.brokerMetadata()).setQuorumTerm(1)
                .setQuorumCommitIndex(42).addQuorumMembers(QuorumMember.newBuilder().setNodeId(FakeBroker.NODE_ID)
                        .setRole(QuorumRole.QUORUM_ROLE_VOTER).setLastAppliedIndex(42))
                .setUnderReplicatedPartitions(0).setOfflinePartitions(0).setUnderMinIsrPartitions(0).build());
    }
}
