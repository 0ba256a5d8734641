package io.sluice.metastore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/** The benchmark's Markdown report: printed as it grows and appended to a file. Not thread-safe. */
final class Report {
    private final Path file;

    Report(Path file) {
        this.file = file;
    }

    /** The arguments and the machine at the start, then the table's head. */
    void header(String arguments) {
        line("# Metadata quorum benchmark");
        line("");
        line("Arguments: `" + arguments + "`");
        machine("at the start");
        line("");
        line("| measurement | figures |");
        line("|---|---|");
    }

    /** Cores, load average, JVM and OS. */
    void machine(String when) {
        line("");
        line("Machine " + when + ": " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage() + ", Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.version"));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2] + " (1/5/15 min)";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** One measurement: its name and the node's answer, fields sorted. */
    void row(String what, Map<String, String> answer) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(answer).forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        row(what, b.toString());
    }

    /** One measurement as text. */
    void row(String what, String figures) {
        line("| " + what + " | " + figures + " |");
    }

    private void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
