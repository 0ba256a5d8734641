package io.sluice.broker.partition;

import static io.sluice.broker.partition.PartitionTest.TP;
import static io.sluice.broker.partition.PartitionTest.apply;
import static io.sluice.broker.partition.PartitionTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnsafeByteOperations;
import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.replication.FetchOutcome;
import io.sluice.broker.replication.FetchPosition;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.EpochEndOffset;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The follower side of a partition, and the leader's ISR change proposals and their outcomes. */
class PartitionReplicationTest {
    private final ManualClock clock = new ManualClock(0);

    private Partition partition(int brokerId, PartitionLog log) {
        return new Partition(TP, "t", new TopicSettings(LogConfig.DEFAULT, 2), log, null,
                new Partition.Context(brokerId, clock, ReplicationConfig.DEFAULT.withReplicaLagTimeMaxMs(1_000),
                        PartitionListener.NONE));
    }

    private static ErrorCode refusal(Runnable action) {
        return assertThrows(PartitionException.class, action::run).errorCode();
    }

    private static ReplicaFetchPartitionResponse.Builder answer() {
        return ReplicaFetchPartitionResponse.newBuilder().setTopicId(TP.topicId()).setPartition(0)
                .setErrorCode(ErrorCode.ERROR_CODE_NONE);
    }

    @Test
    void aFollowerAppendsWhatTheLeaderSendsAndAdoptsItsWatermarkCappedAtItsOwnEnd() {
        InMemoryLog leaderLog = new InMemoryLog(LogConfig.DEFAULT);
        leaderLog.appendAsLeader(TestBatches.idempotent(5, 0, 0, "a", "b"), 0, 0);
        leaderLog.appendAsLeader(TestBatches.batch("c"), 0, 0);
        Partition follower = partition(2, new InMemoryLog(LogConfig.DEFAULT));
        apply(follower, record(1, 0, 0, List.of(1, 2)), 0);
        assertEquals(Optional.empty(), follower.fetchPosition(3), "it follows broker 1, not 3");
        FetchPosition position = follower.fetchPosition(1).orElseThrow();
        assertEquals(new FetchPosition(0, 0, -1, 0), position);
        ReplicaFetchPartitionResponse response = answer().setHighWatermark(9).setLogStartOffset(0)
                .setRecords(UnsafeByteOperations.unsafeWrap(leaderLog.read(0, 1 << 20, Long.MAX_VALUE, true)
                        .records())).build();
        assertEquals(FetchOutcome.CONTINUE, follower.onFetchResponse(position, response, 0));
        assertEquals(3, follower.logEndOffset());
        assertEquals(3, follower.highWatermark(), "capped at its own log end");
        assertEquals(FetchOutcome.IGNORED, follower.onFetchResponse(position, response, 0),
                "an answer to an older position is dropped");
        apply(follower, record(2, 1, 1, List.of(2)), 0);
        assertTrue(follower.appendAsLeader(TestBatches.idempotent(5, 0, 0, "a", "b"), false).duplicate(),
                "the follower followed the producer state and deduplicates as the old leader would");
    }

    @Test
    void aFollowerAppendThatFailsPartWayRecordsTheBatchesItWroteAndNoOthers() {
        InMemoryLog leaderLog = new InMemoryLog(LogConfig.DEFAULT);
        leaderLog.appendAsLeader(TestBatches.idempotent(5, 0, 0, "a", "b"), 0, 0);
        leaderLog.appendAsLeader(TestBatches.idempotent(5, 0, 2, "c"), 0, 0);
        leaderLog.appendAsLeader(TestBatches.idempotent(5, 0, 3, "d"), 0, 0);
        PartlyFailingLog log = new PartlyFailingLog(new InMemoryLog(LogConfig.DEFAULT));
        Partition follower = partition(2, log);
        apply(follower, record(1, 0, 0, List.of(1, 2)), 0);
        FetchPosition position = follower.fetchPosition(1).orElseThrow();
        log.failNextFollowerAppendAfter(1);
        ReplicaFetchPartitionResponse response = answer().setHighWatermark(4).setLogStartOffset(0)
                .setRecords(UnsafeByteOperations.unsafeWrap(leaderLog.read(0, 1 << 20, Long.MAX_VALUE, true)
                        .records())).build();
        assertEquals(FetchOutcome.BACKOFF, follower.onFetchResponse(position, response, 0));
        assertEquals(2, follower.logEndOffset(), "the first batch was written, the other two were not");

        // This follower now leads, before it fetched the rest. The producer retries what it had
        // not seen acknowledged: the written batch must be a duplicate (acknowledged, not written
        // twice), and the unwritten ones must be written, not taken for duplicates (which would
        // acknowledge records that no log holds).
        apply(follower, record(2, 1, 1, List.of(2)), 0);
        assertTrue(follower.appendAsLeader(TestBatches.idempotent(5, 0, 0, "a", "b"), false).duplicate(),
                "the batch the failed append wrote is known to the producer state");
        assertFalse(follower.appendAsLeader(TestBatches.idempotent(5, 0, 2, "c"), false).duplicate(),
                "a batch the failed append did not write is not taken for a duplicate");
        assertEquals(3, follower.logEndOffset());
        assertFalse(follower.appendAsLeader(TestBatches.idempotent(5, 0, 3, "d"), false).duplicate());
        assertEquals(4, follower.logEndOffset());
    }

    @Test
    void aDivergingAnswerTruncatesAndRebuildsProducerState() {
        InMemoryLog log = new InMemoryLog(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.batch("a"), 0, 0);
        log.appendAsLeader(TestBatches.idempotent(5, 0, 0, "x"), 1, 0);
        Partition follower = partition(2, log);
        apply(follower, record(1, 2, 0, List.of(1, 2)), 0);
        FetchPosition position = follower.fetchPosition(1).orElseThrow();
        assertEquals(new FetchPosition(2, 2, 1, 0), position);
        follower.onFetchResponse(position, answer().setHighWatermark(1).setLogStartOffset(0)
                .setDivergingEpoch(EpochEndOffset.newBuilder().setEpoch(0).setEndOffset(1)).build(), 0);
        assertEquals(1, follower.logEndOffset());
        assertEquals(0, log.latestEpoch());
        apply(follower, record(2, 3, 1, List.of(2, 1)), 0);
        assertTrue(!follower.appendAsLeader(TestBatches.idempotent(5, 0, 0, "x"), false).duplicate(),
                "the truncated batch is forgotten by the producer state");
    }

    @Test
    void aFollowerBehindTheLeadersLogStartRestartsThere() {
        InMemoryLog log = new InMemoryLog(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.batch("a"), 0, 0);
        Partition follower = partition(2, log);
        apply(follower, record(1, 0, 0, List.of(1, 2)), 0);
        FetchPosition position = follower.fetchPosition(1).orElseThrow();
        follower.onFetchResponse(position, answer().setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE)
                .setLogStartOffset(50).setHighWatermark(60).build(), 0);
        assertEquals(50, log.logStartOffset());
        assertEquals(50, log.logEndOffset());
        assertEquals(FetchOutcome.BACKOFF, follower.onFetchResponse(follower.fetchPosition(1).orElseThrow(),
                answer().setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER).build(), 0));
        assertEquals(FetchOutcome.LEADER_BEHIND, follower.onFetchResponse(follower.fetchPosition(1).orElseThrow(),
                answer().setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH).build(), 0),
                "a leader that does not know the follower's epoch yet is asked again soon");
        assertEquals(50, log.logEndOffset(), "an error answer changes nothing");
    }

    @Test
    void aLaggingFollowerIsProposedForRemovalAndTheOutcomesAreHandled() {
        Partition leader = partition(1, new InMemoryLog(LogConfig.DEFAULT));
        apply(leader, record(1, 0, 0, List.of(1, 2, 3)), 0);
        leader.appendAsLeader(TestBatches.batch("a"), false);
        leader.onFollowerFetch(2, new FetchPosition(0, 1, 0, 0), 500);
        assertEquals(Optional.empty(), leader.maybeProposeIsrChange(500, b -> true));
        PartitionChangeRequest shrink = leader.maybeProposeIsrChange(1_500, b -> true).orElseThrow();
        assertEquals(List.of(1, 2), shrink.getNewIsrList());
        assertEquals(0, shrink.getPartitionEpoch());
        assertEquals(Optional.empty(), leader.maybeProposeIsrChange(1_500, b -> true), "one change at a time");

        long retryAt = leader.onIsrChangeResult(shrink, result(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, -1, -1,
                List.of()), 1_500);
        assertTrue(retryAt > 1_500, "an unknown outcome is retried");
        assertEquals(Optional.of(shrink), leader.maybeProposeIsrChange(retryAt, b -> true));

        leader.onIsrChangeResult(shrink, result(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, 0, 1, List.of(1, 2)),
                retryAt);
        assertEquals(1, leader.role().partitionEpoch(), "the answer carried the newer committed state: adopted");
        assertEquals(1, leader.highWatermark(), "1 and 2 have offset 0");
    }

    @Test
    void aRefusedChangeRevertsToTheCommittedIsr() {
        Partition leader = partition(1, new InMemoryLog(LogConfig.DEFAULT));
        apply(leader, record(1, 0, 0, List.of(1, 2)), 0);
        leader.onFollowerFetch(3, new FetchPosition(0, 0, -1, 0), 10);
        PartitionChangeRequest expand = leader.maybeProposeIsrChange(10, b -> true).orElseThrow();
        assertEquals(List.of(1, 2, 3), expand.getNewIsrList());
        assertEquals(-1, leader.onIsrChangeResult(expand, result(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, 0, 0,
                List.of(1, 2)), 20));
        assertEquals(Set.of(1, 2), Set.copyOf(((LeaderRole) leader.role()).tracker().maximalIsr()));
        assertEquals(Optional.empty(), leader.maybeProposeIsrChange(20, b -> b != 3), "3 is not eligible");
    }

    /**
     * A leader cut off from the metadata quorum proposes to drop its followers; the controller has
     * meanwhile made broker 3 leader at epoch 2. The answer says so, and the replica stops serving
     * at once instead of when that metadata reaches it: no produce, no consumer read, no offsets; a
     * waiting acks=all write ends as leadership lost. Records of its own epoch that arrive late
     * leave it down; the newer epoch's record makes it a follower.
     */
    @Test
    void aLeaderTheControllerSaysWasReplacedStepsDownAtOnce() {
        List<Integer> fired = new ArrayList<>();
        Partition leader = new Partition(TP, "t", new TopicSettings(LogConfig.DEFAULT, 2),
                new InMemoryLog(LogConfig.DEFAULT), null, new Partition.Context(1, clock,
                        ReplicationConfig.DEFAULT.withReplicaLagTimeMaxMs(1_000), (id, changes) -> fired.add(changes)));
        apply(leader, record(1, 0, 0, List.of(1, 2, 3)), 0);
        AppendResult appended = leader.appendAsLeader(TestBatches.batch("a"), false);
        PartitionChangeRequest shrink = leader.maybeProposeIsrChange(1_500, b -> true).orElseThrow();
        assertEquals(List.of(1), shrink.getNewIsrList());

        PartitionChangeResult replaced = PartitionChangeResult.newBuilder().setTopicId(TP.topicId()).setPartition(0)
                .setErrorCode(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH).setLeaderId(3).setLeaderEpoch(2)
                .setPartitionEpoch(4).addAllIsr(List.of(2, 3)).build();
        fired.clear();
        assertEquals(-1, leader.onIsrChangeResult(shrink, replaced, 1_600), "nothing to send again");
        assertEquals(List.of(PartitionChanges.ROLE), fired, "waiting produces and fetches are woken");

        OfflineRole down = assertInstanceOf(OfflineRole.class, leader.role());
        assertEquals(0, down.leaderEpoch(), "the epoch stays until metadata moves it");
        assertTrue(down.reason().contains("broker 3 leader at epoch 2"), down.reason());
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, refusal(() -> leader.appendAsLeader(
                TestBatches.batch("b"), false)));
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, refusal(() -> leader.readForConsumer(0, 0, 100,
                true)));
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, refusal(() -> leader.listOffset(
                OffsetSpec.OFFSET_SPEC_LATEST, 0, 0)));
        assertEquals(AckStatus.State.LEADERSHIP_LOST, leader.ackStatus(appended.leaderEpoch(),
                appended.lastOffset() + 1).state());

        assertEquals(RoleTransitions.Kind.UPDATE, apply(leader, record(1, 0, 1, List.of(1, 2)), 1_700).kind(),
                "a late record of its own epoch");
        assertInstanceOf(OfflineRole.class, leader.role());
        assertEquals(1, leader.role().partitionEpoch());
        apply(leader, record(3, 2, 4, List.of(2, 3)), 1_800);
        FollowerRole follower = assertInstanceOf(FollowerRole.class, leader.role());
        assertEquals(3, follower.leaderId());
        assertEquals(2, follower.leaderEpoch());
    }

    @Test
    void onlyAStepDownRelaxesTheSameEpochRule() {
        Partition replica = partition(1, new InMemoryLog(LogConfig.DEFAULT));
        apply(replica, record(-1, 0, 0, List.of(1, 2, 3)), 0);
        assertEquals(RoleTransitions.Kind.REFUSE, replica.decide(record(1, 0, 1, List.of(1, 2))).kind(),
                "a leader within the epoch of a leaderless record is still inconsistent metadata");
    }

    @Test
    void aFencedAnswerForTheSameEpochIsNotAStepDown() {
        Partition leader = partition(1, new InMemoryLog(LogConfig.DEFAULT));
        apply(leader, record(1, 0, 0, List.of(1, 2, 3)), 0);
        PartitionChangeRequest shrink = leader.maybeProposeIsrChange(1_500, b -> true).orElseThrow();
        leader.onIsrChangeResult(shrink, result(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, 0, 0,
                List.of(1, 2, 3)), 1_600);
        assertInstanceOf(LeaderRole.class, leader.role());
    }

    private static PartitionChangeResult result(ErrorCode code, int leaderEpoch, int partitionEpoch,
            List<Integer> isr) {
        return PartitionChangeResult.newBuilder().setTopicId(TP.topicId()).setPartition(0).setErrorCode(code)
                .setLeaderId(1).setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch).addAllIsr(isr).build();
    }
}
