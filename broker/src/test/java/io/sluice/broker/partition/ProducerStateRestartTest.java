package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.ChronicleLog;
import io.sluice.broker.log.DiskSpaceGuard;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.PartitionLog;
import io.sluice.common.ManualClock;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop saves the producer state beside the log, and the next load takes it back instead of
 * reading every batch header, but only for the log it was saved for.
 */
class ProducerStateRestartTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);

    private Path logDir() {
        return dir.resolve("log");
    }

    private ChronicleLog openLog() {
        return ChronicleLog.open(logDir(), LogConfig.DEFAULT, clock, DiskSpaceGuard.unlimited(), 0);
    }

    private Partition leaderOver(PartitionLog log) {
        Partition p = new Partition(PartitionTest.TP, "t", new TopicSettings(LogConfig.DEFAULT, 1), log, null,
                new Partition.Context(1, clock, ReplicationConfig.DEFAULT, (id, c) -> { }));
        PartitionTest.apply(p, PartitionTest.record(1, 0, 0, List.of(1)), 0);
        return p;
    }

    /**
     * Saves, as {@code log}'s stop state for its current bounds, a table that knows only producer 99
     * (epoch 0), whose one batch holds sequences and offsets 0 to {@code last}: a producer the log has
     * no batch of, so only the saved table can know it.
     */
    private static void saveTableOfProducer99(ChronicleLog log, int last) {
        ProducerStateTable table = new ProducerStateTable();
        table.onAppend(99, (short) 0, 0, last, 0, last);
        log.saveStopState(table.snapshot(log.logStartOffset(), log.logEndOffset(), log.latestEpoch()));
    }

    private static ErrorCode refusal(Runnable action) {
        return assertThrows(PartitionException.class, action::run).errorCode();
    }

    @Test
    void aCleanStopKeepsTheProducerStateAndTheNextLoadTakesItOnce() {
        Partition first = leaderOver(openLog());
        first.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a", "b"), true);
        first.appendAsLeader(TestBatches.idempotent(7, 0, 2, "c"), true);
        first.appendAsLeader(TestBatches.idempotent(8, 3, 0, "x"), true);
        first.close();
        Path saved = logDir().resolve(ChronicleLog.STOP_STATE_FILE);
        assertTrue(Files.exists(saved), "a clean stop saves the producer state");

        Partition second = leaderOver(openLog());
        assertFalse(Files.exists(saved), "the load takes the saved state away");
        AppendResult retry = second.appendAsLeader(TestBatches.idempotent(7, 0, 2, "c"), true);
        assertTrue(retry.duplicate());
        assertEquals(2, retry.baseOffset());
        assertTrue(second.appendAsLeader(TestBatches.idempotent(8, 3, 0, "x"), true).duplicate());
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(() -> second.appendAsLeader(
                TestBatches.idempotent(7, 0, 5, "z"), true)));
        assertEquals(4, second.logEndOffset());
        second.close();
    }

    @Test
    void aReplicaClosedForDeletionSavesNothing() {
        Partition p = leaderOver(openLog());
        p.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a"), true);
        p.closeForDeletion();
        assertFalse(Files.exists(logDir().resolve(ChronicleLog.STOP_STATE_FILE)));
    }

    @Test
    void savedStateThatMatchesTheLogsBoundsIsTrustedWithoutReadingTheLog() {
        try (ChronicleLog log = openLog()) {
            log.appendAsLeader(TestBatches.batch("a", "b"), 0, clock.wallMs());
            saveTableOfProducer99(log, 1);
        }
        Partition p = leaderOver(openLog());
        AppendResult retry = p.appendAsLeader(TestBatches.idempotent(99, 0, 0, "a", "b"), true);
        assertTrue(retry.duplicate(), "the state came from the saved table, not from a scan of the log");
        assertEquals(0, retry.baseOffset());
        p.close();
    }

    @Test
    void stateSavedBeforeTheLogWasCutAndRefilledToTheSameEndIsIgnored() {
        try (ChronicleLog log = openLog()) {
            log.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a"), 0, clock.wallMs());
            saveTableOfProducer99(log, 0);
            // A follower cut at a divergence and refilled from a later leader: same start and end.
            log.truncateTo(0);
            log.appendAsLeader(TestBatches.idempotent(7, 0, 0, "b"), 1, clock.wallMs());
        }
        Partition p = leaderOver(openLog());
        assertEquals(1, p.logEndOffset());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID, refusal(() -> p.appendAsLeader(
                TestBatches.idempotent(99, 0, 1, "q"), true)), "the table saved before the cut was not used");
        p.close();
    }

    @Test
    void stateSavedForAnotherLogEndIsIgnoredAndTheLogIsReadInstead() {
        try (ChronicleLog log = openLog()) {
            log.appendAsLeader(TestBatches.idempotent(7, 0, 0, "a"), 0, clock.wallMs());
            saveTableOfProducer99(log, 0);
            // Written after the state was saved: the saved state no longer describes this log.
            log.appendAsLeader(TestBatches.idempotent(7, 0, 1, "b"), 0, clock.wallMs());
        }
        Partition p = leaderOver(openLog());
        assertFalse(Files.exists(logDir().resolve(ChronicleLog.STOP_STATE_FILE)));
        assertTrue(p.appendAsLeader(TestBatches.idempotent(7, 0, 1, "b"), true).duplicate(),
                "the batch written after the save is known: the log was read");
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID, refusal(() -> p.appendAsLeader(
                TestBatches.idempotent(99, 0, 1, "q"), true)), "the stale table was not used");
        p.close();
    }
}
