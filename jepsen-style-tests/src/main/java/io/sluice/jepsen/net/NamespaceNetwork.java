package io.sluice.jepsen.net;

import io.sluice.jepsen.net.internal.NetInventory;
import io.sluice.jepsen.net.internal.NetNames;
import io.sluice.jepsen.net.internal.NetRegistry;
import io.sluice.jepsen.net.internal.NftFilter;
import io.sluice.jepsen.net.internal.PacketFilter;
import io.sluice.jepsen.net.internal.RouteFilter;
import io.sluice.jepsen.os.Commands;
import io.sluice.jepsen.os.Processes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Every node in its own Linux network namespace, joined by a veth pair to a bridge in the
 * harness's namespace, on the run's own subnet (see {@link NetNames} for names and addresses).
 * Partitions and loss are packet drops inside the receiving namespaces ({@link NftFilter}, or
 * {@link RouteFilter} when {@code nft} is missing); delay is {@code tc netem} on a node's veth,
 * when the kernel has it (probed at creation). Needs root.
 *
 * <p>Life cycle: {@link #create} removes objects of dead runs, claims a tag and subnet, builds the
 * bridge, namespaces and veths, installs the filter and checks that nodes reach each other and
 * the harness reaches them; {@link #close()} (also run by a shutdown hook, and by {@link #create}
 * itself when building fails) kills what still runs inside the namespaces, deletes the veths,
 * namespaces and bridge, waits until they are gone and releases the tag. Thread-safe.
 */
public final class NamespaceNetwork implements Network {
    private static final long TIMEOUT_MS = 15_000;
    private static final long GONE_TIMEOUT_MS = 10_000;

    private final NetNames names;
    private final List<Integer> nodes;
    private final Path ip;
    private final NetRegistry registry;
    private final Consumer<String> log;
    private final Thread hook;
    private final Set<Integer> delayed = new TreeSet<>();
    private PacketFilter filter;
    private Optional<String> delayUnavailable = Optional.of("not probed yet");
    private boolean closed;

    private NamespaceNetwork(NetNames names, int nodeCount, Path ip, NetRegistry registry, Consumer<String> log) {
        this.names = names;
        this.nodes = IntStream.rangeClosed(1, nodeCount).boxed().toList();
        this.ip = ip;
        this.registry = registry;
        this.log = log;
        this.hook = new Thread(this::close, "sluice-chaos-network-teardown-" + names.prefix());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why namespaces cannot be used here (not root, no {@code ip}), or empty when they may. */
    public static Optional<String> unsupportedReason() {
        int uid = Processes.userId();
        if (uid != 0) {
            return Optional.of("network namespaces need root and this harness runs as uid " + uid);
        }
        Optional<Path> ip = Commands.find("ip");
        if (ip.isEmpty()) {
            return Optional.of("iproute2's 'ip' is not installed");
        }
        try {
            Commands.Result list = Commands.run(List.of(ip.get().toString(), "netns", "list"), TIMEOUT_MS);
            return list.ok() ? Optional.empty() : Optional.of("'ip netns' does not work here: " + list.output());
        } catch (IOException e) {
            return Optional.of("cannot run 'ip netns': " + e.getMessage());
        }
    }

    /** Builds the network for {@code nodeCount} nodes (1-9); on failure nothing is left behind. */
    public static NamespaceNetwork create(int nodeCount, Consumer<String> log) throws IOException {
        return create(nodeCount, log, true);
    }

    /**
     * Builds the network; with {@code useNft} false it drops packets with blackhole routes even
     * when {@code nft} is installed (how a machine without nft behaves).
     */
    public static NamespaceNetwork create(int nodeCount, Consumer<String> log, boolean useNft) throws IOException {
        if (nodeCount < 1 || nodeCount > NetNames.MAX_NODES) {
            throw new IllegalArgumentException("a namespace network has 1-" + NetNames.MAX_NODES + " nodes");
        }
        Optional<String> unsupported = unsupportedReason();
        if (unsupported.isPresent()) {
            throw new IOException(unsupported.get());
        }
        Path ip = Commands.find("ip").orElseThrow();
        NetRegistry registry = NetRegistry.system();
        NetNames names = registry.locked(() -> {
            NetInventory.removeStale(registry, ip, log);
            return registry.allocate(NetInventory.hostOctets(ip));
        });
        NamespaceNetwork network = new NamespaceNetwork(names, nodeCount, ip, registry, log);
        try {
            network.build(useNft);
            return network;
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Removes the objects of chaos runs that died (see {@link NetInventory#removeStale}). */
    public static int removeStale(Consumer<String> log) throws IOException {
        Path ip = Commands.find("ip").orElseThrow(() -> new IOException("iproute2's 'ip' is not installed"));
        NetRegistry registry = NetRegistry.system();
        return registry.locked(() -> NetInventory.removeStale(registry, ip, log));
    }

    /** Namespaces and links on this machine whose names start with {@code prefix}. */
    public static List<String> objectsWithPrefix(String prefix) throws IOException {
        Path ip = Commands.find("ip").orElseThrow(() -> new IOException("iproute2's 'ip' is not installed"));
        return NetInventory.objectsWithPrefix(ip, prefix);
    }

    /** The prefix every object of this network starts with. */
    public String prefix() {
        return names.prefix();
    }

    /** The namespace of node {@code nodeId}. */
    public String namespace(int nodeId) {
        return names.namespace(nodeId);
    }

    /** The harness's own address on the bridge (where clients connect from). */
    public String hostAddress() {
        return names.hostAddress();
    }

    private void build(boolean useNft) throws IOException {
        String bridge = names.bridge();
        ip("link", "add", bridge, "type", "bridge");
        ip("addr", "add", names.hostAddress() + "/" + names.prefixLength(), "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int node : nodes) {
            String namespace = names.namespace(node);
            ip("netns", "add", namespace);
            ip("link", "add", names.hostVeth(node), "type", "veth", "peer", "name", names.nodeVeth(node));
            ip("link", "set", names.hostVeth(node), "master", bridge);
            ip("link", "set", names.hostVeth(node), "up");
            ip("link", "set", names.nodeVeth(node), "netns", namespace);
            ip("-n", namespace, "addr", "add", names.nodeAddress(node) + "/" + names.prefixLength(), "dev",
                    names.nodeVeth(node));
            ip("-n", namespace, "link", "set", names.nodeVeth(node), "up");
            ip("-n", namespace, "link", "set", "lo", "up");
        }
        filter = useNft ? chooseFilter() : new RouteFilter(names, nodes, ip, "nft not used by request");
        delayUnavailable = probeNetem();
        checkReachability();
    }

    private PacketFilter chooseFilter() {
        Optional<Path> nft = Commands.find("nft");
        if (nft.isEmpty()) {
            return new RouteFilter(names, nodes, ip, "nft is not installed");
        }
        try {
            return NftFilter.install(names, nodes, nft.get(), ip);
        } catch (IOException e) {
            return new RouteFilter(names, nodes, ip, "nft failed: " + e.getMessage());
        }
    }

    private Optional<String> probeNetem() throws IOException {
        Optional<Path> tc = Commands.find("tc");
        if (tc.isEmpty()) {
            return Optional.of("packet delay needs tc netem, and tc is not installed");
        }
        List<String> add = new ArrayList<>(inside(1, tc.get().toString(), "qdisc", "add", "dev", names.nodeVeth(1),
                "root", "netem", "delay", "1ms"));
        Commands.Result result = Commands.run(add, TIMEOUT_MS);
        if (!result.ok()) {
            return Optional.of("packet delay needs the kernel's sch_netem qdisc, which this kernel lacks (tc: "
                    + result.output().lines().findFirst().orElse("exit " + result.exitCode()) + ")");
        }
        Commands.runOrThrow(inside(1, tc.get().toString(), "qdisc", "del", "dev", names.nodeVeth(1), "root"),
                TIMEOUT_MS);
        return Optional.empty();
    }

    /** Nodes must reach each other over the bridge, and the harness must reach them. */
    private void checkReachability() throws IOException {
        for (int node : nodes) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(names.nodeAddress(node), 9), 3_000);
            } catch (ConnectException expected) {
                // refused: the packet arrived and nothing listens on the discard port
            } catch (IOException e) {
                throw new IOException("the harness cannot reach node " + node + " at " + names.nodeAddress(node)
                        + " over bridge " + names.bridge() + ": " + e.getMessage(), e);
            }
        }
        Optional<Path> bash = Commands.find("bash");
        if (nodes.size() < 2 || bash.isEmpty()) {
            return;
        }
        Commands.Result probe = Commands.run(inside(1, bash.get().toString(), "-c",
                "exec 3<>/dev/tcp/" + names.nodeAddress(2) + "/9"), 5_000);
        if (!probe.output().contains("refused")) {
            throw new IOException("node 1 cannot reach node 2 over bridge " + names.bridge() + " ("
                    + probe.describe() + "); is bridged traffic filtered by the host's firewall "
                    + "(br_netfilter with a FORWARD drop policy)?");
        }
    }

    @Override
    public String description() {
        return "network namespaces " + names.namespace(1) + ".." + nodes.size() + " on bridge " + names.bridge()
                + ", subnet 10.77." + names.octet() + ".0/24 (harness at " + names.hostAddress() + "); drops by "
                + filter.description() + "; delay " + delayUnavailable.map(r -> "unavailable: " + r)
                .orElse("by tc netem");
    }

    @Override
    public boolean isolatesNodes() {
        return true;
    }

    @Override
    public String nodeHost(int nodeId) {
        return names.nodeAddress(nodeId);
    }

    @Override
    public List<String> launchPrefix(int nodeId) {
        return List.of(ip.toString(), "netns", "exec", names.namespace(nodeId));
    }

    @Override
    public Optional<String> unavailable(NetFault fault) {
        return switch (fault) {
            case PARTITION -> Optional.empty();
            case LOSS -> filter.lossUnavailable();
            case DELAY -> delayUnavailable;
            default -> Optional.of("unknown network fault " + fault);
        };
    }

    @Override
    public synchronized void cut(Collection<Cut> cuts) throws IOException {
        cuts.forEach(cut -> {
            requireNode(cut.from());
            requireNode(cut.to());
        });
        filter.cut(cuts);
    }

    @Override
    public synchronized void healCuts() throws IOException {
        filter.healCuts();
    }

    @Override
    public synchronized void loss(Collection<Integer> targets, int percent) throws IOException {
        targets.forEach(this::requireNode);
        filter.loss(targets, percent);
    }

    @Override
    public synchronized void healLoss() throws IOException {
        filter.healLoss();
    }

    @Override
    public synchronized void delay(Collection<Integer> targets, int delayMs, int jitterMs) throws IOException {
        if (delayUnavailable.isPresent()) {
            throw new IOException(delayUnavailable.get());
        }
        String tc = Commands.find("tc").orElseThrow().toString();
        for (int node : targets) {
            requireNode(node);
            Commands.runOrThrow(inside(node, tc, "qdisc", "replace", "dev", names.nodeVeth(node), "root", "netem",
                    "delay", delayMs + "ms", Math.max(0, jitterMs) + "ms"), TIMEOUT_MS);
            delayed.add(node);
        }
    }

    @Override
    public synchronized void healDelay() throws IOException {
        if (delayed.isEmpty()) {
            return;
        }
        String tc = Commands.find("tc").orElseThrow().toString();
        for (int node : List.copyOf(delayed)) {
            Commands.Result result = Commands.run(inside(node, tc, "qdisc", "del", "dev", names.nodeVeth(node),
                    "root"), TIMEOUT_MS);
            boolean absent = result.output().contains("No such file") || result.output().contains("handle of zero");
            if (!result.ok() && !absent) {
                throw new Commands.CommandException(result);
            }
            delayed.remove(node);
        }
    }

    private void requireNode(int node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("no node " + node + " in this network of " + nodes.size());
        }
    }

    private List<String> inside(int node, String... command) {
        List<String> full = new ArrayList<>(launchPrefix(node));
        full.addAll(List.of(command));
        return full;
    }

    private void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ip.toString());
        command.addAll(List.of(args));
        Commands.runOrThrow(command, TIMEOUT_MS);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down and this is the hook
        }
        teardown();
    }

    private void teardown() {
        List<List<String>> steps = new ArrayList<>();
        for (int node : nodes) {
            steps.add(List.of(ip.toString(), "link", "del", names.hostVeth(node)));
        }
        for (int node : nodes) {
            steps.add(List.of(ip.toString(), "netns", "del", names.namespace(node)));
        }
        steps.add(List.of(ip.toString(), "link", "del", names.bridge()));
        try {
            for (int node : nodes) {
                NetInventory.killProcessesIn(ip, names.namespace(node));
            }
            for (List<String> step : steps) {
                Commands.run(step, TIMEOUT_MS);
            }
            List<String> left = awaitGone();
            if (left.isEmpty()) {
                registry.locked(() -> {
                    registry.release(names.tag());
                    return null;
                });
            } else {
                log.accept("warning: could not remove " + left + "; the next chaos run removes them");
            }
        } catch (IOException e) {
            log.accept("warning: tearing down " + names.prefix() + " failed: " + e.getMessage()
                    + "; the next chaos run removes what is left");
        }
    }

    /** Namespace removal frees veths asynchronously: wait until nothing with the prefix is left. */
    private List<String> awaitGone() throws IOException {
        long waitedMs = 0;
        List<String> left = NetInventory.objectsWithPrefix(ip, names.prefix());
        while (!left.isEmpty() && waitedMs < GONE_TIMEOUT_MS) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
            waitedMs += 100;
            left = NetInventory.objectsWithPrefix(ip, names.prefix());
        }
        return left;
    }
}
