package io.sluice.client.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.errors.CommitFailedException;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.FencedMemberException;
import io.sluice.client.errors.SluiceException;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitPartitionResponse;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetCommitTopicResponse;
import io.sluice.proto.v1.OffsetFetchPartitionResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.proto.v1.OffsetFetchTopic;
import io.sluice.proto.v1.OffsetFetchTopicResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The offset requests to a group's coordinator, as {@link RpcOperation}s: commit and fetch
 * committed offsets. Used by the consumer and the admin client (which commits with an empty member
 * id and epoch -1, as a group with no members allows). A fenced or unknown member turns into
 * {@link CommitFailedException}; {@code STALE_MEMBER_EPOCH} is retried with the member's current
 * epoch. Stateless.
 */
public final class GroupRequests {
    private GroupRequests() {
    }

    /**
     * Commits {@code offsets}; {@code memberId} and {@code memberEpoch} are read at every attempt.
     */
    public static RpcOperation<OffsetCommitRequest, OffsetCommitResponse, Void> commit(String groupId,
            Map<TopicPartition, OffsetAndMetadata> offsets, Supplier<String> memberId, IntSupplier memberEpoch,
            long deadlineMs) {
        Map<String, List<Map.Entry<TopicPartition, OffsetAndMetadata>>> byTopic = new TreeMap<>();
        offsets.entrySet().forEach(e -> byTopic.computeIfAbsent(e.getKey().topic(), t -> new ArrayList<>()).add(e));
        Supplier<OffsetCommitRequest> request = () -> {
            OffsetCommitRequest.Builder b = OffsetCommitRequest.newBuilder().setGroupId(groupId)
                    .setMemberId(memberId.get()).setMemberEpoch(memberEpoch.getAsInt());
            byTopic.forEach((topic, entries) -> {
                OffsetCommitTopic.Builder t = OffsetCommitTopic.newBuilder().setName(topic);
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : entries) {
                    t.addPartitions(OffsetCommitPartition.newBuilder().setPartition(e.getKey().partition())
                            .setCommittedOffset(e.getValue().offset())
                            .setCommittedLeaderEpoch(e.getValue().leaderEpoch())
                            .setMetadata(e.getValue().metadata()));
                }
                b.addTopics(t);
            });
            return b.build();
        };
        return new RpcOperation<>("offset commit", RpcOperation.coordinator(groupId),
                GroupServiceGrpc.getOffsetCommitMethod(), request, GroupRequests::checkCommit, deadlineMs);
    }

    private static Void checkCommit(OffsetCommitResponse response) {
        throwIfError(response.getErrorCode(), response.getErrorMessage());
        for (OffsetCommitTopicResponse t : response.getTopicsList()) {
            for (OffsetCommitPartitionResponse p : t.getPartitionsList()) {
                throwIfError(p.getErrorCode(), t.getName() + "-" + p.getPartition() + ": " + p.getErrorMessage());
            }
        }
        return null;
    }

    private static void throwIfError(ErrorCode code, String message) {
        if (code == ErrorCode.ERROR_CODE_NONE) {
            return;
        }
        SluiceException e = Errors.toException(code, message);
        if (e instanceof FencedMemberException) {
            throw new CommitFailedException(code, "the commit was refused because this consumer is no longer a "
                    + "member of the group with that epoch (" + e.getMessage() + ")");
        }
        throw e;
    }

    /**
     * Reads committed offsets; partitions in the answer without a commit are left out of the
     * result. {@code partitions} empty means every committed offset of the group.
     */
    public static RpcOperation<OffsetFetchRequest, OffsetFetchResponse, Map<TopicPartition, OffsetAndMetadata>>
            fetchCommitted(String groupId, Collection<TopicPartition> partitions, long deadlineMs) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        OffsetFetchRequest.Builder b = OffsetFetchRequest.newBuilder().setGroupId(groupId);
        byTopic.forEach((topic, ids) ->
                b.addTopics(OffsetFetchTopic.newBuilder().setName(topic).addAllPartitions(ids)));
        OffsetFetchRequest request = b.build();
        return new RpcOperation<>("offset fetch", RpcOperation.coordinator(groupId),
                GroupServiceGrpc.getOffsetFetchMethod(), () -> request, GroupRequests::readCommitted, deadlineMs);
    }

    private static Map<TopicPartition, OffsetAndMetadata> readCommitted(OffsetFetchResponse response) {
        throwIfError(response.getErrorCode(), response.getErrorMessage());
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        for (OffsetFetchTopicResponse t : response.getTopicsList()) {
            for (OffsetFetchPartitionResponse p : t.getPartitionsList()) {
                throwIfError(p.getErrorCode(), t.getName() + "-" + p.getPartition() + ": " + p.getErrorMessage());
                if (p.getCommittedOffset() >= 0) {
                    out.put(new TopicPartition(t.getName(), p.getPartition()), new OffsetAndMetadata(
                            p.getCommittedOffset(), p.getCommittedLeaderEpoch(), p.getMetadata()));
                }
            }
        }
        return out;
    }
}
