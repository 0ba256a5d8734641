package io.sluice.jepsen.runner;

import io.sluice.common.Clock;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The run's progress lines, stamped with seconds since the run began, printed to the console and
 * appended to {@code harness.log}. Thread-safe: nemesis, workload and runner log into it at once.
 */
final class RunLog implements Consumer<String>, Closeable {
    private final Clock clock;
    private final long originMs;
    private final PrintStream console;
    private final BufferedWriter file;

    RunLog(Path file, Clock clock, PrintStream console) throws IOException {
        this.clock = clock;
        this.originMs = clock.monotonicMs();
        this.console = console;
        this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void accept(String message) {
        String line = String.format(Locale.ROOT, "[%8.3f s] %s", (clock.monotonicMs() - originMs) / 1000.0, message);
        console.println(line);
        try {
            file.write(line);
            file.newLine();
            file.flush();
        } catch (IOException e) {
            console.println("(cannot write harness.log: " + e.getMessage() + ")");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
