package io.sluice.jepsen.checker;

import static io.sluice.jepsen.checker.HistoryBuilder.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result's JSON, the command line, and histories the checker must refuse. */
class CheckHistoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckHistory.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(List<Op> ops) throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryLog log = HistoryLog.create(file)) {
            for (Op op : ops) {
                log.append(op.timeNs(), op.process(), op.type(), op.f(), op.value(), op.error());
            }
        }
        return file;
    }

    private static List<Op> lostWrite() {
        return new HistoryBuilder().sendOk(0, 0, "v0", 0).sendOk(0, 0, "v1", 1)
                .assign(10, false, 0).seek(10, 0, "1").poll(10, rec(0, 1, "v1"))
                .assign(99, true, 0).finalPoll(99, rec(0, 1, "v1")).ops();
    }

    @Test
    void theResultJsonNamesEveryKindAndItsExamples() throws IOException {
        CheckResult result = Checker.check(lostWrite());
        Path file = dir.resolve("result.json");
        result.writeTo(file);
        JsonNode json = JSON.readTree(file.toFile());
        assertEquals(false, json.get("valid").asBoolean());
        assertEquals("lost-write", json.get("found").get(0).asText());
        for (AnomalyKind kind : AnomalyKind.values()) {
            assertTrue(json.get("anomalies").has(kind.wireName()), kind.wireName());
        }
        JsonNode lost = json.get("anomalies").get("lost-write");
        assertEquals(1, lost.get("count").asInt());
        assertEquals("v0", lost.get("examples").get(0).get("value").asText());
        assertEquals(1.0, json.get("availability").get("byF").get("send").get("okShare").asDouble());
        assertEquals(2, json.get("summary").get("sendsOk").asInt());
    }

    @Test
    void exitsZeroOnAValidHistoryAndPrintsTheResult() throws IOException {
        Path history = write(new HistoryBuilder().sendOk(0, 0, "v0", 0)
                .assign(99, true, 0).finalPoll(99, rec(0, 0, "v0")).ops());
        assertEquals(CheckHistory.VALID, run(history.toString()));
        assertEquals(true, JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("valid").asBoolean());
    }

    @Test
    void exitsOneOnAnomaliesAndWritesTheResultFile() throws IOException {
        Path history = write(lostWrite());
        Path result = dir.resolve("out.json");
        assertEquals(CheckHistory.ANOMALIES, run(history.toString(), "--out", result.toString()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("lost-write (1)"), printed);
        assertEquals(1, JSON.readTree(result.toFile()).get("anomalies").get("lost-write").get("count").asInt());
    }

    @Test
    void exitsTwoOnBadUsageOrBadInput() throws IOException {
        assertEquals(CheckHistory.BAD_INPUT, run());
        assertEquals(CheckHistory.BAD_INPUT, run("a.jsonl", "b.jsonl"));
        assertEquals(CheckHistory.BAD_INPUT, run("--verbose"));
        assertEquals(CheckHistory.BAD_INPUT, run(dir.resolve("missing.jsonl").toString()));
        Path garbage = dir.resolve("garbage.jsonl");
        Files.writeString(garbage, "not json\n");
        assertEquals(CheckHistory.BAD_INPUT, run(garbage.toString()));
        Path unpaired = write(List.of(new Op(0, 1, 0, OpType.OK, QueueOps.SEND, null, null)));
        assertEquals(CheckHistory.BAD_INPUT, run(unpaired.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("entry 0"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAValueSentTwice() {
        List<Op> ops = new HistoryBuilder().sendOk(0, 0, "v0", 0).sendOk(1, 0, "v0", 1).ops();
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Checker.check(ops));
        assertTrue(e.getMessage().contains("unique"), e.getMessage());
    }

    @Test
    void refusesASecondInvocationWhileOneIsOutstanding() {
        List<Op> ops = new HistoryBuilder().sendInvoke(0, 0, "a").sendInvoke(0, 0, "b").ops();
        assertThrows(HistoryFormatException.class, () -> Checker.check(ops));
    }

    @Test
    void refusesACompletionOfAnotherOperation() {
        List<Op> ops = new HistoryBuilder().sendInvoke(0, 0, "a")
                .add(0, OpType.OK, QueueOps.POLL, QueueOps.poll(false), null).ops();
        assertThrows(HistoryFormatException.class, () -> Checker.check(ops));
    }

    @Test
    void refusesAnOkSendWithoutOffset() {
        List<Op> ops = new HistoryBuilder().sendInvoke(0, 0, "a")
                .add(0, OpType.OK, QueueOps.SEND, QueueOps.send("queue", 0, null, "a"), null).ops();
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Checker.check(ops));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void refusesMalformedRecords() throws IOException {
        HistoryBuilder h = new HistoryBuilder().add(10, OpType.INVOKE, QueueOps.POLL, QueueOps.poll(false), null)
                .add(10, OpType.OK, QueueOps.POLL, JSON.readTree("{\"records\":{\"queue-0\":[[\"x\",\"v\"]]}}"),
                        null);
        assertThrows(HistoryFormatException.class, () -> Checker.check(h.ops()));
        HistoryBuilder badPartition = new HistoryBuilder()
                .add(10, OpType.INVOKE, QueueOps.POLL, QueueOps.poll(false), null)
                .add(10, OpType.OK, QueueOps.POLL, JSON.readTree("{\"records\":{\"queue\":[[0,\"v\"]]}}"), null);
        assertThrows(HistoryFormatException.class, () -> Checker.check(badPartition.ops()));
    }
}
