package io.sluice.client.internal;

import io.grpc.MethodDescriptor;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.OffsetSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offset lookups (earliest, latest, by timestamp) at partition leaders, as a
 * {@link LeaderRoutedOperation}. Used by the consumer (resets, {@code offsetsForTimes}) and the
 * admin client. Stateless factory.
 */
public final class ListOffsetsOperation {
    private ListOffsetsOperation() {
    }

    /** What to look up for one partition. */
    public record Query(OffsetSpec spec, long timestampMs) {
    }

    /** One answer: the offset (-1 if no record matches), its timestamp and leader epoch (-1 if none). */
    public record Result(long offset, long timestampMs, int leaderEpoch) {
    }

    /** The operation looking up {@code queries}. */
    public static LeaderRoutedOperation<ListOffsetsRequest, ListOffsetsResponse, Result> create(
            Map<TopicPartition, Query> queries, IsolationLevel isolation, long deadlineMs) {
        Map<TopicPartition, Query> copy = new HashMap<>(queries);
        return new LeaderRoutedOperation<>(queries.keySet(), new LeaderRoutedOperation.Codec<>() {
            @Override
            public String description() {
                return "offsets";
            }

            @Override
            public MethodDescriptor<ListOffsetsRequest, ListOffsetsResponse> method() {
                return AdminServiceGrpc.getListOffsetsMethod();
            }

            @Override
            public ListOffsetsRequest request(List<TopicPartition> partitions, Cluster cluster) {
                Map<String, ListOffsetsTopic.Builder> topics = new LinkedHashMap<>();
                for (TopicPartition tp : partitions) {
                    Query q = copy.get(tp);
                    int epoch = cluster.partition(tp).map(Cluster.Partition::leaderEpoch).orElse(-1);
                    topics.computeIfAbsent(tp.topic(), t -> ListOffsetsTopic.newBuilder().setName(t))
                            .addPartitions(ListOffsetsPartition.newBuilder().setPartition(tp.partition())
                                    .setSpec(q.spec()).setTimestampMs(Math.max(0, q.timestampMs()))
                                    .setCurrentLeaderEpoch(epoch));
                }
                ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder().setIsolationLevel(isolation);
                topics.values().forEach(request::addTopics);
                return request.build();
            }

            @Override
            public Map<TopicPartition, LeaderRoutedOperation.PartitionOutcome<Result>> parse(
                    ListOffsetsResponse response) {
                Map<TopicPartition, LeaderRoutedOperation.PartitionOutcome<Result>> out = new HashMap<>();
                for (ListOffsetsTopicResponse t : response.getTopicsList()) {
                    for (ListOffsetsPartitionResponse p : t.getPartitionsList()) {
                        LeaderHint hint = p.hasCurrentLeader() ? p.getCurrentLeader() : null;
                        Result r = new Result(p.getOffset(), p.getTimestampMs(), p.getLeaderEpoch());
                        out.put(new TopicPartition(t.getName(), p.getPartition()), new LeaderRoutedOperation
                                .PartitionOutcome<>(r, p.getErrorCode(), p.getErrorMessage(), hint));
                    }
                }
                return out;
            }
        }, deadlineMs);
    }
}
