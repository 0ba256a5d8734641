package io.sluice.broker.group;

import static io.sluice.broker.group.CoordinatorHarness.assigned;
import static io.sluice.broker.group.CoordinatorHarness.beat;
import static io.sluice.broker.group.CoordinatorHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.internal.PartitionSets;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers wait for the store; failed writes reload; failover continues from the store. */
class GroupPersistenceTest {
    private CoordinatorHarness h;

    @BeforeEach
    void setUp() {
        h = new CoordinatorHarness();
        h.catalog.create("orders", 4);
    }

    private void completeWrite() {
        h.store.completeNext();
        h.coordinator.poll(h.now());
    }

    @Test
    void anAnswerIsSentOnlyOnceItsStateIsStored() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        assertFalse(a.isDone());
        assertTrue(h.store.group("billing").isEmpty());
        completeWrite();
        assertEquals(1, a.join().getMemberEpoch());
        assertEquals(1, h.store.group("billing").orElseThrow().getMembersCount());
    }

    @Test
    void requestsWaitBehindTheWriteInFlightAndShareTheNextOne() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        CompletableFuture<ConsumerGroupHeartbeatResponse> b = h.send(join("b", "orders"));
        CompletableFuture<ConsumerGroupHeartbeatResponse> c = h.send(join("c", "orders"));
        assertEquals(1, h.store.pendingWrites());
        completeWrite();
        assertTrue(a.isDone());
        assertFalse(b.isDone() || c.isDone());
        assertEquals(1, h.store.pendingWrites(), "b and c in one write");
        completeWrite();
        assertEquals(3, c.join().getMemberEpoch());
        assertEquals(3, h.store.group("billing").orElseThrow().getMembersCount());
    }

    @Test
    void aHeartbeatThatChangesNothingWritesNothing() {
        h.heartbeat(join("a", "orders"));
        int writes = h.store.writes();
        h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1, 2, 3)));
        h.heartbeat(beat("a", 1));
        assertEquals(writes, h.store.writes());
    }

    @Test
    void aLostWriteFailsItsAnswersAndTheGroupReloads() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        h.store.loseNext();
        h.coordinator.poll(h.now());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, a.join().getErrorCode());
        assertTrue(h.coordinator.slot("billing").map(slot -> slot.model().isBlank()).orElse(true),
                "reloaded from the store, which has nothing");
        h.store.defer(false);
        assertEquals(1, h.heartbeat(join("a", "orders")).getMemberEpoch());
    }

    @Test
    void aWriteAppliedWithALostAcknowledgementIsFoundOnReload() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        h.store.applyNextButFail();
        h.coordinator.poll(h.now());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, a.join().getErrorCode());
        assertNotNull(h.group().member("a"), "the store has it");
        h.store.defer(false);
        ConsumerGroupHeartbeatResponse again = h.heartbeat(join("a", "orders"));
        assertEquals(1, again.getMemberEpoch());
        assertEquals(h.partitions("orders", 0, 1, 2, 3), assigned(again));
    }

    @Test
    void aRefusedWriteMeansAStaleViewAndIsAnsweredLoadInProgress() {
        h.heartbeat(join("a", "orders"));
        GroupRecord stored = h.store.group("billing").orElseThrow();
        h.store.upsertGroup(UpsertGroup.newBuilder().setExpectedGroupEpoch(1)
                .setGroup(stored.toBuilder().setGroupEpoch(5).setAssignmentEpoch(5)).build()).join();
        ConsumerGroupHeartbeatResponse b = h.heartbeat(join("b", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS, b.getErrorCode());
        h.coordinator.poll(h.now());
        assertEquals(5, h.group().groupEpoch());
        assertEquals(6, h.heartbeat(join("b", "orders")).getMemberEpoch());
    }

    @Test
    void aWriteWithoutAnswerTimesOut() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        h.advance(h.config.writeTimeoutMs());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, a.join().getErrorCode());
        h.store.completeNext();
        h.coordinator.poll(h.now());
        assertEquals(1, h.store.group("billing").orElseThrow().getMembersCount(), "applied late");
    }

    @Test
    void aFullQueueRefusesWithCoordinatorNotAvailable() {
        CoordinatorHarness small = new CoordinatorHarness(new GroupCoordinatorConfig(3_000, 500, 6_000, 10,
                "uniform", 4096, 100, 30_000, 2));
        small.catalog.create("orders", 1);
        small.store.defer(true);
        small.send(join("a", "orders"));
        small.send(join("b", "orders"));
        small.send(join("c", "orders"));
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, small.send(join("d", "orders")).join()
                .getErrorCode());
    }

    @Test
    void losingCoordinationAnswersNotCoordinatorAndDropsWaitingRequests() {
        h.store.defer(true);
        CompletableFuture<ConsumerGroupHeartbeatResponse> a = h.send(join("a", "orders"));
        h.locator.loseCoordination(2);
        h.coordinator.poll(h.now());
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, a.join().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, h.send(join("b", "orders")).join().getErrorCode());
    }

    @Test
    void aClosedCoordinatorStaysClosed() {
        h.heartbeat(join("a", "orders"));
        h.coordinator.close();
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, h.send(join("b", "orders")).join().getErrorCode());
        assertEquals(Long.MAX_VALUE, h.coordinator.poll(h.now()));
    }

    @Test
    void aNewCoordinatorContinuesARebalanceFromTheStore() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> all = h.partitions("orders", 0, 1, 2, 3);
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a", 1, all)));
        h.advance(2_000);

        // The controller fails over: a new leader (epoch 2) loads the groups from the store.
        h.coordinator.close();
        h.locator.becomeCoordinator(2, 1);
        h.coordinator = h.newCoordinator();
        h.coordinator.poll(h.now());
        assertEquals(2, h.group().groupEpoch());
        assertEquals(1, h.group().member("a").memberEpoch());
        assertEquals(PartitionSets.minus(all, kept), h.group().member("a").pendingRevocation());

        h.advance(2_000);
        assertNotNull(h.group().member("a"), "a full session from the load, not from a's last heartbeat");
        assertEquals(1, h.heartbeat(beat("a", 1)).getMemberEpoch(), "no report yet: still revoking");
        assertEquals(2, h.heartbeat(beat("a", 1, kept)).getMemberEpoch());
        ConsumerGroupHeartbeatResponse b = h.heartbeat(beat("b", 2, PartitionSets.empty()));
        assertEquals(PartitionSets.minus(all, kept), assigned(b));
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, h.heartbeat(beat("a", 5)).getErrorCode());

        h.advance(2_000);
        h.heartbeat(beat("b", 2));
        h.advance(2_000);
        assertNull(h.group().member("a"), "timers run again after the load");
    }

    @Test
    void aLoadedMemberStillRevokingGetsAFullRebalanceTimeout() {
        h.heartbeat(join("a", "orders").toBuilder().setRebalanceTimeoutMs(2_500).build());
        h.heartbeat(join("b", "orders"));
        h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1, 2, 3)));
        h.advance(2_000);
        h.locator.becomeCoordinator(2, 1);
        h.coordinator = h.newCoordinator();
        h.coordinator.poll(h.now());
        h.advance(1_000);
        h.heartbeat(beat("a", 1));
        assertNotNull(h.group().member("a"), "3 s after it was asked, but 1 s after the load");
        h.advance(1_500);
        assertNull(h.group().member("a"));
    }
}
