package io.sluice.jepsen.e2e;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.ClusterDescription;
import io.sluice.client.admin.NewTopic;
import io.sluice.client.admin.TopicDescription;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.TopicExistsException;
import io.sluice.common.SystemClock;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.cluster.ClusterNode;
import io.sluice.jepsen.cluster.ClusterSpec;
import io.sluice.jepsen.cluster.NodeCommand;
import io.sluice.jepsen.net.LoopbackNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Real {@code bin/sluice server} processes on 127.0.0.1 with free ports, for the SDK's end-to-end
 * tests: a 3-node cluster laid out by the chaos harness's {@link ClusterLauncher}, or one node
 * started the way a user starts a dev node ({@code server --dev}, with its addresses and data
 * directory moved to free ports and a temp directory). Holds one admin client for the tests'
 * questions (controller, leaders, ISR). Closing stops every node it started (SIGTERM, then
 * SIGKILL). Not thread-safe beyond what {@link ClusterLauncher} and {@link Admin} offer.
 */
final class RealCluster implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final long READY_MS = 180_000;
    private static final long STOP_GRACE_MS = 20_000;

    private final ClusterLauncher launcher;
    private Admin admin;

    private RealCluster(ClusterLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Starts {@code nodes} nodes with both roles (the harness's settings: RF and
     * min.insync.replicas follow the node count, 3 s broker sessions, 1-2 s elections), plus
     * {@code overrides}, and waits until every node is ready and registered.
     */
    static RealCluster start(Path dir, int nodes, Map<String, String> overrides) throws Exception {
        return launch(new ClusterSpec(nodes, dir, NodeCommand.sluiceServer(HOME), overrides, READY_MS, STOP_GRACE_MS));
    }

    /**
     * One node started as {@code bin/sluice server --dev}, on free ports instead of 9092/9093 and
     * with its data in {@code dir}; {@code overrides} become {@code --override} flags.
     */
    static RealCluster startDev(Path dir, Map<String, String> overrides) throws Exception {
        Path launcherScript = HOME.resolve("bin/sluice");
        NodeCommand dev = node -> {
            List<String> command = new ArrayList<>(List.of(launcherScript.toString(), "server", "--dev",
                    "--listen", node.clientAddress(), "--raft-listen", node.raftAddress(),
                    "--data-dir", node.dataDir().toString()));
            overrides.forEach((k, v) -> command.addAll(List.of("--override", k + "=" + v)));
            return command;
        };
        return launch(new ClusterSpec(1, dir, dev, Map.of(), READY_MS, STOP_GRACE_MS));
    }

    private static RealCluster launch(ClusterSpec spec) throws Exception {
        ClusterLauncher launcher = ClusterLauncher.create(spec, new LoopbackNetwork("end-to-end tests"),
                SystemClock.INSTANCE, line -> log("cluster: " + line));
        RealCluster cluster = new RealCluster(launcher);
        try {
            launcher.startAll();
            cluster.admin = Admin.create(Map.of("bootstrap.servers", launcher.bootstrapServers(),
                    "default.api.timeout.ms", 30_000, "request.timeout.ms", 10_000));
            cluster.awaitBrokers(spec.nodes());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Every node's client address, comma-separated. */
    String bootstrap() {
        return launcher.bootstrapServers();
    }

    /** One node's client address. */
    String address(int id) {
        return launcher.node(id).clientAddress();
    }

    ClusterLauncher launcher() {
        return launcher;
    }

    Admin admin() {
        return admin;
    }

    List<ClusterNode> nodes() {
        return launcher.nodes();
    }

    /** Waits until {@code count} brokers are registered and active, and a controller is known. */
    void awaitBrokers(int count) throws Exception {
        await("a controller and " + count + " active brokers", () -> {
            ClusterDescription d = admin.describeCluster().get();
            long active = d.brokers().stream().filter(b -> b.state().equals("ACTIVE")).count();
            return d.controllerId() >= 0 && active >= count ? d : null;
        });
    }

    /**
     * Creates a topic and waits until each partition has a leader and its full ISR. On a loaded
     * machine the admin client may time out a create that succeeded and retry it; the retry then
     * answers TOPIC_ALREADY_EXISTS, which is accepted here because the cluster is fresh and the
     * wait below checks the partition count and replication of what exists.
     */
    void createTopic(String name, int partitions, int replicas, Map<String, String> configs) throws Exception {
        SluiceException failure = admin.createTopics(List.of(new NewTopic(name, partitions, replicas, configs)))
                .get().failures().get(name);
        if (failure instanceof TopicExistsException) {
            log("topic " + name + " exists already (a retried create): " + failure.getMessage());
        } else if (failure != null) {
            throw failure;
        }
        await("topic " + name + " fully replicated", () -> {
            TopicDescription d = describe(name);
            return d.partitions().size() == partitions && d.partitions().stream()
                    .allMatch(p -> p.leader() >= 0 && p.isr().size() == replicas) ? d : null;
        });
    }

    TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).get().get(topic);
    }

    /** The node leading {@code partition} of {@code topic} now. */
    int leader(String topic, int partition) throws Exception {
        return await("a leader for " + topic + "-" + partition, () -> {
            int leader = describe(topic).partitions().get(partition).leader();
            return leader >= 0 && launcher.isRunning(leader) ? leader : null;
        });
    }

    /** The active controller now (the metadata Raft leader, which also coordinates groups). */
    int controller() throws Exception {
        return await("an active controller", () -> {
            int id = admin.describeCluster().get().controllerId();
            return id >= 0 && launcher.isRunning(id) ? id : null;
        });
    }

    /** SIGKILLs one node. */
    void kill(int id) throws Exception {
        launcher.kill(List.of(id));
        log("node " + id + " SIGKILLed");
    }

    /** Starts a stopped node again and waits until it is ready. */
    void restart(int id) throws Exception {
        launcher.start(List.of(id));
        launcher.awaitReady(List.of(id), READY_MS);
    }

    /** The data directory of node {@code id}. */
    Path dataDir(int id) {
        return launcher.node(id).dataDir();
    }

    /** Stops a node with SIGTERM (SIGKILL after the grace period). */
    void stop(int id) throws Exception {
        launcher.stop(List.of(id));
    }

    @Override
    public void close() throws IOException {
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        } finally {
            launcher.close();
        }
    }

    /** Prints a progress line with the wall-clock time, to line up with the clients' logs. */
    static void log(String message) {
        System.out.println(LocalTime.now() + " [test] " + message);
    }

    /**
     * Polls {@code probe} every 200 ms until it returns a non-null value other than
     * {@code Boolean.FALSE}, for up to {@link #WAIT}; exceptions count as "not yet". Fails naming
     * {@code what} and the last exception.
     */
    static <T> T await(String what, Callable<T> probe) throws InterruptedException {
        return await(what, WAIT, probe);
    }

    static <T> T await(String what, Duration wait, Callable<T> probe) throws InterruptedException {
        log("waiting for " + what);
        long deadline = SystemClock.INSTANCE.monotonicMs() + wait.toMillis();
        Exception last = null;
        T value = null;
        while (SystemClock.INSTANCE.monotonicMs() < deadline) {
            try {
                value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    log("done: " + what);
                    return value;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + wait.toSeconds() + " s waiting for " + what
                + (value != null ? "; last value: " + value : ""), last);
    }
}
