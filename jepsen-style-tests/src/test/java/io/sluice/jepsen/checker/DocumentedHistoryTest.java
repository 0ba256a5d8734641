package io.sluice.jepsen.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.jepsen.history.HistoryLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example history in docs/chaos.md is a valid history: the documentation and the checker agree. */
class DocumentedHistoryTest {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleChecksValid() throws IOException {
        String doc = Files.readString(HOME.resolve("docs/chaos.md"), StandardCharsets.UTF_8);
        int section = doc.indexOf("### Example");
        assertTrue(section >= 0, "docs/chaos.md lost its example history");
        int start = doc.indexOf("```json\n", section) + "```json\n".length();
        int end = doc.indexOf("```", start);
        Path history = dir.resolve("example.jsonl");
        Files.writeString(history, doc.substring(start, end), StandardCharsets.UTF_8);
        CheckResult result = Checker.check(HistoryLog.read(history));
        assertTrue(result.valid(), result.toJsonString());
        assertEquals(1, result.summary().finalPolls());
        assertEquals(1, result.summary().sendsFailed());
    }
}
