package io.sluice.broker.group;

import static io.sluice.broker.group.CoordinatorHarness.assigned;
import static io.sluice.broker.group.CoordinatorHarness.beat;
import static io.sluice.broker.group.CoordinatorHarness.join;
import static io.sluice.broker.group.CoordinatorHarness.joinStatic;
import static io.sluice.broker.group.CoordinatorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.internal.GroupStates;
import io.sluice.broker.group.internal.PartitionSets;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.SubscribedTopics;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Membership and incremental reconciliation, rule by rule (KIP-848). */
class ConsumerGroupHeartbeatTest {
    private CoordinatorHarness h;

    @BeforeEach
    void setUp() {
        h = new CoordinatorHarness();
        h.catalog.create("orders", 4);
    }

    @Test
    void theFirstMemberGetsEveryPartitionAtGroupEpochOne() {
        ConsumerGroupHeartbeatResponse answer = h.heartbeat(join("a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, answer.getErrorCode(), answer.getErrorMessage());
        assertEquals(1, answer.getMemberEpoch());
        assertEquals(500, answer.getHeartbeatIntervalMs());
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(answer));
        assertEquals("orders", answer.getAssignment().getTopicPartitions(0).getTopicName());
        assertEquals(1, h.store.group(CoordinatorHarness.GROUP).orElseThrow().getGroupEpoch());
    }

    @Test
    void aPartitionMovesOnlyAfterItsOldOwnerStopsListingIt() {
        SortedSet<TopicIdPartition> all = h.partitions("orders", 0, 1, 2, 3);
        h.heartbeat(join("a", "orders"));
        ConsumerGroupHeartbeatResponse b = h.heartbeat(join("b", "orders"));
        assertEquals(2, b.getMemberEpoch());
        assertEquals(PartitionSets.empty(), assigned(b), "nothing is free yet: a owns everything");

        ConsumerGroupHeartbeatResponse a = h.heartbeat(beat("a", 1, all));
        assertEquals(1, a.getMemberEpoch(), "a stays at its epoch until it has revoked");
        SortedSet<TopicIdPartition> kept = assigned(a);
        assertEquals(2, kept.size());
        SortedSet<TopicIdPartition> revoked = PartitionSets.minus(all, kept);

        ConsumerGroupHeartbeatResponse early = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertFalse(early.hasAssignment() && !assigned(early).isEmpty(), "still owned by a: " + early);

        ConsumerGroupHeartbeatResponse stillRevoking = h.heartbeat(beat("a", 1));
        assertEquals(1, stillRevoking.getMemberEpoch(), "unset owned_partitions means a still lists them");

        ConsumerGroupHeartbeatResponse revokedAnswer = h.heartbeat(beat("a", 1, kept));
        assertEquals(2, revokedAnswer.getMemberEpoch());
        assertFalse(revokedAnswer.hasAssignment(), "a's partitions did not change: no assignment sent");

        assertEquals(GroupState.GROUP_STATE_RECONCILING, GroupStates.of(h.store.group("billing").orElseThrow()));
        ConsumerGroupHeartbeatResponse received = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertEquals(revoked, assigned(received));
        assertEquals(GroupState.GROUP_STATE_STABLE, GroupStates.of(h.store.group("billing").orElseThrow()),
                "every member has its target");
        assertFalse(h.heartbeat(beat("b", 2, revoked)).hasAssignment(), "b reports what it was given");
    }

    @Test
    void leavingFreesPartitionsForTheOthers() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        ConsumerGroupHeartbeatResponse left = h.heartbeat(request("a", 1).build().toBuilder().setMemberEpoch(-1)
                .build());
        assertEquals(-1, left.getMemberEpoch());
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertEquals(3, b.getMemberEpoch());
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(b));
        assertNull(h.group().member("a"));
    }

    @Test
    void aMemberWithoutHeartbeatsIsRemovedAfterTheSessionTimeout() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1, 2, 3)));
        for (int i = 0; i < 5; i++) {
            h.advance(1_000);
            h.heartbeat(beat("b", 2, PartitionSets.empty()));
        }
        assertNull(h.group().member("a"), "a sent nothing for 5 s > 3 s session");
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", h.group().member("b").memberEpoch(),
                PartitionSets.empty()));
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(b));
        ConsumerGroupHeartbeatResponse a = h.heartbeat(beat("a", 1));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, a.getErrorCode());
    }

    @Test
    void heartbeatsKeepTheSessionAlive() {
        h.heartbeat(join("a", "orders"));
        for (int i = 0; i < 10; i++) {
            h.advance(2_500);
            assertEquals(ErrorCode.ERROR_CODE_NONE, h.heartbeat(beat("a", 1)).getErrorCode());
        }
        assertEquals(1, h.group().memberCount());
    }

    @Test
    void aMemberThatDoesNotRevokeWithinTheRebalanceTimeoutIsFenced() {
        h.heartbeat(join("a", "orders").toBuilder().setRebalanceTimeoutMs(2_000).build());
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> all = h.partitions("orders", 0, 1, 2, 3);
        h.heartbeat(beat("a", 1, all));
        h.advance(1_000);
        assertEquals(ErrorCode.ERROR_CODE_NONE, h.heartbeat(beat("a", 1, all)).getErrorCode());
        h.advance(1_000);
        assertNull(h.group().member("a"), "2 s without revoking");
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, h.heartbeat(beat("a", 1, all)).getErrorCode());
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertEquals(all, assigned(b));
    }

    @Test
    void theDefaultRebalanceTimeoutApplies() {
        h.heartbeat(join("a", "orders"));
        assertEquals(6_000, h.store.group("billing").orElseThrow().getMembers(0).getRebalanceTimeoutMs());
    }

    @Test
    void epochsThatAreNotTheMembersAreFenced() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> all = h.partitions("orders", 0, 1, 2, 3);
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a", 1, all)));
        h.heartbeat(beat("a", 1, kept));
        assertEquals(2, h.group().member("a").memberEpoch());

        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, h.heartbeat(beat("a", 3, kept)).getErrorCode());
        ConsumerGroupHeartbeatResponse lost = h.heartbeat(beat("a", 1, kept));
        assertEquals(ErrorCode.ERROR_CODE_NONE, lost.getErrorCode(), "previous epoch, owning within assignment");
        assertEquals(2, lost.getMemberEpoch());
        assertEquals(kept, assigned(lost), "the full assignment is sent again");
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, h.heartbeat(beat("a", 1, all)).getErrorCode(),
                "previous epoch but owning partitions it no longer has");
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, h.heartbeat(beat("zz", 1)).getErrorCode());
    }

    @Test
    void aFencedMemberRejoinsWithEpochZeroAndGetsItsPartitionsBack() {
        h.heartbeat(join("a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, h.heartbeat(beat("a", 7)).getErrorCode());
        ConsumerGroupHeartbeatResponse again = h.heartbeat(join("a", "orders"));
        assertEquals(1, again.getMemberEpoch(), "same member, nothing changed: same epoch");
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(again));
        assertEquals(1, h.group().groupEpoch());
    }

    @Test
    void aStaticMemberBouncesWithoutARebalance() {
        h.heartbeat(joinStatic("a1", "host-a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a1", 1, h.partitions("orders", 0, 1, 2, 3))));
        h.heartbeat(beat("a1", 1, kept));
        int epochBefore = h.group().groupEpoch();

        ConsumerGroupHeartbeatResponse left = h.heartbeat(request("a1", 2).setMemberEpoch(-2).build());
        assertEquals(-2, left.getMemberEpoch());
        assertEquals(kept, h.group().member("a1").assigned(), "kept while away");

        ConsumerGroupHeartbeatResponse back = h.heartbeat(joinStatic("a2", "host-a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, back.getErrorCode(), back.getErrorMessage());
        assertEquals(kept, assigned(back));
        assertEquals(epochBefore, back.getMemberEpoch());
        assertEquals(epochBefore, h.group().groupEpoch(), "no new group epoch");
        assertNull(h.group().member("a1"));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, h.heartbeat(beat("a1", 2)).getErrorCode());
    }

    @Test
    void aStaticMemberThatLeftWhileRevokingIsReplacedAtOnce() {
        h.heartbeat(joinStatic("a1", "host-a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a1", 1, h.partitions("orders", 0, 1, 2, 3))));
        assertFalse(h.group().member("a1").pendingRevocation().isEmpty());
        h.heartbeat(request("a1", 1).setMemberEpoch(-2).build());

        ConsumerGroupHeartbeatResponse back = h.heartbeat(joinStatic("a2", "host-a", "orders"));
        assertEquals(2, back.getMemberEpoch(), "the new process owns nothing: nothing left to revoke");
        assertEquals(kept, assigned(back));
        assertTrue(h.group().member("a2").pendingRevocation().isEmpty());
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertEquals(PartitionSets.minus(h.partitions("orders", 0, 1, 2, 3), kept), assigned(b));
    }

    @Test
    void aLiveStaticMembersInstanceIdIsNotReleased() {
        h.heartbeat(joinStatic("a1", "host-a", "orders"));
        ConsumerGroupHeartbeatResponse twin = h.heartbeat(joinStatic("a2", "host-a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_UNRELEASED_INSTANCE_ID, twin.getErrorCode());
        assertEquals(1, h.group().memberCount());
    }

    @Test
    void aStaticMemberAwayLongerThanItsSessionIsRemoved() {
        h.heartbeat(joinStatic("a1", "host-a", "orders"));
        h.heartbeat(join("b", "orders"));
        h.heartbeat(request("a1", 1).setMemberEpoch(-2).build());
        for (int i = 0; i < 4; i++) {
            h.advance(1_000);
            h.heartbeat(beat("b", 2, PartitionSets.empty()));
        }
        assertNull(h.group().member("a1"));
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", h.group().member("b").memberEpoch(),
                PartitionSets.empty()));
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(b));
        ConsumerGroupHeartbeatResponse back = h.heartbeat(joinStatic("a2", "host-a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, back.getErrorCode(), "a new member now");
    }

    @Test
    void minusTwoIsForStaticMembersOnly() {
        h.heartbeat(join("a", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(request("a", 1).setMemberEpoch(-2).build())
                .getErrorCode());
    }

    @Test
    void topicsCreatedGrownAndDeletedMovePartitions() {
        h.heartbeat(join("a", "orders", "later"));
        h.catalog.create("later", 2);
        h.advance(1);
        ConsumerGroupHeartbeatResponse a = h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1, 2, 3)));
        assertEquals(2, a.getMemberEpoch());
        assertEquals(PartitionSets.union(h.partitions("orders", 0, 1, 2, 3), h.partitions("later", 0, 1)),
                assigned(a));

        h.catalog.grow("orders", 6);
        h.advance(1);
        a = h.heartbeat(beat("a", 2));
        assertEquals(3, a.getMemberEpoch());
        assertEquals(8, assigned(a).size());

        SortedSet<TopicIdPartition> later = h.partitions("later", 0, 1);
        h.catalog.delete("later");
        h.advance(1);
        a = h.heartbeat(beat("a", 3, PartitionSets.union(h.partitions("orders", 0, 1, 2, 3, 4, 5), later)));
        assertEquals(3, a.getMemberEpoch(), "revoking the deleted topic first");
        assertEquals(6, assigned(a).size());
        a = h.heartbeat(beat("a", 3, h.partitions("orders", 0, 1, 2, 3, 4, 5)));
        assertEquals(4, a.getMemberEpoch());
    }

    @Test
    void aChangedSubscriptionStartsANewEpoch() {
        h.catalog.create("payments", 2);
        h.heartbeat(join("a", "orders"));
        ConsumerGroupHeartbeatResponse a = h.heartbeat(request("a", 1).setSubscribedTopics(SubscribedTopics
                .newBuilder().addNames("payments")).setOwnedPartitions(PartitionSets.toAssignment(
                        h.partitions("orders", 0, 1, 2, 3), Map.of())).build());
        assertEquals(2, h.group().groupEpoch());
        assertEquals(1, a.getMemberEpoch());
        assertEquals(PartitionSets.empty(), assigned(a), "orders must be revoked first");
        a = h.heartbeat(beat("a", 1, PartitionSets.empty()));
        assertEquals(2, a.getMemberEpoch());
        assertEquals(h.partitions("payments", 0, 1), assigned(a));
    }

    @Test
    void theGroupUsesTheAssignorMostMembersAskFor() {
        h.catalog.create("payments", 4);
        h.heartbeat(join("a", "orders").toBuilder().setServerAssignor("range").build());
        assertEquals("range", h.group().assignor());
        h.heartbeat(join("b", "orders").toBuilder().setServerAssignor("uniform").build());
        h.heartbeat(join("c", "orders").toBuilder().setServerAssignor("uniform").build());
        assertEquals("uniform", h.group().assignor());
        assertEquals("uniform", h.store.group("billing").orElseThrow().getAssignor());
    }

    @Test
    void badRequestsAreRefusedWithStableCodes() {
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, h.heartbeat(join("a", "orders").toBuilder()
                .setGroupId("").build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, h.heartbeat(join("a", "orders").toBuilder()
                .setGroupId("g".repeat(256)).build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(join("", "orders")).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(request("a", 0).build()).getErrorCode(),
                "join without subscription");
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(request("a", -3).build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR, h.heartbeat(join("a", "orders").toBuilder()
                .setServerAssignor("sticky-ish").build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(join("a", "orders").toBuilder()
                .setOwnedPartitions(PartitionSets.toAssignment(h.partitions("orders", 1), Map.of()))
                .build()).getErrorCode(), "joining while owning partitions");
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(join("a", "orders").toBuilder()
                .setRebalanceTimeoutMs(-5).build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.heartbeat(join("a", "", "orders")).getErrorCode());
        assertTrue(h.coordinator.slot("billing").isEmpty() || h.group().memberCount() == 0, "nothing joined");
        assertEquals(0, h.store.writes(), "nothing written");
    }

    @Test
    void groupsAreLimitedInSize() {
        CoordinatorHarness small = new CoordinatorHarness(new GroupCoordinatorConfig(3_000, 500, 6_000, 2, "uniform",
                4096, 10_000, 30_000, 100));
        small.catalog.create("orders", 4);
        small.heartbeat(join("a", "orders"));
        small.heartbeat(join("b", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_GROUP_MAX_SIZE_REACHED, small.heartbeat(join("c", "orders"))
                .getErrorCode());
    }
}
