package io.sluice.metastore;

import io.sluice.common.LoopbackPorts;
import io.sluice.common.SystemClock;
import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.metastore.internal.Endpoints;
import io.sluice.proto.v1.QuorumRole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** Starts in-process metadata nodes on loopback for tests, and closes them. */
public final class QuorumFixture implements AutoCloseable {
    private final Path root;
    private final Map<Integer, MetadataNode> nodes = new TreeMap<>();
    private final Map<Integer, MetadataNodeConfig> configs = new TreeMap<>();
    private final List<QuorumPeer> voters = new ArrayList<>();
    private final ControllerConfig controller;
    private long requestTimeoutMs = 15_000;

    /** Voters 1..n with free loopback ports; nothing started yet. */
    public QuorumFixture(Path root, int voterCount, ControllerConfig controller) {
        this.root = root;
        this.controller = controller;
        int[] ports = LoopbackPorts.free(2 * voterCount);
        for (int id = 1; id <= voterCount; id++) {
            voters.add(new QuorumPeer(id, Endpoints.of("127.0.0.1", ports[2 * id - 2]), Endpoints.of("127.0.0.1",
                    ports[2 * id - 1])));
        }
    }

    /** Sets the request timeout of nodes started later. */
    public QuorumFixture requestTimeoutMs(long ms) {
        this.requestTimeoutMs = ms;
        return this;
    }

    public List<QuorumPeer> voters() {
        return voters;
    }

    private MetadataNodeConfig.Builder base(int id) {
        return MetadataNodeConfig.builder().nodeId(id).voters(voters).dataDir(root.resolve("node-" + id))
                .electionTimeoutMs(1000, 2000).requestTimeoutMs(requestTimeoutMs).snapshotThreshold(40)
                .logSegmentBytes(8 * 1024).controller(controller);
    }

    /** Starts every voter. */
    public void startVoters() throws IOException {
        for (QuorumPeer v : voters) {
            start(base(v.nodeId()).raftEndpoint(v.raftEndpoint()).clientEndpoint(v.clientEndpoint()).build());
        }
    }

    /** Starts a listener with a new id; returns it. */
    public MetadataNode startListener(int id) throws IOException {
        return start(onFreePorts(base(id).role(QuorumRole.QUORUM_ROLE_LISTENER)).build());
    }

    /** Starts a node with a new id that asks the running quorum to add it as a voter; returns it. */
    public MetadataNode startJoiningVoter(int id) throws IOException {
        return start(onFreePorts(base(id).role(QuorumRole.QUORUM_ROLE_VOTER).join(true)).build());
    }

    /** {@code config} with its Raft and client endpoints on two free loopback ports. */
    private static MetadataNodeConfig.Builder onFreePorts(MetadataNodeConfig.Builder config) {
        int[] ports = LoopbackPorts.free(2);
        return config.raftEndpoint(Endpoints.of("127.0.0.1", ports[0]))
                .clientEndpoint(Endpoints.of("127.0.0.1", ports[1]));
    }

    /** The configuration node {@code id} was last started with. */
    public MetadataNodeConfig config(int id) {
        return configs.get(id);
    }

    /** Starts (or restarts, with the same config and data) a node. */
    public MetadataNode start(MetadataNodeConfig config) throws IOException {
        MetadataNode node = MetadataNode.start(config, SystemClock.INSTANCE);
        nodes.put(config.nodeId(), node);
        configs.put(config.nodeId(), config);
        return node;
    }

    /** Restarts a closed node from its data. */
    public MetadataNode restart(int id) throws IOException {
        return start(configs.get(id));
    }

    public MetadataNode node(int id) {
        return nodes.get(id);
    }

    /** Closes a node (as if killed, but releasing ports). */
    public void kill(int id) throws IOException {
        MetadataNode n = nodes.remove(id);
        if (n != null) {
            n.close();
        }
    }

    /** The running nodes. */
    public List<MetadataNode> running() {
        return new ArrayList<>(nodes.values());
    }

    /** The node that is Raft leader and has activated its controller, waiting up to 30 s. */
    public MetadataNode awaitLeader() {
        MetadataNode[] found = new MetadataNode[1];
        await(() -> {
            for (MetadataNode n : nodes.values()) {
                if (n.metaStore().isLeader() && n.controller() != null && n.controller().isActive()) {
                    found[0] = n;
                    return true;
                }
            }
            return false;
        }, 60_000, "a leader with an active controller");
        return found[0];
    }

    /** Waits until {@code condition} holds, failing after {@code timeoutMs}. */
    public static void await(BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = SystemClock.INSTANCE.monotonicMs() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (SystemClock.INSTANCE.monotonicMs() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (MetadataNode n : nodes.values()) {
            n.close();
        }
        nodes.clear();
    }
}
