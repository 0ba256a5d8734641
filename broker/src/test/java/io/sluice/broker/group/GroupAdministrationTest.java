package io.sluice.broker.group;

import static io.sluice.broker.group.CoordinatorHarness.assigned;
import static io.sluice.broker.group.CoordinatorHarness.beat;
import static io.sluice.broker.group.CoordinatorHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.internal.GroupListings;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.GroupMember;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.ListGroupsResponse;
import io.sluice.proto.v1.PartitionLag;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ListGroups, DescribeGroups (with lag) and DeleteGroups. */
class GroupAdministrationTest {
    private CoordinatorHarness h;

    @BeforeEach
    void setUp() {
        h = new CoordinatorHarness();
        h.catalog.create("orders", 2);
    }

    private GroupDescription describe(String groupId, boolean lag) {
        DescribeGroupsResponse response = h.coordinator.handleDescribeGroups(DescribeGroupsRequest.newBuilder()
                .addGroupIds(groupId).setIncludeLag(lag).build(), h.now()).join();
        return response.getGroups(0);
    }

    @Test
    void describeShowsMembersTargetsCommittedOffsetsAndLag() {
        h.heartbeat(join("a", "orders").toBuilder().setClientId("app-1").build());
        h.commit("a", 1, "orders", 0, 40);
        h.logEnds.set(h.partitions("orders", 0).first(), 10, 100);
        h.logEnds.set(h.partitions("orders", 1).first(), 10, 25);

        GroupDescription group = describe("billing", true);
        assertEquals(ErrorCode.ERROR_CODE_NONE, group.getErrorCode(), group.getErrorMessage());
        assertEquals(GroupState.GROUP_STATE_STABLE, group.getState());
        assertEquals(1, group.getGroupEpoch());
        assertEquals(1, group.getAssignmentEpoch());
        assertEquals("uniform", group.getAssignor());
        GroupMember member = group.getMembers(0);
        assertEquals("a", member.getMemberId());
        assertEquals("app-1", member.getClientId());
        assertEquals("10.1.1.1", member.getClientHost());
        assertEquals(List.of("orders"), member.getSubscribedTopicsList());
        assertEquals(2, member.getAssignment().getTopicPartitions(0).getPartitionsCount());
        assertEquals(member.getAssignment(), member.getTargetAssignment());

        PartitionLag p0 = group.getPartitions(0);
        assertEquals("orders", p0.getTopic());
        assertEquals(40, p0.getCommittedOffset());
        assertEquals(100, p0.getLogEndOffset());
        assertEquals(60, p0.getLag());
        assertEquals("a", p0.getOwnerMemberId());
        PartitionLag p1 = group.getPartitions(1);
        assertEquals(-1, p1.getCommittedOffset());
        assertEquals(15, p1.getLag(), "nothing committed: from the log start");

        PartitionLag noLag = describe("billing", false).getPartitions(0);
        assertEquals(40, noLag.getCommittedOffset());
        assertEquals(-1, noLag.getLogEndOffset());
        assertEquals(-1, noLag.getLag());

        h.logEnds.failLookups(true);
        PartitionLag unknown = describe("billing", true).getPartitions(0);
        assertEquals(-1, unknown.getLag(), "leaders unreachable: lag unknown, description still answered");
    }

    @Test
    void describeRefusesUnknownAndInvalidGroups() {
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, describe("nobody", true).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, describe("", true).getErrorCode());
        h.locator.loseCoordination(3);
        GroupDescription elsewhere = describe("billing", false);
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, elsewhere.getErrorCode());
        assertTrue(elsewhere.getErrorMessage().contains("node 3"), elsewhere.getErrorMessage());
    }

    @Test
    void aReconcilingGroupShowsWhatMembersOwnAndShouldOwn() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1))));
        GroupDescription group = describe("billing", false);
        assertEquals(GroupState.GROUP_STATE_RECONCILING, group.getState());
        GroupMember a = group.getMembers(0);
        assertEquals(2, a.getAssignment().getTopicPartitions(0).getPartitionsCount(), "still owns the revoked one");
        assertEquals(kept.size(), a.getTargetAssignment().getTopicPartitions(0).getPartitionsCount());
        assertEquals(2, group.getGroupEpoch());
    }

    @Test
    void listGroupsShowsStatesAndFilters() {
        h.heartbeat(join("a", "orders"));
        h.commit("", -1, "orders", 0, 1);
        h.coordinator.handleOffsetCommit(io.sluice.proto.v1.OffsetCommitRequest.newBuilder().setGroupId("quiet")
                .setMemberEpoch(-1).addTopics(io.sluice.proto.v1.OffsetCommitTopic.newBuilder().setName("orders")
                        .addPartitions(io.sluice.proto.v1.OffsetCommitPartition.newBuilder().setPartition(0)
                                .setCommittedOffset(3))).build(), h.now()).join();
        ListGroupsResponse all = GroupListings.list(ListGroupsRequest.getDefaultInstance(), h.store);
        assertEquals(2, all.getGroupsCount());
        assertEquals("billing", all.getGroups(0).getGroupId());
        assertEquals(GroupState.GROUP_STATE_STABLE, all.getGroups(0).getState());
        assertEquals(1, all.getGroups(0).getMemberCount());
        assertEquals(GroupState.GROUP_STATE_EMPTY, all.getGroups(1).getState());
        ListGroupsResponse empty = GroupListings.list(ListGroupsRequest.newBuilder()
                .addStatesFilter(GroupState.GROUP_STATE_EMPTY).build(), h.store);
        assertEquals(List.of("quiet"), empty.getGroupsList().stream().map(g -> g.getGroupId()).toList());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, GroupListings.list(ListGroupsRequest.newBuilder()
                .addStatesFilterValue(99).build(), h.store).getErrorCode());
    }

    @Test
    void onlyEmptyGroupsAreDeletedWithTheirOffsets() {
        h.heartbeat(join("a", "orders"));
        h.commit("a", 1, "orders", 0, 5);
        DeleteGroupsResponse busy = delete("billing", "ghost", "");
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, busy.getResults(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, busy.getResults(1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, busy.getResults(2).getErrorCode());

        h.heartbeat(CoordinatorHarness.request("a", 1).setMemberEpoch(-1).build());
        DeleteGroupsResponse done = delete("billing");
        assertEquals(ErrorCode.ERROR_CODE_NONE, done.getResults(0).getErrorCode(), done.toString());
        assertTrue(h.store.group("billing").isEmpty());
        assertTrue(h.store.offsets("billing").isEmpty());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, describe("billing", false).getErrorCode());

        assertEquals(ErrorCode.ERROR_CODE_NONE, h.heartbeat(join("b", "orders")).getErrorCode());
        assertEquals(1, h.group().groupEpoch(), "a new group starts from epoch 1");
    }

    @Test
    void groupsKnownOnlyByTheirOffsetsCanBeDescribedAndDeleted() {
        h.commit("", -1, "orders", 1, 9);
        GroupDescription group = describe("billing", false);
        assertEquals(GroupState.GROUP_STATE_EMPTY, group.getState());
        assertEquals(9, group.getPartitions(0).getCommittedOffset());
        assertEquals(ErrorCode.ERROR_CODE_NONE, delete("billing").getResults(0).getErrorCode());
        assertTrue(h.store.groupIdsWithOffsets().isEmpty());
    }

    private DeleteGroupsResponse delete(String... groupIds) {
        return h.coordinator.handleDeleteGroups(DeleteGroupsRequest.newBuilder().addAllGroupIds(List.of(groupIds))
                .build(), h.now()).join();
    }
}
