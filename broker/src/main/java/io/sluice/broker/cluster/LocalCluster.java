package io.sluice.broker.cluster;

import io.sluice.broker.server.NodeConfigParser;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/sluice cluster start|stop|status}: runs a local cluster of {@code bin/sluice server}
 * processes on loopback. {@code start} writes each node's properties file, starts the nodes in
 * their own sessions (so they outlive the command and a Ctrl-C in its terminal), records their PIDs
 * in {@code <dir>/cluster.state}, and returns once every node has printed {@code ready}. {@code stop}
 * sends SIGTERM to the recorded PIDs — only those whose command line is still the node it started —
 * and SIGKILL to any that have not exited after the grace period.
 */
public final class LocalCluster {
    private static final String OVERRIDE = "--override";
    static final String USAGE = """
            Usage: sluice cluster start [--nodes N] [--dir D] [--base-port P] [--timeout-ms T]
                                        [--override key=value ...]
                   sluice cluster stop [--dir D] [--timeout-ms T]
                   sluice cluster status [--dir D]
                   sluice cluster describe [--bootstrap-server H:P]   (asks a running cluster)
              --nodes      number of nodes, 1-9 (default 3); every node is broker and controller
              --dir        the cluster's directory (default data/cluster)
              --base-port  client port of node 1 (default 9092); node i uses base+2(i-1) and the
                           next port for Raft
              --timeout-ms how long start waits for readiness and stop for a clean exit (default 120000)
              --override   a node setting for every node, e.g. leader.imbalance.check.interval.seconds=30
                           or min.insync.replicas=1 (repeatable; 'sluice server --help' lists them)
            """;

    private final Path sluiceHome;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    LocalCluster(Path sluiceHome, Clock clock, PrintStream out, PrintStream err) {
        this.sluiceHome = sluiceHome;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();
        int code = new LocalCluster(home, SystemClock.INSTANCE, System.out, System.err).run(List.of(args));
        System.exit(code);
    }

    /** Runs one subcommand; returns the exit code (0 ok, 1 failed, 2 usage). */
    int run(List<String> args) {
        if (args.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Flags flags;
        try {
            flags = Flags.parse(args.subList(1, args.size()));
        } catch (IllegalArgumentException e) {
            err.println("sluice cluster: " + e.getMessage());
            return 2;
        }
        try {
            if (!args.get(0).equals("start") && !flags.overrides().isEmpty()) {
                throw new IllegalArgumentException(OVERRIDE + " applies to 'cluster start' only");
            }
            return switch (args.get(0)) {
                case "start" -> start(layout(flags.values()), timeoutMs(flags.values()), flags.overrides());
                case "stop" -> stop(layout(flags.values()), timeoutMs(flags.values()));
                case "status" -> status(layout(flags.values()));
                default -> {
                    err.println("sluice cluster: unknown subcommand '" + args.get(0) + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("sluice cluster: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("sluice cluster: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice cluster: interrupted");
            return 1;
        }
    }

    /**
     * The flags of a subcommand: single-valued ones by name, and the {@code --override key=value}
     * settings, in order.
     */
    private record Flags(Map<String, String> values, Map<String, String> overrides) {
        static Flags parse(List<String> args) {
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i += 2) {
                String flag = args.get(i);
                if (!List.of("--nodes", "--dir", "--base-port", "--timeout-ms", OVERRIDE).contains(flag)) {
                    throw new IllegalArgumentException("unknown flag " + flag);
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag " + flag + " needs a value");
                }
                if (flag.equals(OVERRIDE)) {
                    putOverride(overrides, args.get(i + 1));
                } else {
                    values.put(flag, args.get(i + 1));
                }
            }
            return new Flags(values, overrides);
        }

        private static void putOverride(Map<String, String> overrides, String pair) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(OVERRIDE + " takes key=value, got '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim();
            if (!NodeConfigParser.knownSettings().containsKey(key)) {
                throw new IllegalArgumentException("unknown node setting '" + key
                        + "' ('sluice server --help' lists them)");
            }
            overrides.put(key, pair.substring(eq + 1).trim());
        }
    }

    private static ClusterLayout layout(Map<String, String> flags) {
        Path dir = Path.of(flags.getOrDefault("--dir", "data/cluster"));
        return new ClusterLayout(dir, intFlag(flags, "--nodes", 3),
                intFlag(flags, "--base-port", ClusterLayout.DEFAULT_BASE_PORT));
    }

    private static long timeoutMs(Map<String, String> flags) {
        return intFlag(flags, "--timeout-ms", 120_000);
    }

    private static int intFlag(Map<String, String> flags, String flag, int fallback) {
        String raw = flags.get(flag);
        if (raw == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a number, got '" + raw + "'");
        }
    }

    private int start(ClusterLayout layout, long timeoutMs, Map<String, String> overrides)
            throws IOException, InterruptedException {
        ClusterState previous = ClusterState.read(layout.stateFile());
        List<Long> alive = previous.nodes().stream().filter(n -> isOurs(n)).map(ClusterState.NodeProcess::pid)
                .toList();
        if (!alive.isEmpty()) {
            err.println("sluice cluster: a cluster is already running in " + layout.dir() + " (PIDs " + alive
                    + "); stop it with: sluice cluster stop --dir " + layout.dir());
            return 1;
        }
        for (ClusterLayout.Node node : layout.nodeList()) {
            requireFreePort(node.clientPort());
            requireFreePort(node.raftPort());
        }
        List<ClusterState.NodeProcess> started = new ArrayList<>();
        Map<Integer, Long> logOffsets = new LinkedHashMap<>();
        for (ClusterLayout.Node node : layout.nodeList()) {
            Files.createDirectories(node.dataDir());
            Files.writeString(node.configFile(), layout.nodeProperties(node, overrides), StandardCharsets.UTF_8);
            logOffsets.put(node.id(), Files.exists(node.logFile()) ? Files.size(node.logFile()) : 0L);
            Process process = spawn(node);
            started.add(new ClusterState.NodeProcess(node.id(), process.pid(), node.configFile().toString()));
            ClusterState.write(layout.stateFile(), new ClusterState(started));
        }
        Optional<String> failure = awaitReady(layout, started, logOffsets, timeoutMs);
        if (failure.isPresent()) {
            err.println("sluice cluster: " + failure.get());
            err.println("sluice cluster: stopping the nodes that were started");
            stop(layout, 30_000);
            return 1;
        }
        printNodes(layout, started);
        return 0;
    }

    private static void requireFreePort(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IOException("port 127.0.0.1:" + port + " is in use (another cluster or dev node?); "
                    + "choose another with --base-port", e);
        }
    }

    private Process spawn(ClusterLayout.Node node) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(sluiceHome.resolve("bin/sluice").toString());
        command.addAll(List.of("server", "--config", node.configFile().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()))
                .redirectErrorStream(true);
        return builder.start();
    }

    private Optional<String> awaitReady(ClusterLayout layout, List<ClusterState.NodeProcess> started,
            Map<Integer, Long> logOffsets, long timeoutMs) throws IOException, InterruptedException {
        long deadline = clock.monotonicMs() + timeoutMs;
        List<ClusterLayout.Node> waiting = new ArrayList<>(layout.nodeList());
        while (!waiting.isEmpty()) {
            for (ClusterLayout.Node node : List.copyOf(waiting)) {
                if (logHasReadyLine(node.logFile(), logOffsets.get(node.id()))) {
                    waiting.remove(node);
                    continue;
                }
                long pid = started.stream().filter(p -> p.nodeId() == node.id()).findFirst().orElseThrow().pid();
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                return Optional.of("node " + node.id() + " (PID " + pid + ") exited during start-up; its log "
                        + node.logFile() + " ends with:\n" + tail(node.logFile(), 20));
            }
            if (!waiting.isEmpty() && clock.monotonicMs() > deadline) {
                return Optional.of("nodes " + waiting.stream().map(ClusterLayout.Node::id).toList()
                        + " were not ready after " + timeoutMs + " ms; see their logs under " + layout.dir());
            }
            clock.sleepMs(200);
        }
        return Optional.empty();
    }

    static boolean logHasReadyLine(Path log, long fromOffset) throws IOException {
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

    private static String tail(Path log, int lines) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void printNodes(ClusterLayout layout, List<ClusterState.NodeProcess> started) {
        out.printf("%-5s %-8s %-16s %s%n", "node", "pid", "address", "data dir / log");
        for (ClusterLayout.Node node : layout.nodeList()) {
            long pid = started.stream().filter(p -> p.nodeId() == node.id()).findFirst().orElseThrow().pid();
            out.printf("%-5d %-8d %-16s %s%n", node.id(), pid, node.clientAddress(), node.dataDir());
            out.printf("%-5s %-8s %-16s %s%n", "", "", "", node.logFile());
        }
        out.println("bootstrap: " + layout.bootstrapServers());
        out.println("stop with: bin/sluice cluster stop --dir " + layout.dir());
    }

    private int stop(ClusterLayout layout, long timeoutMs) throws IOException, InterruptedException {
        ClusterState state = ClusterState.read(layout.stateFile());
        if (state.nodes().isEmpty()) {
            out.println("no cluster recorded in " + layout.dir());
            return 0;
        }
        List<ProcessHandle> stopping = new ArrayList<>();
        for (ClusterState.NodeProcess node : state.nodes()) {
            Optional<ProcessHandle> handle = ProcessHandle.of(node.pid()).filter(h -> isOurs(node));
            if (handle.isEmpty()) {
                out.println("node " + node.nodeId() + " (PID " + node.pid() + ") is not running");
                continue;
            }
            handle.get().destroy();
            stopping.add(handle.get());
            out.println("node " + node.nodeId() + " (PID " + node.pid() + "): SIGTERM sent");
        }
        long deadline = clock.monotonicMs() + timeoutMs;
        while (stopping.stream().anyMatch(ProcessHandle::isAlive) && clock.monotonicMs() < deadline) {
            clock.sleepMs(100);
        }
        int code = 0;
        for (ProcessHandle handle : stopping) {
            if (handle.isAlive()) {
                err.println("PID " + handle.pid() + " did not exit within " + timeoutMs + " ms: SIGKILL");
                handle.destroyForcibly();
                code = 1;
            }
        }
        Files.deleteIfExists(layout.stateFile());
        out.println("cluster in " + layout.dir() + " stopped");
        return code;
    }

    private int status(ClusterLayout layout) throws IOException {
        ClusterState state = ClusterState.read(layout.stateFile());
        if (state.nodes().isEmpty()) {
            out.println("no cluster recorded in " + layout.dir());
            return 1;
        }
        int running = 0;
        for (ClusterState.NodeProcess node : state.nodes()) {
            boolean alive = isOurs(node);
            running += alive ? 1 : 0;
            out.println("node " + node.nodeId() + " PID " + node.pid() + (alive ? " running" : " not running"));
        }
        return running == state.nodes().size() ? 0 : 1;
    }

    /** True if the PID is alive and still runs the node we started (PIDs get reused). */
    static boolean isOurs(ClusterState.NodeProcess node) {
        return ProcessHandle.of(node.pid())
                .filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().commandLine())
                .map(line -> line.contains(node.configFile()))
                .orElse(false);
    }
}
