package io.sluice.client.admin.internal;

import io.grpc.MethodDescriptor;
import io.sluice.client.admin.ClusterDescription;
import io.sluice.client.admin.ElectionType;
import io.sluice.client.admin.Results;
import io.sluice.client.common.Node;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.LeaderRoutedOperation;
import io.sluice.client.internal.RpcOperation;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.DeleteRecordsPartition;
import io.sluice.proto.v1.DeleteRecordsPartitionResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.DeleteRecordsTopic;
import io.sluice.proto.v1.DeleteRecordsTopicResponse;
import io.sluice.proto.v1.DescribeClusterRequest;
import io.sluice.proto.v1.DescribeClusterResponse;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.PartitionResult;
import io.sluice.proto.v1.QuorumMember;
import io.sluice.proto.v1.QuorumRole;
import io.sluice.proto.v1.TopicPartitions;
import io.sluice.protocol.ErrorCodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The admin client's cluster and record-deletion requests. Stateless factory. */
public final class ClusterRequests {
    private ClusterRequests() {
    }

    /** Brokers, controller, quorum and partition health. */
    public static RpcOperation<DescribeClusterRequest, DescribeClusterResponse, ClusterDescription> describe(
            long deadlineMs) {
        return new RpcOperation<>("describe cluster", RpcOperation.anyNode(),
                AdminServiceGrpc.getDescribeClusterMethod(),
                () -> DescribeClusterRequest.newBuilder().setIncludePartitionHealth(true).build(), r -> {
                    Errors.throwIfError(r.getErrorCode(), r.getErrorMessage());
                    List<ClusterDescription.Broker> brokers = new ArrayList<>();
                    for (BrokerMetadata b : r.getBrokersList()) {
                        brokers.add(new ClusterDescription.Broker(new Node(b.getBrokerId(), b.getEndpoint().getHost(),
                                b.getEndpoint().getPort(), b.getRack()), b.getState().name()
                                .replace("BROKER_STATE_", "")));
                    }
                    List<ClusterDescription.QuorumMember> quorum = new ArrayList<>();
                    for (QuorumMember m : r.getQuorumMembersList()) {
                        quorum.add(new ClusterDescription.QuorumMember(m.getNodeId(),
                                m.getRole() == QuorumRole.QUORUM_ROLE_VOTER, m.getLastAppliedIndex()));
                    }
                    return new ClusterDescription(r.getClusterId(), r.getControllerId(), List.copyOf(brokers),
                            r.getQuorumTerm(), r.getQuorumCommitIndex(), List.copyOf(quorum),
                            r.getUnderReplicatedPartitions(), r.getOfflinePartitions(), r.getUnderMinIsrPartitions());
                }, deadlineMs);
    }

    /**
     * Deletes records below the given offsets (-1: the high watermark) at the partition leaders;
     * the result is each partition's new log start offset.
     */
    public static LeaderRoutedOperation<DeleteRecordsRequest, DeleteRecordsResponse, Long> deleteRecords(
            Map<TopicPartition, Long> beforeOffsets, int timeoutMs, long deadlineMs) {
        Map<TopicPartition, Long> copy = new HashMap<>(beforeOffsets);
        return new LeaderRoutedOperation<>(beforeOffsets.keySet(), new LeaderRoutedOperation.Codec<>() {
            @Override
            public String description() {
                return "record deletion";
            }

            @Override
            public MethodDescriptor<DeleteRecordsRequest, DeleteRecordsResponse> method() {
                return AdminServiceGrpc.getDeleteRecordsMethod();
            }

            @Override
            public DeleteRecordsRequest request(List<TopicPartition> partitions, Cluster cluster) {
                Map<String, DeleteRecordsTopic.Builder> topics = new LinkedHashMap<>();
                partitions.forEach(tp -> topics.computeIfAbsent(tp.topic(), t -> DeleteRecordsTopic.newBuilder()
                        .setName(t)).addPartitions(DeleteRecordsPartition.newBuilder().setPartition(tp.partition())
                        .setOffset(copy.get(tp))));
                DeleteRecordsRequest.Builder b = DeleteRecordsRequest.newBuilder().setTimeoutMs(timeoutMs);
                topics.values().forEach(b::addTopics);
                return b.build();
            }

            @Override
            public Map<TopicPartition, LeaderRoutedOperation.PartitionOutcome<Long>> parse(DeleteRecordsResponse r) {
                Map<TopicPartition, LeaderRoutedOperation.PartitionOutcome<Long>> out = new HashMap<>();
                for (DeleteRecordsTopicResponse t : r.getTopicsList()) {
                    for (DeleteRecordsPartitionResponse p : t.getPartitionsList()) {
                        LeaderHint hint = p.hasCurrentLeader() ? p.getCurrentLeader() : null;
                        out.put(new TopicPartition(t.getName(), p.getPartition()), new LeaderRoutedOperation
                                .PartitionOutcome<>(p.getLowWatermark(), p.getErrorCode(), p.getErrorMessage(), hint));
                    }
                }
                return out;
            }
        }, deadlineMs);
    }

    /**
     * Leader elections of {@code type} for {@code partitions} (empty: every partition), through any
     * broker to the controller. The whole request is retried on a retriable error (a controller
     * election); each partition's own outcome is final: a partition whose preferred leader already
     * leads fails with ELECTION_NOT_NEEDED, one without a candidate with ELIGIBLE_LEADERS_NOT_AVAILABLE.
     */
    public static RpcOperation<ElectLeadersRequest, ElectLeadersResponse, Results<TopicPartition, Void>> electLeaders(
            ElectionType type, Set<TopicPartition> partitions, int timeoutMs, long deadlineMs) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return new RpcOperation<>("leader election", RpcOperation.anyNode(), AdminServiceGrpc.getElectLeadersMethod(),
                () -> {
                    ElectLeadersRequest.Builder b = ElectLeadersRequest.newBuilder().setTimeoutMs(timeoutMs)
                            .setType(wire(type));
                    byTopic.forEach((t, ps) -> b.addPartitions(TopicPartitions.newBuilder().setTopic(t)
                            .addAllPartitions(ps)));
                    return b.build();
                }, r -> {
                    Errors.throwIfError(r.getErrorCode(), r.getErrorMessage());
                    Map<TopicPartition, Void> elected = new LinkedHashMap<>();
                    Map<TopicPartition, SluiceException> failed = new LinkedHashMap<>();
                    for (PartitionResult p : r.getResultsList()) {
                        TopicPartition tp = new TopicPartition(p.getTopic(), p.getPartition());
                        if (p.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                            elected.put(tp, null);
                        } else {
                            failed.put(tp, Errors.toException(p.getErrorCode(),
                                    ErrorCodes.messageOrDefault(p.getErrorCode(), p.getErrorMessage())));
                        }
                    }
                    for (TopicPartition tp : partitions) {
                        if (!elected.containsKey(tp) && !failed.containsKey(tp)) {
                            failed.put(tp, new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                                    "the answer did not mention " + tp));
                        }
                    }
                    return new Results<>(elected, failed);
                }, deadlineMs);
    }

    private static io.sluice.proto.v1.ElectionType wire(ElectionType type) {
        return switch (type) {
            case PREFERRED -> io.sluice.proto.v1.ElectionType.ELECTION_TYPE_PREFERRED;
            case UNCLEAN -> io.sluice.proto.v1.ElectionType.ELECTION_TYPE_UNCLEAN;
        };
    }
}
