package io.sluice.jepsen.checker;

import static io.sluice.jepsen.checker.HistoryBuilder.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Histories that look suspicious but are correct: the checker must stay quiet. */
class CheckerEdgeCasesTest {

    static void assertValid(CheckResult result) {
        assertEquals(Set.of(), result.found(), result.toJsonString());
        assertTrue(result.valid());
    }

    /** Sends to two partitions; an assigned consumer; a group with a rebalance; a crash; final reads. */
    @Test
    void aCleanHistoryIsValid() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "a0", 0).sendOk(1, 1, "b0", 0).sendOk(0, 0, "a1", 1)
                .assign(10, false, 0, 1).poll(10, rec(0, 0, "a0"), rec(1, 0, "b0"))
                .subscribe(20, "g").poll(20, rec(0, 0, "a0")).commit(20, 0, 1)
                .subscribe(21, "g")
                .pollWithRebalance(20, List.of(0, 1), List.of(1), rec(1, 0, "b0"))
                .pollWithRebalance(21, List.of(), List.of(0), rec(0, 1, "a1"))
                .sendOk(1, 1, "b1", 1).poll(10, rec(0, 1, "a1"), rec(1, 1, "b1"))
                .crash(10).assign(10, false, 1).seek(10, 1, "1").poll(10, rec(1, 1, "b1"))
                .assign(99, true, 0, 1)
                .finalPoll(99, rec(0, 0, "a0"), rec(0, 1, "a1"), rec(1, 0, "b0"), rec(1, 1, "b1"));
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(4, result.summary().sendsOk());
        assertEquals(1, result.summary().finalPolls());
        assertEquals(List.of("queue-0", "queue-1"), result.summary().partitions());
    }

    @Test
    void interleavedProcessesArePairedByProcess() {
        HistoryBuilder h = new HistoryBuilder().sendInvoke(0, 0, "a").sendInvoke(1, 0, "b")
                .add(1, OpType.OK, QueueOps.SEND, QueueOps.sendOk(HistoryBuilder.TOPIC, 0, null, "b", 0), null)
                .add(0, OpType.OK, QueueOps.SEND, QueueOps.sendOk(HistoryBuilder.TOPIC, 0, null, "a", 1), null)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "b"), rec(0, 1, "a"));
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(2, result.summary().sendsOk());
    }

    @Test
    void unknownSendsMayBeReadOrNot() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendInfo(0, 0, "read-although-unknown").sendInfo(0, 0, "never-read")
                .sendOk(0, 0, "v3", 2)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "read-although-unknown"),
                        rec(0, 2, "v3"));
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(2, result.summary().sendsUnknown());
    }

    @Test
    void aFailedSendNeverReadIsFine() {
        HistoryBuilder h = new HistoryBuilder()
                .sendFail(0, 0, "failed").sendOk(0, 0, "v1", 0)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v1"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aSendThatNeverCompletedIsUnknown() {
        HistoryBuilder h = new HistoryBuilder().sendOk(0, 0, "v0", 0).sendInvoke(0, 0, "pending")
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "pending"));
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(new Availability.Outcomes(1, 0, 1), result.availability().byF().get(QueueOps.SEND));
    }

    @Test
    void reassignmentBetweenPollsIsNoSkip() {
        HistoryBuilder h = sentThree()
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(10, false, 1).assign(10, false, 0).poll(10, rec(0, 2, "v2"))
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void assignKeepsThePositionOfPartitionsItKeeps() {
        HistoryBuilder h = sentThree()
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(10, false, 0, 1).poll(10, rec(0, 2, "v2"))
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertEquals(Set.of(AnomalyKind.POLL_SKIP), Checker.check(h.ops()).found());
    }

    @Test
    void seekToBeginningAllowsReadingAgain() {
        HistoryBuilder h = sentThree()
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"))
                .assign(10, true, 0).poll(10, rec(0, 0, "v0"))
                .seek(10, 0, "2").poll(10, rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aRebalanceDuringAPollAllowsRereadingFromTheCommittedOffset() {
        HistoryBuilder h = sentThree()
                .subscribe(20, "g").poll(20, rec(0, 0, "v0"), rec(0, 1, "v1")).commit(20, 0, 1)
                .pollWithRebalance(20, List.of(0), List.of(0), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aRebalanceElsewhereKeepsThePartitionsExpectation() {
        HistoryBuilder h = sentThree()
                .subscribe(20, "g").poll(20, rec(0, 0, "v0"), rec(0, 1, "v1"))
                .pollWithRebalance(20, List.of(), List.of(1), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertEquals(Set.of(AnomalyKind.NONMONOTONIC_POLL), Checker.check(h.ops()).found());
    }

    @Test
    void aCrashedConsumerRestartsFromItsCommittedOffsetAndReadsAgain() {
        HistoryBuilder h = sentThree()
                .assign(10, false, 0).poll(10, rec(0, 0, "v0")).commit(10, 0, 1)
                .poll(10, rec(0, 1, "v1"), rec(0, 2, "v2"))
                .crash(10).assign(10, false, 0).seek(10, 0, "1").poll(10, rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aCrashWithoutASeekStillForgetsThePosition() {
        HistoryBuilder h = sentThree()
                .subscribe(20, "g").poll(20, rec(0, 0, "v0"), rec(0, 1, "v1"))
                .crash(20).subscribe(20, "g").poll(20, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void anUnknownPollMayHaveConsumedRecords() {
        HistoryBuilder h = sentThree()
                .assign(10, false, 0).poll(10, rec(0, 0, "v0")).pollInfo(10).poll(10, rec(0, 2, "v2"))
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void gapsNobodyKnowsOfAreNoSkip() {
        // offsets need not be contiguous (Kafka leaves gaps for transaction markers)
        HistoryBuilder h = new HistoryBuilder().sendOk(0, 0, "v0", 0).sendOk(0, 0, "v5", 5)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0")).poll(10, rec(0, 5, "v5"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aCrashResetsAProducersSendOrder() {
        HistoryBuilder h = new HistoryBuilder().sendOk(0, 0, "a", 1).crash(0).sendOk(0, 0, "b", 0)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "b"), rec(0, 1, "a"));
        assertValid(Checker.check(h.ops()));
    }

    @Test
    void aCrashEndsThePendingOperationAsUnknown() {
        HistoryBuilder h = new HistoryBuilder().sendInvoke(0, 0, "maybe").crash(0).sendOk(0, 0, "v1", 0)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v1"));
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(1, result.summary().sendsUnknown());
    }

    @Test
    void availabilityCountsOutcomesAndTheLongestWindowWithoutAnOkSend() {
        HistoryBuilder h = new HistoryBuilder()
                .advanceMs(8).sendOk(0, 0, "v0", 0)                  // ok send completes at 10 ms
                .advanceMs(36).sendFail(0, 0, "f1").sendOk(0, 0, "v2", 1) // 47, 48, 49, 50 ms
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"), rec(0, 1, "v2")); // ends at 54 ms
        Availability availability = Checker.check(h.ops()).availability();
        assertEquals(40, availability.longestNoSendMs());
        assertEquals(10, availability.noSendFromMs());
        assertEquals(50, availability.noSendToMs());
        Availability.Outcomes sends = availability.byF().get(QueueOps.SEND);
        assertEquals(new Availability.Outcomes(2, 1, 0), sends);
        assertEquals(2.0 / 3, sends.okShare(), 1e-9);
        assertEquals(1.0, availability.byF().get(QueueOps.POLL).okShare(), 1e-9);
    }

    @Test
    void withoutAnyOkSendTheWholeRunIsTheWindow() {
        HistoryBuilder h = new HistoryBuilder().advanceMs(98).sendFail(0, 0, "f");
        Availability availability = Checker.check(h.ops()).availability();
        assertEquals(100, availability.longestNoSendMs());
        assertEquals(0, availability.noSendFromMs());
        assertEquals(0.0, availability.byF().get(QueueOps.SEND).okShare());
    }

    @Test
    void operationsTheCheckerDoesNotKnowCountOnlyForAvailability() {
        HistoryBuilder h = new HistoryBuilder().add(5, OpType.INVOKE, "describe-group", null, null)
                .add(5, OpType.FAIL, "describe-group", null, "coordinator not available");
        CheckResult result = Checker.check(h.ops());
        assertValid(result);
        assertEquals(new Availability.Outcomes(0, 1, 0), result.availability().byF().get("describe-group"));
    }

    private static HistoryBuilder sentThree() {
        return new HistoryBuilder().sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1).sendOk(0, 0, "v2", 2);
    }
}
