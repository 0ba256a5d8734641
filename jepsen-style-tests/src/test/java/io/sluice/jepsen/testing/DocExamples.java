package io.sluice.jepsen.testing;

import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The example histories of {@code docs/chaos.md}, so that tests keep the page honest. */
public final class DocExamples {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();

    private DocExamples() {
    }

    /** The first JSON block after the heading {@code ### <section>}, read as a history. */
    public static List<Op> history(String section, Path scratch) throws IOException {
        String doc = Files.readString(HOME.resolve("docs/chaos.md"), StandardCharsets.UTF_8);
        int at = doc.indexOf("### " + section + "\n");
        if (at < 0) {
            throw new IllegalStateException("docs/chaos.md lost its section '" + section + "'");
        }
        int start = doc.indexOf("```json\n", at) + "```json\n".length();
        Path file = scratch.resolve(section.replace(' ', '-') + ".jsonl");
        Files.writeString(file, doc.substring(start, doc.indexOf("```", start)), StandardCharsets.UTF_8);
        return HistoryLog.read(file);
    }
}
