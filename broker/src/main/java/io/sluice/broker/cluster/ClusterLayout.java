package io.sluice.broker.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** The properties file of one node. */
    public String nodeProperties(Node node) {
        int replication = Math.min(3, nodes);
        return "# Written by 'sluice cluster start'; the node reads it at every start.\n"
                + "node.id=" + node.id() + "\n"
                + "process.roles=broker,controller\n"
                + "listen.address=" + node.clientAddress() + "\n"
                + "raft.listen.address=127.0.0.1:" + node.raftPort() + "\n"
                + "data.dir=" + node.dataDir() + "\n"
                + "controller.quorum.voters=" + voters() + "\n"
                + "default.replication.factor=" + replication + "\n"
                + "min.insync.replicas=" + Math.max(1, replication - 1) + "\n";
    }

    /** The file recording the running nodes' PIDs. */
    public Path stateFile() {
        return dir.resolve("cluster.state");
    }
}
