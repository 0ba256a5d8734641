package io.sluice.jepsen.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/sluice} as a user does, with standard input from a string, and
 * collects its exit code, standard output and standard error. Stateless.
 */
final class Cli {
    private Cli() {
    }

    /** What a command did. */
    record Result(int exitCode, String out, String err) {
        /** Standard output's lines. */
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** {@code bin/sluice args...} with {@code stdin}; fails the test if it runs for over 3 minutes. */
    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RealCluster.HOME.resolve("bin/sluice").toString());
        command.addAll(List.of(args));
        Path in = Files.createTempFile("sluice-in", ".txt");
        Path out = Files.createTempFile("sluice-out", ".txt");
        Path err = Files.createTempFile("sluice-err", ".txt");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // A short-lived client JVM: C1 only and the serial collector start faster on a loaded box.
        builder.environment().put("SLUICE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process process = builder.start();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("sluice " + String.join(" ", args) + " did not finish in 3 minutes");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            RealCluster.log("sluice " + String.join(" ", args) + " -> exit " + result.exitCode());
            return result;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
