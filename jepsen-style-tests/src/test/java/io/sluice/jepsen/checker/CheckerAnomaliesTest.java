package io.sluice.jepsen.checker;

import static io.sluice.jepsen.checker.HistoryBuilder.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-made histories holding exactly one kind of anomaly each: found, with the right example, and alone. */
class CheckerAnomaliesTest {

    /** Checks that the result holds only this kind, and returns its first example. */
    static JsonNode only(CheckResult result, AnomalyKind kind, long count) {
        assertEquals(Set.of(kind), result.found(), result.toJsonString());
        assertFalse(result.valid());
        assertEquals(count, result.anomaly(kind).count(), result.toJsonString());
        return result.anomaly(kind).examples().get(0);
    }

    @Test
    void lostWriteIsAnAcknowledgedValueBelowAReadOffsetNeverRead() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1).sendOk(0, 0, "v2", 2)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(11, false, 0).seek(11, 0, "2").poll(11, rec(0, 2, "v2"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.LOST_WRITE, 1);
        assertEquals("v1", example.get("value").asText());
        assertEquals("queue-0", example.get("partition").asText());
        assertEquals(1, example.get("offset").asLong());
        assertEquals(3, example.get("sendIndex").asLong());
        assertEquals(2, example.get("highestReadOffset").asLong());
        assertEquals(h.ops().size() - 1, example.get("highestReadIndex").asLong());
    }

    @Test
    void unseenIsAnAcknowledgedValueAboveEveryReadOffset() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.UNSEEN, 1);
        assertEquals("v1", example.get("value").asText());
        assertEquals(1, example.get("offset").asLong());
        assertEquals(0, example.get("highestReadOffset").asLong());
    }

    @Test
    void unseenInAPartitionNobodyReadNamesNoHighestRead() {
        HistoryBuilder h = new HistoryBuilder().sendOk(0, 1, "v0", 0);
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.UNSEEN, 1);
        assertEquals("queue-1", example.get("partition").asText());
        assertEquals(true, example.get("highestReadOffset").isNull());
    }

    @Test
    void duplicateIsOneValueAtTwoOffsetsOfOnePartition() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v0"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.DUPLICATE, 1);
        assertEquals("v0", example.get("value").asText());
        JsonNode positions = example.get("positions");
        assertEquals(2, positions.size());
        assertEquals("ack", positions.get(0).get("source").asText());
        assertEquals(0, positions.get(0).get("offset").asLong());
        assertEquals("read", positions.get(1).get("source").asText());
        assertEquals(2, positions.get(1).get("offset").asLong());
    }

    @Test
    void duplicateAcrossPartitions() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(11, false, 1).poll(11, rec(1, 0, "v0"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.DUPLICATE, 1);
        assertEquals("queue-1", example.get("positions").get(1).get("partition").asText());
    }

    @Test
    void inconsistentOffsetsIsOneOffsetReadWithTwoValues() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1).sendInfo(1, 0, "v2")
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"), rec(0, 1, "v1"))
                .assign(11, false, 0).poll(11, rec(0, 0, "v0"), rec(0, 1, "v2"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.INCONSISTENT_OFFSETS, 1);
        assertEquals(1, example.get("offset").asLong());
        assertEquals("v1", example.get("values").get(0).get("value").asText());
        assertEquals("v2", example.get("values").get(1).get("value").asText());
    }

    @Test
    void inconsistentOffsetsIncludesAcknowledgements() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(1, 0, "v1", 0)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"))
                .assign(11, false, 0).poll(11, rec(0, 0, "v1"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.INCONSISTENT_OFFSETS, 1);
        assertEquals("ack", example.get("values").get(0).get("source").asText());
    }

    @Test
    void abortedReadIsAFailedSendThatWasRead() {
        HistoryBuilder h = new HistoryBuilder()
                .sendFail(0, 0, "v0")
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.ABORTED_READ, 1);
        assertEquals("v0", example.get("value").asText());
        assertEquals(1, example.get("sendIndex").asLong());
        assertEquals(h.ops().size() - 1, example.get("readIndex").asLong());
    }

    @Test
    void phantomReadIsAValueNobodySent() {
        HistoryBuilder h = new HistoryBuilder()
                .assign(10, false, 0).poll(10, rec(0, 0, "ghost"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.PHANTOM_READ, 1);
        assertEquals("ghost", example.get("value").asText());
    }

    @Test
    void pollSkipIsAConsumerJumpingOverOffsetsThatExist() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1).sendOk(0, 0, "v2", 2)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0")).poll(10, rec(0, 2, "v2"))
                .assign(11, false, 0).poll(11, rec(0, 0, "v0"), rec(0, 1, "v1"), rec(0, 2, "v2"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.POLL_SKIP, 1);
        assertEquals(10, example.get("process").asInt());
        assertEquals("assign", example.get("mode").asText());
        assertEquals(0, example.get("previousOffset").asLong());
        assertEquals(2, example.get("offset").asLong());
        assertEquals(1, example.get("skippedOffsets").get(0).asLong());
        assertEquals(9, example.get("previousIndex").asLong());
        assertEquals(11, example.get("index").asLong());
    }

    @Test
    void pollSkipWithinOnePoll() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1).sendOk(0, 0, "v2", 2)
                .subscribe(10, "g").poll(10, rec(0, 0, "v0"), rec(0, 2, "v2"))
                .assign(11, false, 0).poll(11, rec(0, 1, "v1"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.POLL_SKIP, 1);
        assertEquals("subscribe", example.get("mode").asText());
        assertEquals(example.get("previousIndex"), example.get("index"));
    }

    @Test
    void nonmonotonicPollIsReadingAnOffsetAgainWithoutASeek() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1)
                .assign(10, false, 0).poll(10, rec(0, 0, "v0"), rec(0, 1, "v1")).poll(10, rec(0, 1, "v1"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.NONMONOTONIC_POLL, 1);
        assertEquals(1, example.get("previousOffset").asLong());
        assertEquals(1, example.get("offset").asLong());
    }

    @Test
    void nonmonotonicPollWithinOnePoll() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1)
                .assign(10, false, 0).poll(10, rec(0, 1, "v1"), rec(0, 0, "v0"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.NONMONOTONIC_POLL, 1);
        assertEquals(0, example.get("offset").asLong());
    }

    @Test
    void nonmonotonicSendIsAProducersOffsetsGoingBack() {
        HistoryBuilder h = new HistoryBuilder()
                .sendOk(1, 0, "c", 0).sendOk(0, 0, "a", 2).sendOk(0, 0, "b", 1)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "c"), rec(0, 1, "b"), rec(0, 2, "a"));
        JsonNode example = only(Checker.check(h.ops()), AnomalyKind.NONMONOTONIC_SEND, 1);
        assertEquals(0, example.get("process").asInt());
        assertEquals("a", example.get("previousValue").asText());
        assertEquals(2, example.get("previousOffset").asLong());
        assertEquals("b", example.get("value").asText());
        assertEquals(1, example.get("offset").asLong());
    }

    @Test
    void examplesStopAtTenButTheCountDoesNot() {
        HistoryBuilder h = new HistoryBuilder();
        for (int i = 0; i < 25; i++) {
            h.sendOk(0, 0, "v" + i, i);
        }
        CheckResult result = Checker.check(h.ops());
        assertEquals(25, result.anomaly(AnomalyKind.UNSEEN).count());
        assertEquals(AnomalyReport.MAX_EXAMPLES, result.anomaly(AnomalyKind.UNSEEN).examples().size());
        assertEquals("v0", result.anomaly(AnomalyKind.UNSEEN).examples().get(0).get("value").asText());
    }
}
