package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.RoleTransitions.Decision;
import io.sluice.broker.partition.RoleTransitions.Kind;
import io.sluice.broker.replication.FetchPosition;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The partition state machine as a leader: transitions, appends, acks, reads, follower progress. */
class PartitionTest {
    static final TopicIdPartition TP = new TopicIdPartition("11111111-0000-4000-8000-000000000000", 0);

    private final ManualClock clock = new ManualClock(1_000_000);
    private final InMemoryLog log = new InMemoryLog(LogConfig.DEFAULT);
    private final List<Integer> changes = new ArrayList<>();

    private Partition partition(int minIsr, ReplicaCheckpoint checkpoint) {
        return new Partition(TP, "t", new TopicSettings(LogConfig.DEFAULT, minIsr), log, checkpoint,
                new Partition.Context(1, clock, ReplicationConfig.DEFAULT.withReplicaLagTimeMaxMs(1_000),
                        (id, c) -> changes.add(c)));
    }

    static PartitionRecord record(int leader, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return PartitionRecord.newBuilder().setTopicId(TP.topicId()).setPartition(0).addAllReplicas(List.of(1, 2, 3))
                .addAllIsr(isr).setLeader(leader).setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch).build();
    }

    /** Decides, persists the epoch (as the replica manager does), and transitions. */
    static Decision apply(Partition p, PartitionRecord record, long nowMs) {
        Decision decision = p.decide(record);
        if (decision.changesEpoch()) {
            p.onEpochPersisted(record.getLeaderEpoch());
        }
        p.transition(decision, record, nowMs);
        return decision;
    }

    private static ErrorCode refusal(Runnable action) {
        return assertThrows(PartitionException.class, action::run).errorCode();
    }

    @Test
    void aLoadedReplicaServesNothingUntilMetadataNamesItsRole() {
        Partition p = partition(1, null);
        assertInstanceOf(OfflineRole.class, p.role());
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, refusal(() -> p.appendAsLeader(TestBatches.batch("a"),
                false)));
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, refusal(() -> p.readForConsumer(0, -1, 100, true)));
    }

    @Test
    void theLeaderAssignsOffsetsStampsItsEpochAndAdvancesTheWatermarkWithTheIsr() {
        Partition p = partition(1, null);
        assertEquals(Kind.BECOME_LEADER, apply(p, record(1, 5, 0, List.of(1, 2)), 0).kind());
        AppendResult first = p.appendAsLeader(TestBatches.batch("a", "b", "c"), true);
        AppendResult second = p.appendAsLeader(TestBatches.batch("d"), true);
        assertEquals(0, first.baseOffset());
        assertEquals(2, first.lastOffset());
        assertEquals(3, second.baseOffset());
        assertEquals(5, first.leaderEpoch());
        assertEquals(5, RecordBatch.wrap(firstBatch(log.read(0, 1 << 20, Long.MAX_VALUE, true).records()))
                .partitionLeaderEpoch());
        assertEquals(0, p.highWatermark(), "follower 2 has nothing yet");
        assertEquals(AckStatus.State.WAITING, p.ackStatus(5, first.requiredOffset()).state());
        assertEquals(Optional.empty(), p.onFollowerFetch(2, new FetchPosition(5, 3, 5, 0), 10));
        assertEquals(3, p.highWatermark());
        assertEquals(AckStatus.State.COMMITTED, p.ackStatus(5, first.requiredOffset()).state());
        assertEquals(AckStatus.State.WAITING, p.ackStatus(5, second.requiredOffset()).state());
        assertEquals(List.of("a", "b", "c"), TestBatches.values(p.readForConsumer(0, 5, 1 << 20, true).records()),
                "consumers never see offset 3, above the high watermark");
        assertEquals(0, p.readForConsumer(3, -1, 1 << 20, true).sizeInBytes());
    }

    private static ByteBuffer firstBatch(ByteBuffer batches) {
        ByteBuffer one = batches.duplicate();
        one.limit(RecordBatch.LOG_OVERHEAD + one.getInt(RecordBatch.LENGTH_OFFSET));
        return one;
    }

    @Test
    void acksAllIsRefusedBelowMinIsrAndTheWatermarkStays() {
        Partition p = partition(2, null);
        apply(p, record(1, 0, 0, List.of(1)), 0);
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, refusal(() -> p.appendAsLeader(
                TestBatches.batch("a"), true)));
        assertEquals(0, p.logEndOffset(), "nothing was appended");
        p.appendAsLeader(TestBatches.batch("a"), false);
        assertEquals(1, p.logEndOffset());
        assertEquals(0, p.highWatermark(), "an ISR below min.insync.replicas freezes the high watermark");
        assertEquals(AckStatus.State.NOT_ENOUGH_REPLICAS_AFTER_APPEND, p.ackStatus(0, 1).state());
    }

    @Test
    void retriesOfRecentBatchesAreAnsweredWithTheirOriginalOffsetsAndGapsRefused() {
        Partition p = partition(1, null);
        apply(p, record(1, 0, 0, List.of(1)), 0);
        p.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a", "b"), true);
        p.appendAsLeader(TestBatches.idempotent(7, 0, 2, "c"), true);
        AppendResult retry = p.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a", "b"), true);
        assertTrue(retry.duplicate());
        assertEquals(0, retry.baseOffset());
        assertEquals(1, retry.lastOffset());
        assertEquals(3, p.logEndOffset(), "the retry was not appended again");
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(() -> p.appendAsLeader(
                TestBatches.idempotent(7, 0, 5, "x"), true)));
        ByteBuffer corrupt = TestBatches.idempotent(7, 0, 0, "a", "b");
        corrupt.put(corrupt.limit() - 1, (byte) 0x55);
        RecordBatchException e = assertThrows(RecordBatchException.class, () -> p.appendAsLeader(corrupt, true));
        assertEquals(ErrorCode.ERROR_CODE_CORRUPT_BATCH, e.errorCode(), "a damaged retry is not taken for a duplicate");
    }

    @Test
    void producerStateIsRebuiltFromTheLogOnLoad() {
        Partition before = partition(1, null);
        apply(before, record(1, 0, 0, List.of(1)), 0);
        before.appendAsLeader(TestBatches.idempotent(9, 0, 0, "a"), true);
        Partition after = partition(1, before.checkpoint());
        apply(after, record(1, 1, 1, List.of(1)), 0);
        assertTrue(after.appendAsLeader(TestBatches.idempotent(9, 0, 0, "a"), true).duplicate());
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(() -> after.appendAsLeader(
                TestBatches.idempotent(9, 0, 3, "x"), true)));
    }

    @Test
    void transitionsOnlyMoveForwardAndAreDecidedInOnePlace() {
        Partition p = partition(1, null);
        apply(p, record(1, 3, 4, List.of(1, 2)), 0);
        assertEquals(Kind.IGNORE, p.decide(record(2, 2, 9, List.of(2))).kind(), "older leader epoch");
        assertEquals(Kind.IGNORE, p.decide(record(1, 3, 4, List.of(1))).kind(), "same partition epoch");
        assertEquals(Kind.REFUSE, p.decide(record(2, 3, 5, List.of(2))).kind(), "leader change within an epoch");
        assertEquals(Kind.REFUSE, p.decide(record(1, 4, 5, List.of(2))).kind(), "a leader outside its ISR");
        assertEquals(Kind.UPDATE, apply(p, record(1, 3, 5, List.of(1, 2, 3)), 0).kind());
        assertEquals(5, p.role().partitionEpoch());
        assertTrue(changes.stream().anyMatch(c -> PartitionChanges.any(c, PartitionChanges.ISR)));
        Decision follow = p.decide(record(2, 4, 6, List.of(2)));
        assertEquals(Kind.BECOME_FOLLOWER, follow.kind());
        assertThrows(IllegalStateException.class, () -> p.transition(follow, record(2, 4, 6, List.of(2)), 0),
                "the epoch must be persisted before the replica enters it");
        p.onEpochPersisted(4);
        p.transition(follow, record(2, 4, 6, List.of(2)), 0);
        assertEquals(new FollowerRole(2, 4, 6), p.role());
        assertEquals(Kind.BECOME_OFFLINE, apply(p, record(-1, 5, 7, List.of(2)), 0).kind());
        assertEquals(new ReplicaCheckpoint(5, 0), p.checkpoint());
    }

    @Test
    void aRestartedReplicaNeverActsInAnEpochOlderThanItPersisted() {
        Partition p = partition(1, new ReplicaCheckpoint(7, 0));
        assertEquals(Kind.IGNORE, p.decide(record(1, 6, 9, List.of(1))).kind());
        assertEquals(Kind.BECOME_LEADER, p.decide(record(1, 7, 9, List.of(1))).kind(), "its own epoch again is fine");
    }

    @Test
    void aDeposedLeaderAnswersPendingAcksAsUnknownOutcome() {
        Partition p = partition(1, null);
        apply(p, record(1, 0, 0, List.of(1, 2)), 0);
        AppendResult appended = p.appendAsLeader(TestBatches.batch("a"), true);
        apply(p, record(2, 1, 1, List.of(2)), 0);
        AckStatus status = p.ackStatus(appended.leaderEpoch(), appended.requiredOffset());
        assertEquals(new AckStatus(AckStatus.State.LEADERSHIP_LOST, 2, 1), status);
        PartitionException e = assertThrows(PartitionException.class, () -> p.appendAsLeader(TestBatches.batch("b"),
                true));
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER, e.errorCode());
        assertEquals(2, e.leaderId());
        assertEquals(1, e.leaderEpoch());
    }

    @Test
    void readsCheckTheClientsEpochAndTheOffsetRange() {
        Partition p = partition(1, null);
        apply(p, record(1, 4, 0, List.of(1)), 0);
        p.appendAsLeader(TestBatches.batch("a"), true);
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, refusal(() -> p.readForConsumer(0, 3, 100, true)));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH, refusal(() -> p.readForConsumer(0, 5, 100, true)));
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, refusal(() -> p.readForConsumer(2, 4, 100, true)));
        assertEquals(1, TestBatches.values(p.readForConsumer(0, 4, 1, true).records()).size(),
                "the first batch comes even when larger than the bound");
        assertEquals(0, p.readForConsumer(0, 4, 1, false).sizeInBytes());
    }

    @Test
    void followersAreCheckedForDivergenceAndMembership() {
        Partition p = partition(1, null);
        apply(p, record(1, 2, 0, List.of(1, 2)), 0);
        p.appendAsLeader(TestBatches.batch("a"), false);
        assertEquals(Optional.of(new EpochEndOffset(2, 1)), p.onFollowerFetch(2, new FetchPosition(2, 3, 2, 0), 0));
        assertEquals(Optional.of(new EpochEndOffset(-1, 0)), p.onFollowerFetch(2, new FetchPosition(2, 1, 1, 0), 0),
                "the follower's epoch 1 is unknown to a leader whose history starts at 2");
        assertEquals(ErrorCode.ERROR_CODE_REPLICA_NOT_AVAILABLE, refusal(() -> p.onFollowerFetch(7,
                new FetchPosition(2, 0, -1, 0), 0)));
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, refusal(() -> p.onFollowerFetch(2,
                new FetchPosition(1, 0, -1, 0), 0)));
        assertEquals(0, p.highWatermark(), "no divergent fetch counted as progress");
    }

    @Test
    void listOffsetsAndDeleteRecordsStayBelowTheHighWatermark() {
        Partition p = partition(1, null);
        apply(p, record(1, 0, 0, List.of(1)), 0);
        p.appendAsLeader(TestBatches.timed(100, 300), true);
        p.appendAsLeader(TestBatches.timed(200), true);
        assertEquals(new OffsetLookup(3, -1, 0), p.listOffset(OffsetSpec.OFFSET_SPEC_LATEST, 0, -1));
        assertEquals(new OffsetLookup(1, 300, 0), p.listOffset(OffsetSpec.OFFSET_SPEC_TIMESTAMP, 250, -1));
        assertEquals(new OffsetLookup(1, 300, 0), p.listOffset(OffsetSpec.OFFSET_SPEC_MAX_TIMESTAMP, 0, -1));
        assertEquals(new OffsetLookup(3, -1, -1), p.listOffset(OffsetSpec.OFFSET_SPEC_TIMESTAMP, 400, -1));
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, refusal(() -> p.deleteRecordsBefore(4)));
        assertEquals(2, p.deleteRecordsBefore(2));
        assertEquals(new OffsetLookup(2, -1, -1), p.listOffset(OffsetSpec.OFFSET_SPEC_EARLIEST, 0, -1));
        assertEquals(3, p.deleteRecordsBefore(-1), "-1 means the high watermark");
    }

    @Test
    void aNewReplicaSetWithinTheEpochKeepsTheWatermarkAndTheEpochStart() {
        Partition p = partition(1, null);
        apply(p, record(1, 0, 0, List.of(1)), 0);
        p.appendAsLeader(TestBatches.batch("a"), true);
        PartitionRecord grown = record(1, 0, 1, List.of(1)).toBuilder().addReplicas(4).build();
        assertEquals(Kind.UPDATE, apply(p, grown, 0).kind());
        assertEquals(1, p.highWatermark());
        assertEquals(1, p.listOffset(OffsetSpec.OFFSET_SPEC_LATEST, 0, -1).offset());
        assertEquals(Optional.empty(), p.onFollowerFetch(4, new FetchPosition(0, 0, -1, 0), 0), "4 may fetch now");
    }

    @Test
    void aNewLeaderBehindItsEpochStartCannotAnswerLatest() {
        Partition p = partition(1, null);
        apply(p, record(1, 0, 0, List.of(1, 2)), 0);
        p.appendAsLeader(TestBatches.batch("a"), false);
        apply(p, record(1, 1, 1, List.of(1, 2)), 0);
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_NOT_AVAILABLE, refusal(() -> p.listOffset(
                OffsetSpec.OFFSET_SPEC_LATEST, 0, -1)));
        assertEquals(0, p.listOffset(OffsetSpec.OFFSET_SPEC_EARLIEST, 0, -1).offset());
        p.onFollowerFetch(2, new FetchPosition(1, 1, 0, 0), 0);
        assertEquals(1, p.listOffset(OffsetSpec.OFFSET_SPEC_LATEST, 0, -1).offset());
        assertFalse(changes.isEmpty());
    }
}
