package io.sluice.client.admin.internal;

import io.grpc.MethodDescriptor;
import io.sluice.client.admin.ClusterDescription;
import io.sluice.client.common.Node;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
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
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.QuorumMember;
import io.sluice.proto.v1.QuorumRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
}
