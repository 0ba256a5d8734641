package io.sluice.client.testing;

import io.grpc.stub.StreamObserver;
import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.DeleteGroupResult;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorRequest;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.GroupListing;
import io.sluice.proto.v1.GroupMember;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.ListGroupsResponse;
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
import io.sluice.proto.v1.PartitionLag;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The group calls of {@link FakeBroker}. Time for session expiry is the wall clock (test code). */
final class FakeGroupService extends GroupServiceGrpc.GroupServiceImplBase {
    private final FakeBroker broker;
    private final FakeBrokerState state;
    private final FakeGroupCoordinator groups;

    FakeGroupService(FakeBroker broker) {
        this.broker = broker;
        this.state = broker.state;
        this.groups = broker.groups;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public void findCoordinator(FindCoordinatorRequest request, StreamObserver<FindCoordinatorResponse> answer) {
        FindCoordinatorResponse.Builder out = FindCoordinatorResponse.newBuilder();
        request.getGroupIdsList().forEach(g -> out.addCoordinators(Coordinator.newBuilder().setGroupId(g)
                .setNodeId(FakeBroker.NODE_ID).setEndpoint(broker.endpoint())));
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest request,
            StreamObserver<ConsumerGroupHeartbeatResponse> answer) {
        FakeBroker.reply(answer, groups.heartbeat(request, now()));
    }

    @Override
    public void offsetCommit(OffsetCommitRequest request, StreamObserver<OffsetCommitResponse> answer) {
        boolean refused = request.getMemberId().isEmpty() && !groups.members(request.getGroupId(), now()).isEmpty();
        OffsetCommitResponse.Builder out = OffsetCommitResponse.newBuilder();
        for (OffsetCommitTopic t : request.getTopicsList()) {
            OffsetCommitTopicResponse.Builder tr = OffsetCommitTopicResponse.newBuilder().setName(t.getName());
            for (OffsetCommitPartition p : t.getPartitionsList()) {
                if (!refused) {
                    state.commit(request.getGroupId(), new TopicPartition(t.getName(), p.getPartition()),
                            p.getCommittedOffset());
                }
                tr.addPartitions(OffsetCommitPartitionResponse.newBuilder().setPartition(p.getPartition())
                        .setErrorCode(refused ? ErrorCode.ERROR_CODE_NON_EMPTY_GROUP : ErrorCode.ERROR_CODE_NONE));
            }
            out.addTopics(tr);
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void offsetFetch(OffsetFetchRequest request, StreamObserver<OffsetFetchResponse> answer) {
        Map<TopicPartition, Long> committed = state.committed(request.getGroupId());
        Map<String, OffsetFetchTopicResponse.Builder> byTopic = new TreeMap<>();
        if (request.getTopicsCount() == 0) {
            committed.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(),
                    n -> OffsetFetchTopicResponse.newBuilder().setName(n)).addPartitions(partition(tp.partition(),
                    offset)));
        }
        for (OffsetFetchTopic t : request.getTopicsList()) {
            OffsetFetchTopicResponse.Builder tr = byTopic.computeIfAbsent(t.getName(),
                    n -> OffsetFetchTopicResponse.newBuilder().setName(n));
            for (int p : t.getPartitionsList()) {
                tr.addPartitions(partition(p, committed.getOrDefault(new TopicPartition(t.getName(), p), -1L)));
            }
        }
        OffsetFetchResponse.Builder out = OffsetFetchResponse.newBuilder();
        byTopic.values().forEach(out::addTopics);
        FakeBroker.reply(answer, out.build());
    }

    private static OffsetFetchPartitionResponse partition(int p, long offset) {
        return OffsetFetchPartitionResponse.newBuilder().setPartition(p).setCommittedOffset(offset)
                .setCommittedLeaderEpoch(-1).build();
    }

    @Override
    public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> answer) {
        Set<String> ids = new TreeSet<>(groups.groupIds());
        ids.addAll(state.groupsWithOffsets());
        ListGroupsResponse.Builder out = ListGroupsResponse.newBuilder();
        for (String id : ids) {
            out.addGroups(GroupListing.newBuilder().setGroupId(id).setState(groups.stateOf(id, now()))
                    .setMemberCount(groups.members(id, now()).size()));
        }
        FakeBroker.reply(answer, out.build());
    }

    @Override
    public void describeGroups(DescribeGroupsRequest request, StreamObserver<DescribeGroupsResponse> answer) {
        DescribeGroupsResponse.Builder out = DescribeGroupsResponse.newBuilder();
        for (String id : request.getGroupIdsList()) {
            out.addGroups(describe(id, request.getIncludeLag()));
        }
        FakeBroker.reply(answer, out.build());
    }

    private GroupDescription describe(String id, boolean lag) {
        Map<String, FakeGroupCoordinator.Member> members = groups.members(id, now());
        if (members.isEmpty() && !state.hasGroupOffsets(id) && !groups.groupIds().contains(id)) {
            return GroupDescription.newBuilder().setGroupId(id).setErrorCode(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND)
                    .build();
        }
        GroupDescription.Builder d = GroupDescription.newBuilder().setGroupId(id).setState(groups.stateOf(id, now()))
                .setGroupEpoch(groups.epoch(id)).setAssignmentEpoch(groups.epoch(id)).setAssignor("uniform");
        Map<TopicPartition, String> owners = new TreeMap<>();
        for (FakeGroupCoordinator.Member m : members.values()) {
            d.addMembers(GroupMember.newBuilder().setMemberId(m.id).setInstanceId(m.instanceId)
                    .setClientId(m.clientId).setClientHost("127.0.0.1").setMemberEpoch(m.epoch)
                    .addAllSubscribedTopics(new TreeSet<>(m.subscription)).setAssignment(toAssignment(m.owned))
                    .setTargetAssignment(toAssignment(m.target)));
            m.owned.forEach(tp -> owners.put(tp, m.id));
        }
        Map<TopicPartition, Long> committed = state.committed(id);
        Set<TopicPartition> partitions = new TreeSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        for (TopicPartition tp : partitions) {
            long c = committed.getOrDefault(tp, -1L);
            long end = state.endOffset(tp);
            d.addPartitions(PartitionLag.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                    .setCommittedOffset(c).setLogEndOffset(lag ? end : -1)
                    .setLag(lag ? end - (c >= 0 ? c : state.startOffset(tp)) : -1)
                    .setOwnerMemberId(owners.getOrDefault(tp, "")));
        }
        return d.build();
    }

    private static Assignment toAssignment(Set<TopicPartition> partitions) {
        Map<String, TopicPartitionSet.Builder> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), n -> TopicPartitionSet.newBuilder()
                .setTopicName(n)).addPartitions(tp.partition()));
        Assignment.Builder a = Assignment.newBuilder();
        byTopic.values().forEach(a::addTopicPartitions);
        return a.build();
    }

    @Override
    public void deleteGroups(DeleteGroupsRequest request, StreamObserver<DeleteGroupsResponse> answer) {
        DeleteGroupsResponse.Builder out = DeleteGroupsResponse.newBuilder();
        for (String id : request.getGroupIdsList()) {
            ErrorCode code;
            if (!groups.members(id, now()).isEmpty()) {
                code = ErrorCode.ERROR_CODE_NON_EMPTY_GROUP;
            } else if (!state.hasGroupOffsets(id) && !groups.groupIds().contains(id)) {
                code = ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND;
            } else {
                state.deleteGroupOffsets(id);
                groups.delete(id);
                code = ErrorCode.ERROR_CODE_NONE;
            }
            out.addResults(DeleteGroupResult.newBuilder().setGroupId(id).setErrorCode(code));
        }
        FakeBroker.reply(answer, out.build());
    }

}
