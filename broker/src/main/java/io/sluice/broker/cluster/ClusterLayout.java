package io.sluice.broker.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where each node of a local cluster listens and keeps its files. Node {@code i} (1-based) gets the
 * client port {@code basePort + 2(i-1)} and the Raft port one above it, so a 3-node cluster with the
 * default base uses 9092-9097 and its first node answers where a dev node would.
 *
 * @param dir      the cluster's directory: one sub-directory per node, the state file
 * @param nodes    how many nodes (1-9)
 * @param basePort client port of node 1
 */
public record ClusterLayout(Path dir, int nodes, int basePort) {
    /** Client port of node 1 unless {@code --base-port} says otherwise. */
    public static final int DEFAULT_BASE_PORT = 9092;
    /** Most nodes a local cluster may have. */
    public static final int MAX_NODES = 9;

    public ClusterLayout {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1-" + MAX_NODES + ", got " + nodes);
        }
        if (basePort < 1024 || basePort + 2 * nodes > 65_535) {
            throw new IllegalArgumentException("--base-port " + basePort + " leaves no room for " + nodes + " nodes");
        }
        dir = dir.toAbsolutePath().normalize();
    }

    /** One node's place. */
    public record Node(int id, int clientPort, int raftPort, Path dataDir, Path configFile, Path logFile) {
        /** {@code 127.0.0.1:port} of the client API. */
        public String clientAddress() {
            return "127.0.0.1:" + clientPort;
        }
    }

    /** The nodes, by id 1..n. */
    public List<Node> nodeList() {
        List<Node> list = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) {
            Path nodeDir = dir.resolve("node-" + id);
            int client = basePort + 2 * (id - 1);
            list.add(new Node(id, client, client + 1, nodeDir.resolve("data"), nodeDir.resolve("node.properties"),
                    nodeDir.resolve("node.log")));
        }
        return list;
    }

    /** {@code controller.quorum.voters}: every node votes. */
    public String voters() {
        return nodeList().stream().map(n -> n.id() + "@127.0.0.1:" + n.raftPort()).collect(Collectors.joining(","));
    }

    /** The bootstrap list clients use: every node's client address. */
    public String bootstrapServers() {
        return nodeList().stream().map(Node::clientAddress).collect(Collectors.joining(","));
    }

    /** Settings the layout decides for each node, which {@code --override} may not change. */
    public static final Set<String> LAYOUT_SETTINGS = Set.of("node.id", "process.roles", "listen.address",
            "raft.listen.address", "data.dir", "controller.quorum.voters");

    /** The properties file of one node. */
    public String nodeProperties(Node node) {
        return nodeProperties(node, Map.of());
    }

    /**
     * The properties file of one node, with {@code overrides} (node settings from {@code --override})
     * replacing the layout's defaults or added after them; none may be one of {@link #LAYOUT_SETTINGS}.
     */
    public String nodeProperties(Node node, Map<String, String> overrides) {
        int replication = Math.min(3, nodes);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", String.valueOf(node.id()));
        settings.put("process.roles", "broker,controller");
        settings.put("listen.address", node.clientAddress());
        settings.put("raft.listen.address", "127.0.0.1:" + node.raftPort());
        settings.put("data.dir", node.dataDir().toString());
        settings.put("controller.quorum.voters", voters());
        settings.put("default.replication.factor", String.valueOf(replication));
        settings.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
        overrides.forEach((k, v) -> {
            if (LAYOUT_SETTINGS.contains(k)) {
                throw new IllegalArgumentException(k + " is set by the cluster's layout and cannot be overridden");
            }
            settings.put(k, v);
        });
        StringBuilder text = new StringBuilder("# Written by 'sluice cluster start'; the node reads it at every "
                + "start.\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** The file recording the running nodes' PIDs. */
    public Path stateFile() {
        return dir.resolve("cluster.state");
    }
}
