package io.sluice.jepsen.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Signals and states of processes, by PID. Callers pass only PIDs of processes they started and
 * still hold ({@link Process#isAlive()}), so a reused PID is never signalled. Linux only (reads
 * {@code /proc}). Stateless and thread-safe.
 */
public final class Processes {
    private static final long SIGNAL_TIMEOUT_MS = 10_000;

    private Processes() {
    }

    /** Sends SIGSTOP: the process freezes until {@link #resume}. */
    public static void pause(long pid) throws IOException {
        signal("-STOP", pid);
    }

    /** Sends SIGCONT. */
    public static void resume(long pid) throws IOException {
        signal("-CONT", pid);
    }

    private static void signal(String signal, long pid) throws IOException {
        String kill = Commands.find("kill").map(Path::toString).orElse("/bin/kill");
        Commands.runOrThrow(List.of(kill, signal, Long.toString(pid)), SIGNAL_TIMEOUT_MS);
    }

    /**
     * The process's scheduling state from {@code /proc/<pid>/stat} ({@code R} running,
     * {@code S} sleeping, {@code T} stopped, {@code Z} zombie, ...), empty if there is no such
     * process.
     */
    public static Optional<Character> state(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // "pid (command) S ...": the command may hold spaces and parentheses, the state follows the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            throw new IOException("cannot read the state of PID " + pid + " from: " + stat);
        }
        return Optional.of(stat.charAt(close + 2));
    }

    /** Whether the process is stopped by a signal (state {@code T}). */
    public static boolean isStopped(long pid) throws IOException {
        return state(pid).map(s -> s == 'T').orElse(false);
    }

    /** This JVM's real user id, from {@code /proc/self/status}; -1 when unknown. */
    public static int userId() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
