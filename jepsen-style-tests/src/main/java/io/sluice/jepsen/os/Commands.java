package io.sluice.jepsen.os;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs short external commands and returns their exit code and output (stdout and stderr
 * merged). A command that outlives its timeout is killed by its PID (it is a child this class
 * started) and reported as failed. Output goes through a temporary file, so a chatty command never
 * blocks on a full pipe. Stateless and thread-safe.
 */
public final class Commands {
    /** Where administration tools live when {@code PATH} lacks the sbin directories. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Commands() {
    }

    /**
     * What a command did.
     *
     * @param command  the command line
     * @param exitCode its exit code (-1 when it timed out)
     * @param output   stdout and stderr, merged, trimmed
     */
    public record Result(List<String> command, int exitCode, String output) {
        public Result {
            command = List.copyOf(command);
        }

        /** Whether it exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** One line for error messages: the command, its exit code and output. */
        public String describe() {
            return String.join(" ", command) + " -> exit " + exitCode + (output.isEmpty() ? "" : ": " + output);
        }
    }

    /** Runs a command with no input. */
    public static Result run(List<String> command, long timeoutMs) throws IOException {
        return run(command, null, timeoutMs);
    }

    /** Runs a command, feeding it {@code stdin} (null for none). */
    public static Result run(List<String> command, String stdin, long timeoutMs) throws IOException {
        Path output = Files.createTempFile("sluice-cmd", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean exited = waitFor(process, timeoutMs);
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (!exited) {
                String timedOut = "timed out after " + timeoutMs + " ms";
                return new Result(command, -1, text.isEmpty() ? timedOut : timedOut + "; " + text);
            }
            return new Result(command, process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean waitFor(Process process, long timeoutMs) throws IOException {
        try {
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + process.info().commandLine().orElse("a command"), e);
        }
    }

    /** Runs a command and returns its output, or throws {@link CommandException} if it fails. */
    public static String runOrThrow(List<String> command, long timeoutMs) throws IOException {
        return runOrThrow(command, null, timeoutMs);
    }

    /** Runs a command with input and returns its output, or throws {@link CommandException}. */
    public static String runOrThrow(List<String> command, String stdin, long timeoutMs) throws IOException {
        Result result = run(command, stdin, timeoutMs);
        if (!result.ok()) {
            throw new CommandException(result);
        }
        return result.output();
    }

    /** The absolute path of an executable on {@code PATH} or in the usual sbin/bin directories. */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A command that exited non-zero or timed out. */
    public static final class CommandException extends IOException {
        private static final long serialVersionUID = 1L;

        private final transient Result result;

        public CommandException(Result result) {
            super(result.describe());
            this.result = result;
        }

        /** What the command did. */
        public Result result() {
            return result;
        }
    }
}
