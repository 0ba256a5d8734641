package io.sluice.client.admin.internal;

import io.sluice.client.admin.GroupDescription;
import io.sluice.client.admin.GroupListing;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.internal.RpcOperation;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.DeleteGroupResult;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupMember;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.ListGroupsResponse;
import io.sluice.proto.v1.PartitionLag;
import io.sluice.proto.v1.TopicPartitionSet;
import io.sluice.protocol.ErrorCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The admin client's consumer-group requests (offsets are in {@code GroupRequests}). Stateless factory. */
public final class GroupAdminRequests {
    private GroupAdminRequests() {
    }

    private static void check(ErrorCode code, String groupId, String message) {
        if (code != ErrorCode.ERROR_CODE_NONE) {
            throw Errors.toException(code, "group '" + groupId + "': " + ErrorCodes.messageOrDefault(code, message));
        }
    }

    static String stateName(GroupState state) {
        return state == GroupState.UNRECOGNIZED ? "UNKNOWN" : state.name().replace("GROUP_STATE_", "");
    }

    /** Every group of the cluster. */
    public static RpcOperation<ListGroupsRequest, ListGroupsResponse, List<GroupListing>> list(long deadlineMs) {
        return new RpcOperation<>("list groups", RpcOperation.anyNode(), GroupServiceGrpc.getListGroupsMethod(),
                () -> ListGroupsRequest.getDefaultInstance(), r -> {
                    Errors.throwIfError(r.getErrorCode(), r.getErrorMessage());
                    List<GroupListing> out = new ArrayList<>();
                    r.getGroupsList().forEach(g -> out.add(new GroupListing(g.getGroupId(), stateName(g.getState()),
                            g.getMemberCount())));
                    out.sort((a, b) -> a.groupId().compareTo(b.groupId()));
                    return List.copyOf(out);
                }, deadlineMs);
    }

    /** One group with members and per-partition lag. */
    public static RpcOperation<DescribeGroupsRequest, DescribeGroupsResponse, GroupDescription> describe(
            String groupId, long deadlineMs) {
        return new RpcOperation<>("describe group", RpcOperation.coordinator(groupId),
                GroupServiceGrpc.getDescribeGroupsMethod(),
                () -> DescribeGroupsRequest.newBuilder().addGroupIds(groupId).setIncludeLag(true).build(), r -> {
                    var g = r.getGroupsList().stream().filter(d -> d.getGroupId().equals(groupId)).findFirst()
                            .orElseThrow(() -> Errors.toException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                                    "the answer did not mention group '" + groupId + "'"));
                    check(g.getErrorCode(), groupId, g.getErrorMessage());
                    List<GroupDescription.Member> members = new ArrayList<>();
                    for (GroupMember m : g.getMembersList()) {
                        members.add(new GroupDescription.Member(m.getMemberId(), m.getInstanceId(), m.getClientId(),
                                m.getClientHost(), m.getMemberEpoch(), Set.copyOf(m.getSubscribedTopicsList()),
                                partitions(m.getAssignment()), partitions(m.getTargetAssignment())));
                    }
                    List<GroupDescription.PartitionLag> lags = new ArrayList<>();
                    for (PartitionLag p : g.getPartitionsList()) {
                        lags.add(new GroupDescription.PartitionLag(new TopicPartition(p.getTopic(), p.getPartition()),
                                p.getCommittedOffset(), p.getLogEndOffset(), p.getLag(), p.getOwnerMemberId()));
                    }
                    lags.sort((a, b) -> a.topicPartition().compareTo(b.topicPartition()));
                    return new GroupDescription(groupId, stateName(g.getState()), g.getGroupEpoch(),
                            g.getAssignmentEpoch(), g.getAssignor(), List.copyOf(members), List.copyOf(lags));
                }, deadlineMs);
    }

    private static Set<TopicPartition> partitions(Assignment a) {
        Set<TopicPartition> out = new TreeSet<>();
        for (TopicPartitionSet s : a.getTopicPartitionsList()) {
            s.getPartitionsList().forEach(p -> out.add(new TopicPartition(s.getTopicName(), p)));
        }
        return out;
    }

    /** Deletes one group (it must have no members) and its committed offsets. */
    public static RpcOperation<DeleteGroupsRequest, DeleteGroupsResponse, Void> delete(String groupId,
            long deadlineMs) {
        return new RpcOperation<>("delete group", RpcOperation.coordinator(groupId),
                GroupServiceGrpc.getDeleteGroupsMethod(),
                () -> DeleteGroupsRequest.newBuilder().addGroupIds(groupId).build(), r -> {
                    for (DeleteGroupResult g : r.getResultsList()) {
                        if (g.getGroupId().equals(groupId)) {
                            check(g.getErrorCode(), groupId, g.getErrorMessage());
                            return null;
                        }
                    }
                    throw Errors.toException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                            "the answer did not mention group '" + groupId + "'");
                }, deadlineMs);
    }
}
