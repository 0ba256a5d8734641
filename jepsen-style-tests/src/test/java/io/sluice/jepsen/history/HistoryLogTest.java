package io.sluice.jepsen.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLogTest {
    @TempDir
    Path dir;

    @Test
    void entriesRoundTripInOrder() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryLog log = HistoryLog.create(file)) {
            log.append(10, 1, OpType.INVOKE, "send", Map.of("key", "k1", "value", 7), null);
            log.append(20, 1, OpType.OK, "send", Map.of("key", "k1", "value", 7, "offset", 42), null);
            log.append(30, 2, OpType.INFO, "poll", null, "timeout after 5000 ms");
        }
        List<Op> ops = HistoryLog.read(file);
        assertEquals(3, ops.size());
        assertEquals(List.of(0L, 1L, 2L), ops.stream().map(Op::index).toList());
        assertEquals(OpType.OK, ops.get(1).type());
        assertEquals(42, ops.get(1).value().get("offset").asInt());
        assertTrue(ops.get(2).value().isNull());
        assertEquals("timeout after 5000 ms", ops.get(2).error());
    }

    @Test
    void entriesAreOnDiskBeforeClose() throws IOException {
        Path file = dir.resolve("history.jsonl");
        HistoryLog log = HistoryLog.create(file);
        log.append(1, 0, OpType.INVOKE, "send", 1, null);
        assertEquals(1, HistoryLog.read(file).size(), "a crash after append must not lose the entry");
        log.close();
    }

    @Test
    void malformedLinesAreRefusedWithTheirPosition() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"send\"}\n"
                + "{\"index\":1}\n");
        IOException e = assertThrows(IOException.class, () -> HistoryLog.read(file));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }
}
