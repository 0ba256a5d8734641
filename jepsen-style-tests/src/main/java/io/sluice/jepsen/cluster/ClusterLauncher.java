package io.sluice.jepsen.cluster;

import io.sluice.common.Clock;
import io.sluice.common.LoopbackPorts;
import io.sluice.jepsen.cluster.internal.NodeLog;
import io.sluice.jepsen.cluster.internal.NodeProcess;
import io.sluice.jepsen.net.Network;
import io.sluice.jepsen.os.Processes;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Launches and drives the nodes of one chaos cluster as separate OS processes. Each node is
 * started with its {@link NodeCommand} (the real one is {@code bin/sluice server}, which gives the
 * JVM the flags of {@code bin/jvm-options}) behind the network's launch prefix (inside its
 * namespace), in its own directory, with stdout and stderr appended to its log, and with
 * {@code SLUICE_JAVA_OPTS} extended by {@code -Dsluice.clock.offset.file=<its clock file>}.
 * A node is ready when its log shows a line {@code ready} after its latest start.
 *
 * <p>Every signal goes to the PID of a {@link Process} this launcher started and still holds
 * alive: SIGKILL ({@link #kill}), SIGTERM then SIGKILL after the grace period ({@link #stop}),
 * SIGSTOP and SIGCONT ({@link #pause}, {@link #resume}). Operations on a node in the wrong state
 * do nothing (killing a dead node, resuming a running one), so heals are idempotent. A shutdown
 * hook SIGKILLs whatever still runs if the harness exits without {@link #close()}. Methods are
 * synchronized; {@link #start} returns once the processes are spawned, {@link #awaitReady} waits.
 */
public final class ClusterLauncher implements AutoCloseable {
    /** The JVM system property naming the clock-offset file, read by the node. */
    public static final String CLOCK_OFFSET_PROPERTY = "sluice.clock.offset.file";
    /** What the membership fault wipes under a data directory: the replicas and their state. */
    private static final List<String> REPLICA_DATA = List.of("logs", "replica-state");
    private static final long EXIT_WAIT_MS = 30_000;
    private static final long SIGNAL_WAIT_MS = 10_000;
    private static final long POLL_MS = 100;

    private final ClusterSpec spec;
    private final Network network;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
    private final Thread hook;
    private boolean closed;

    private ClusterLauncher(ClusterSpec spec, Network network, Clock clock, Consumer<String> log,
            List<ClusterNode> layout) {
        this.spec = spec;
        this.network = network;
        this.clock = clock;
        this.log = log;
        layout.forEach(node -> nodes.put(node.id(), new NodeProcess(node)));
        this.hook = new Thread(this::killAllNow, "sluice-chaos-cluster-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Lays the cluster out (addresses, ports, directories, properties and clock files with offset
     * 0) without starting anything.
     */
    public static ClusterLauncher create(ClusterSpec spec, Network network, Clock clock, Consumer<String> log)
            throws IOException {
        List<ClusterNode> layout = layout(spec, network);
        for (ClusterNode node : layout) {
            Files.createDirectories(node.dataDir());
            Files.writeString(node.configFile(), NodeSettings.toProperties(
                    NodeSettings.of(node, layout, spec.overrides())), StandardCharsets.UTF_8);
            writeAtomically(node.clockOffsetFile(), "0\n");
        }
        return new ClusterLauncher(spec, network, clock, log, layout);
    }

    /** With own addresses every node uses 9092/9093; on loopback each gets two free ports. */
    private static List<ClusterNode> layout(ClusterSpec spec, Network network) throws IOException {
        List<ClusterNode> layout = new ArrayList<>();
        int[] ports = network.isolatesNodes() ? new int[0] : LoopbackPorts.free(2 * spec.nodes());
        for (int id = 1; id <= spec.nodes(); id++) {
            Path dir = spec.dir().resolve("n" + id).toAbsolutePath().normalize();
            if (network.isolatesNodes()) {
                layout.add(new ClusterNode(id, network.nodeHost(id), 9092, 9093, dir));
            } else {
                layout.add(new ClusterNode(id, network.nodeHost(id), ports[2 * id - 2], ports[2 * id - 1], dir));
            }
        }
        return layout;
    }

    /** The nodes, by id. */
    public List<ClusterNode> nodes() {
        return nodes.values().stream().map(NodeProcess::node).toList();
    }

    /** The node ids, 1..n. */
    public List<Integer> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** One node. */
    public ClusterNode node(int id) {
        return state(id).node();
    }

    /** The bootstrap list for clients: every node's client address, comma-separated. */
    public String bootstrapServers() {
        return nodes().stream().map(ClusterNode::clientAddress).collect(Collectors.joining(","));
    }

    /** Starts every node and waits until all are ready. */
    public void startAll() throws IOException, InterruptedException {
        start(ids());
        awaitReady(ids(), spec.readyTimeoutMs());
    }

    /** Spawns the given nodes that are not running; returns without waiting for readiness. */
    public synchronized void start(Collection<Integer> ids) throws IOException {
        if (closed) {
            throw new IllegalStateException("the cluster is closed");
        }
        for (int id : ids) {
            NodeProcess node = state(id);
            if (!node.isRunning()) {
                spawn(node);
            }
        }
    }

    private void spawn(NodeProcess state) throws IOException {
        ClusterNode node = state.node();
        List<String> command = new ArrayList<>(network.launchPrefix(node.id()));
        command.addAll(spec.command().command(node));
        long offset = NodeLog.mark(node.logFile(), "==== sluice chaos: start #" + (state.starts() + 1)
                + " of node " + node.id() + ": " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(node.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()))
                .redirectErrorStream(true);
        String javaOpts = builder.environment().getOrDefault("SLUICE_JAVA_OPTS", "");
        builder.environment().put("SLUICE_JAVA_OPTS", (javaOpts.isBlank() ? "" : javaOpts.strip() + " ")
                + "-D" + CLOCK_OFFSET_PROPERTY + "=" + node.clockOffsetFile());
        Process process = builder.start();
        state.started(process, offset);
        log.accept("node " + node.id() + " started (PID " + process.pid() + ")");
    }

    /** Waits until the given nodes are ready; fails naming a node that died or did not get ready. */
    public void awaitReady(Collection<Integer> ids, long timeoutMs) throws IOException, InterruptedException {
        long deadline = clock.monotonicMs() + timeoutMs;
        List<Integer> waiting = new ArrayList<>(ids);
        while (true) {
            synchronized (this) {
                for (int id : List.copyOf(waiting)) {
                    if (checkReady(state(id))) {
                        waiting.remove(Integer.valueOf(id));
                    }
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (clock.monotonicMs() > deadline) {
                throw new IOException("nodes " + waiting + " were not ready after " + timeoutMs + " ms; see "
                        + waiting.stream().map(id -> node(id).logFile().toString()).collect(Collectors.joining(", ")));
            }
            clock.sleepMs(POLL_MS);
        }
    }

    /** Whether the node is ready; throws if its process exited before printing ready. */
    private boolean checkReady(NodeProcess state) throws IOException {
        if (state.ready()) {
            return true;
        }
        Path logFile = state.node().logFile();
        if (state.process() != null && NodeLog.hasReadyLine(logFile, state.logOffset())) {
            state.markReady();
            return true;
        }
        if (state.process() == null || !state.isRunning()) {
            String exit = state.process() == null ? "was never started" : "exited with code "
                    + state.process().exitValue();
            throw new IOException("node " + state.node().id() + " " + exit + " before it was ready; its log "
                    + logFile + " ends with:\n" + NodeLog.tail(logFile, 20));
        }
        return false;
    }

    /** Whether a node has printed ready since its latest start (reads its log). */
    public synchronized boolean isReady(int id) throws IOException {
        NodeProcess state = state(id);
        return state.isRunning() && (state.ready() || checkReadyQuietly(state));
    }

    private static boolean checkReadyQuietly(NodeProcess state) throws IOException {
        if (NodeLog.hasReadyLine(state.node().logFile(), state.logOffset())) {
            state.markReady();
            return true;
        }
        return false;
    }

    /** Whether the node's process is alive. */
    public synchronized boolean isRunning(int id) {
        return state(id).isRunning();
    }

    /** Whether this launcher has it stopped with SIGSTOP. */
    public synchronized boolean isPaused(int id) {
        return state(id).isRunning() && state(id).paused();
    }

    /** The PID of the node's current process, while it runs. */
    public synchronized OptionalLong pid(int id) {
        return state(id).pid();
    }

    /** Nodes that are not running although the harness did not stop them, with their exit codes. */
    public synchronized Map<Integer, Integer> unexpectedExits() {
        Map<Integer, Integer> exits = new LinkedHashMap<>();
        for (NodeProcess state : nodes.values()) {
            if (state.process() != null && !state.isRunning() && !state.meantDown()) {
                exits.put(state.node().id(), state.process().exitValue());
            }
        }
        return exits;
    }

    /** Nodes whose process is not running. */
    public synchronized List<Integer> notRunning() {
        return nodes.values().stream().filter(n -> !n.isRunning()).map(n -> n.node().id()).toList();
    }

    /** SIGKILLs the given running nodes and waits for them to exit. */
    public synchronized void kill(Collection<Integer> ids) throws IOException, InterruptedException {
        for (int id : ids) {
            NodeProcess state = state(id);
            state.meantDown(true);
            if (state.isRunning()) {
                state.process().destroyForcibly();
            }
        }
        awaitExit(ids, EXIT_WAIT_MS);
    }

    /** SIGTERMs the given running nodes (SIGCONT first if paused); SIGKILLs those alive after the grace period. */
    public synchronized void stop(Collection<Integer> ids) throws IOException, InterruptedException {
        for (int id : ids) {
            NodeProcess state = state(id);
            state.meantDown(true);
            if (state.isRunning()) {
                if (state.paused()) {
                    // a stopped JVM cannot act on SIGTERM
                    Processes.resume(state.process().pid());
                    state.paused(false);
                }
                state.process().destroy();
            }
        }
        if (!awaitExit(ids, spec.stopGraceMs()).isEmpty()) {
            List<Integer> stubborn = ids.stream().filter(id -> state(id).isRunning()).toList();
            log.accept("nodes " + stubborn + " did not exit " + spec.stopGraceMs() + " ms after SIGTERM: SIGKILL");
            kill(stubborn);
        }
    }

    /** Waits for the nodes' processes to exit; returns those still alive. */
    private List<Integer> awaitExit(Collection<Integer> ids, long timeoutMs) throws InterruptedException {
        long deadline = clock.monotonicMs() + timeoutMs;
        for (int id : ids) {
            Process process = state(id).process();
            if (process != null) {
                process.waitFor(Math.max(0, deadline - clock.monotonicMs()), TimeUnit.MILLISECONDS);
            }
        }
        return ids.stream().filter(id -> state(id).isRunning()).toList();
    }

    /** SIGSTOPs the given running nodes; returns once they are stopped (signals arrive asynchronously). */
    public synchronized void pause(Collection<Integer> ids) throws IOException, InterruptedException {
        for (int id : ids) {
            NodeProcess state = state(id);
            if (state.isRunning() && !state.paused()) {
                Processes.pause(state.process().pid());
                state.paused(true);
                awaitStopped(state, true);
            }
        }
    }

    /** SIGCONTs the given nodes this launcher paused; returns once they run again. */
    public synchronized void resume(Collection<Integer> ids) throws IOException, InterruptedException {
        for (int id : ids) {
            NodeProcess state = state(id);
            if (state.isRunning() && state.paused()) {
                Processes.resume(state.process().pid());
                awaitStopped(state, false);
            }
            state.paused(false);
        }
    }

    private void awaitStopped(NodeProcess state, boolean stopped) throws IOException, InterruptedException {
        long pid = state.process().pid();
        long deadline = clock.monotonicMs() + SIGNAL_WAIT_MS;
        while (state.isRunning() && Processes.isStopped(pid) != stopped) {
            if (clock.monotonicMs() > deadline) {
                throw new IOException("node " + state.node().id() + " (PID " + pid + ") is " + (stopped ? "not " : "")
                        + "stopped " + SIGNAL_WAIT_MS + " ms after " + (stopped ? "SIGSTOP" : "SIGCONT"));
            }
            clock.sleepMs(5);
        }
    }

    /** Deletes everything in a stopped node's data directory, leaving it empty. */
    public synchronized void wipeData(int id) throws IOException {
        Path data = stoppedDataDir(id);
        deleteTree(data, false);
        Files.createDirectories(data);
    }

    /**
     * Deletes a stopped node's partition replicas ({@code <data.dir>/logs}) and their state
     * ({@code <data.dir>/replica-state}), and nothing else: the Raft metadata directory, the node's
     * identity file and its lock stay, so the node never forgets a Raft vote it cast.
     *
     * @return the paths deleted, relative to the data directory
     */
    public synchronized List<String> wipeReplicaData(int id) throws IOException {
        Path data = stoppedDataDir(id);
        List<String> wiped = new ArrayList<>();
        for (String name : REPLICA_DATA) {
            Path path = data.resolve(name);
            if (Files.exists(path)) {
                deleteTree(path, true);
                wiped.add(name);
            }
        }
        return wiped;
    }

    private Path stoppedDataDir(int id) {
        NodeProcess state = state(id);
        if (state.isRunning()) {
            throw new IllegalStateException("node " + id + " is running: stop it before wiping its data");
        }
        return state.node().dataDir();
    }

    private static void deleteTree(Path root, boolean includingRoot) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                if (includingRoot || !path.equals(root)) {
                    Files.delete(path);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Sets the wall-clock offset the node reads (replacing the file, so it never reads half of it). */
    public void setClockOffset(int id, long offsetMs) throws IOException {
        writeAtomically(node(id).clockOffsetFile(), offsetMs + "\n");
    }

    /** The offset currently in a node's clock file. */
    public long clockOffset(int id) throws IOException {
        return Long.parseLong(Files.readString(node(id).clockOffsetFile(), StandardCharsets.UTF_8).strip());
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private NodeProcess state(int id) {
        NodeProcess state = nodes.get(id);
        if (state == null) {
            throw new IllegalArgumentException("no node " + id + " in a cluster of " + nodes.size());
        }
        return state;
    }

    /**
     * Stops every node (SIGTERM, then SIGKILL after the grace period); idempotent. If interrupted,
     * SIGKILLs what is left and keeps the interrupt.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                stop(ids());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killAllNow();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down; the hook runs anyway and finds nothing alive
        }
    }

    /** The shutdown hook: no lock (a stuck holder must not stop it), SIGKILL to whatever is alive. */
    private void killAllNow() {
        for (NodeProcess state : nodes.values()) {
            Process process = state.process();
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
