package io.sluice.metastore.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on one {@link BenchNode} process: starts it with the driver's own class path
 * and JVM, sends request lines, reads the answer lines ({@code @@OK ...} parsed into a map, anything
 * else skipped), and kills it with SIGKILL ({@link Process#destroyForcibly()} on Linux). Not
 * thread-safe: one request at a time per node.
 */
final class NodeProcess implements AutoCloseable {
    private final int id;
    private final List<String> command;
    private final Path log;
    private Process process;
    private PrintWriter in;
    private BufferedReader out;

    NodeProcess(int id, List<String> nodeArgs, List<String> jvmArgs, Path log) {
        this.id = id;
        this.log = log;
        this.command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchNode.class.getName());
        command.addAll(nodeArgs);
    }

    int id() {
        return id;
    }

    /** Starts (or restarts, with the same data) the process. */
    void start() throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = b.start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far, in ms (0 where the platform does not say). */
    long cpuMs() {
        return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    /** Sends one request and returns its answer's fields; throws on {@code @@ERR} or a dead process. */
    Map<String, String> request(String line) throws IOException {
        in.println(line);
        String answer;
        while ((answer = out.readLine()) != null) {
            if (answer.startsWith("@@OK")) {
                return fields(answer.substring(4));
            }
            if (answer.startsWith("@@ERR")) {
                throw new IOException("node " + id + " refused '" + line + "': " + answer.substring(5));
            }
        }
        throw new IOException("node " + id + " exited during '" + line + "' (see " + log + ")");
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> m = new HashMap<>();
        for (String w : text.trim().split("\\s+")) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                m.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return m;
    }

    /** SIGKILL: no shutdown hook, no flush, like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            in.println("exit");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
