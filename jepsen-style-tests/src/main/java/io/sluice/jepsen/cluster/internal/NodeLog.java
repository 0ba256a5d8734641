package io.sluice.jepsen.cluster.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Reading and marking a node's log file (stdout and stderr of all its starts). Stateless. */
public final class NodeLog {
    private NodeLog() {
    }

    /** Appends a line of the harness's own (between a node's runs, never while it writes). */
    public static long mark(Path log, String line) throws IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return Files.size(log);
    }

    /** Whether a line that is exactly {@code ready} (blanks aside) appears at or after {@code fromOffset}. */
    public static boolean hasReadyLine(Path log, long fromOffset) throws IOException {
        if (!Files.exists(log)) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(Math.min(fromOffset, file.length()));
            String line;
            while ((line = file.readLine()) != null) {
                if (line.strip().equals("ready")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public static String tail(Path log, int lines) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        Deque<String> last = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = reader.readLine()) != null) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        }
        return String.join("\n", List.copyOf(last));
    }
}
