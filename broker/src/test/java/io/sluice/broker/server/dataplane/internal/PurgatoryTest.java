package io.sluice.broker.server.dataplane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PurgatoryTest {
    private static final TopicIdPartition A = new TopicIdPartition("a", 0);
    private static final TopicIdPartition B = new TopicIdPartition("b", 0);

    /** Completes when its flag is set; counts its answers. */
    private static final class Flagged extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger answers = new AtomicInteger();

        Flagged(long deadlineMs) {
            super(deadlineMs);
        }

        @Override
        protected boolean canComplete() {
            return ready.get();
        }

        @Override
        protected void onComplete() {
            answers.incrementAndGet();
        }
    }

    private final Purgatory<Flagged> purgatory = new Purgatory<>("test");

    @Test
    void anOperationReadyAtOnceIsAnsweredWithoutWaiting() {
        Flagged op = new Flagged(100);
        op.ready.set(true);
        purgatory.tryCompleteElseWatch(op, List.of(A));
        assertEquals(1, op.answers.get());
        assertEquals(0, purgatory.size());
    }

    @Test
    void aChangeOfAWatchedKeyCompletesItOnceAndItLeavesEveryList() {
        Flagged op = new Flagged(100);
        purgatory.tryCompleteElseWatch(op, List.of(A, B));
        assertEquals(0, purgatory.checkAndComplete(A), "not ready yet");
        op.ready.set(true);
        assertEquals(1, purgatory.checkAndComplete(B));
        assertEquals(0, purgatory.checkAndComplete(A));
        assertEquals(1, op.answers.get());
        assertEquals(0, purgatory.size());
        assertTrue(purgatory.toString().contains("keys=0"), purgatory.toString());
    }

    @Test
    void expiryAnswersAtTheDeadlineAndReportsTheNextOne() {
        Flagged early = new Flagged(100);
        Flagged late = new Flagged(200);
        purgatory.tryCompleteElseWatch(early, List.of(A));
        purgatory.tryCompleteElseWatch(late, List.of(A));
        assertEquals(100, purgatory.poll(99));
        assertEquals(200, purgatory.poll(100));
        assertEquals(1, early.answers.get());
        assertEquals(0, late.answers.get());
        purgatory.completeAll();
        assertEquals(1, late.answers.get());
        assertEquals(Long.MAX_VALUE, purgatory.poll(1_000));
    }

    @Test
    void aForcedCompletionCountsOnceAndLeavesThePurgatory() {
        Flagged op = new Flagged(100);
        purgatory.tryCompleteElseWatch(op, List.of(A));
        assertTrue(op.forceComplete());
        assertFalse(op.forceComplete());
        op.ready.set(true);
        assertEquals(0, purgatory.checkAndComplete(A));
        assertEquals(1, op.answers.get());
        assertEquals(0, purgatory.size());
    }
}
