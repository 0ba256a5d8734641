package io.sluice.broker.it;

import io.sluice.common.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real Sluice nodes for integration tests: separate {@code bin/sluice server} processes on 127.0.0.1
 * with ephemeral ports, one data directory and log file each, under a test's temporary directory.
 * Only the processes started here are ever signalled, by their PIDs. Not thread-safe.
 */
final class NodeProcesses implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();

    private final Path dir;
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final long createdNs = System.nanoTime();
    private final String testClass = StackWalker.getInstance().walk(frames -> frames
            .map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1))
            .filter(name -> name.endsWith("IT")).findFirst()).orElse("unknown");

    /** One node: its ports, files and, while running, its process. */
    static final class Node {
        final int id;
        final int clientPort;
        final int raftPort;
        final Path config;
        final Path log;
        Process process;
        boolean paused;

        Node(int id, int clientPort, int raftPort, Path config, Path log) {
            this.id = id;
            this.clientPort = clientPort;
            this.raftPort = raftPort;
            this.config = config;
            this.log = log;
        }

        String address() {
            return "127.0.0.1:" + clientPort;
        }
    }

    /**
     * Lays out {@code count} voters with both roles (not started).
     *
     * @param extraSettings properties added to every node's file (they replace the defaults set here)
     */
    NodeProcesses(Path dir, int count, Map<String, String> extraSettings) throws IOException {
        this(dir, count, count, extraSettings);
    }

    /**
     * Lays out {@code voterCount} voters with both roles, then {@code count - voterCount} broker-only
     * nodes (Raft listeners), which can be stopped without weakening the metadata quorum.
     */
    NodeProcesses(Path dir, int count, int voterCount, Map<String, String> extraSettings) throws IOException {
        this.dir = dir;
        List<int[]> ports = new ArrayList<>();
        int[] free = LoopbackPorts.free(2 * count);
        for (int i = 0; i < count; i++) {
            ports.add(new int[] {free[2 * i], free[2 * i + 1]});
        }
        String voters = java.util.stream.IntStream.range(0, voterCount)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(i)[1]).collect(Collectors.joining(","));
        for (int i = 0; i < count; i++) {
            int id = i + 1;
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + id));
            StringBuilder props = new StringBuilder()
                    .append("node.id=").append(id).append('\n')
                    .append("listen.address=127.0.0.1:").append(ports.get(i)[0]).append('\n')
                    .append("raft.listen.address=127.0.0.1:").append(ports.get(i)[1]).append('\n')
                    .append("data.dir=").append(nodeDir.resolve("data")).append('\n')
                    .append("controller.quorum.voters=").append(voters).append('\n')
                    .append("process.roles=").append(i < voterCount ? "broker,controller" : "broker").append('\n');
            // Elections at 1-2 s: the node's default (0.5-1 s) leaves too little slack on a loaded 2-core CI box.
            Map<String, String> settings = new LinkedHashMap<>(Map.of("broker.session.timeout.ms", "4000",
                    "replica.lag.time.max.ms", "10000", "raft.election.timeout.min.ms", "1000",
                    "raft.election.timeout.max.ms", "2000"));
            settings.putAll(extraSettings);
            settings.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
            Path config = nodeDir.resolve("node.properties");
            Files.writeString(config, props, StandardCharsets.UTF_8);
            nodes.put(id, new Node(id, ports.get(i)[0], ports.get(i)[1], config, nodeDir.resolve("node.log")));
        }
    }

    Node node(int id) {
        return nodes.get(id);
    }

    List<Integer> ids() {
        return List.copyOf(nodes.keySet());
    }

    String bootstrap() {
        return nodes.values().stream().map(Node::address).collect(Collectors.joining(","));
    }

    /** Starts every node and waits until each has printed {@code ready}. */
    void startAll(long timeoutMs) throws Exception {
        for (int id : nodes.keySet()) {
            start(id);
        }
        for (int id : nodes.keySet()) {
            awaitReady(id, timeoutMs);
        }
    }

    void start(int id) throws IOException {
        Node node = nodes.get(id);
        Files.writeString(node.log, "---- start\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(HOME.resolve("bin/sluice").toString(), "server", "--config",
                node.config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // C1 only and the serial collector: less CPU spent on JIT and GC threads while several nodes
        // start at once on a small, shared machine; these tests measure correctness, not throughput.
        builder.environment().put("SLUICE_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        node.process = builder.start();
    }

    /** Waits for the {@code ready} line of the node's latest start. */
    void awaitReady(int id, long timeoutMs) throws Exception {
        Node node = nodes.get(id);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            String log = Files.readString(node.log, StandardCharsets.UTF_8);
            String latest = log.substring(log.lastIndexOf("---- start"));
            if (latest.lines().anyMatch(line -> line.strip().equals("ready"))) {
                return;
            }
            if (!node.process.isAlive()) {
                throw new IllegalStateException("node " + id + " exited with " + node.process.exitValue()
                        + "; its log:\n" + latest);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node " + id + " not ready after " + timeoutMs + " ms; its log:\n"
                + Files.readString(node.log, StandardCharsets.UTF_8));
    }

    /** Prints a step of the test with the seconds since the nodes were laid out (the test's timeline). */
    void step(String what) {
        System.out.printf("[%7.1f s] %s%n", (System.nanoTime() - createdNs) / 1e9, what);
    }

    /** SIGKILL. */
    void kill(int id) throws InterruptedException {
        Process process = nodes.get(id).process;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The PID of the node's running process. */
    long pid(int id) {
        Process process = nodes.get(id).process;
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return process.pid();
    }

    /** SIGSTOP: the node freezes (no thread runs, sockets stay open) until {@link #resume}. */
    void pause(int id) throws IOException, InterruptedException {
        signal(id, "STOP");
        nodes.get(id).paused = true;
    }

    /** SIGCONT after {@link #pause}. */
    void resume(int id) throws IOException, InterruptedException {
        signal(id, "CONT");
        nodes.get(id).paused = false;
    }

    private void signal(int id, String signal) throws IOException, InterruptedException {
        long pid = pid(id);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: " + output);
        }
    }

    /** The node's data directory (its partition logs are under {@code logs/}). */
    Path dataDir(int id) {
        return dir.resolve("node-" + id).resolve("data");
    }

    /**
     * SIGTERM and wait for a clean stop: the JVM exits with 143 (128 + SIGTERM) after the node's
     * shutdown hook logged that it stopped. Returns true when both hold.
     */
    boolean terminate(int id, long timeoutMs) throws InterruptedException, IOException {
        if (nodes.get(id).paused) {
            resume(id);
        }
        Process process = nodes.get(id).process;
        process.destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("node " + id + " did not stop within " + timeoutMs + " ms");
        }
        String log = log(id);
        String latest = log.substring(log.lastIndexOf("---- start"));
        return process.exitValue() == 143 && latest.contains("node " + id + " stopped");
    }

    String log(int id) throws IOException {
        return Files.readString(nodes.get(id).log, StandardCharsets.UTF_8);
    }

    Path dir() {
        return dir;
    }

    /** SIGKILL every node still running and wait for each to exit. */
    void killAll() throws InterruptedException {
        close();
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes.values()) {
            if (node.process != null && node.process.isAlive()) {
                // SIGKILL ends a stopped process too; nothing of ours stays frozen.
                node.process.destroyForcibly();
            }
        }
        for (Node node : nodes.values()) {
            if (node.process != null) {
                node.process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        keepLogs();
    }

    /**
     * Copies the nodes' logs to {@code broker/target/it-node-logs/<test class>/} (the temporary
     * directory goes away with the test), so that a failure can be read afterwards.
     */
    private void keepLogs() {
        Path target = HOME.resolve("broker/target/it-node-logs").resolve(testClass);
        try {
            Files.createDirectories(target);
            for (Node node : nodes.values()) {
                if (Files.exists(node.log)) {
                    Files.copy(node.log, target.resolve("node-" + node.id + ".log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.out.println("could not keep the node logs in " + target + ": " + e);
        }
    }
}
