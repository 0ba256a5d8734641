package io.sluice.jepsen.cluster;

import java.nio.file.Path;

/**
 * One node's place in a chaos cluster: its id, where it listens, and its files, all under
 * {@code dir}: {@code node.properties}, {@code node.log} (stdout and stderr of every start,
 * appended), {@code clock-offset-ms} and {@code data/}. Immutable.
 *
 * @param id         node id, 1-based
 * @param host       the address it listens on (its namespace's, or 127.0.0.1)
 * @param clientPort port of the gRPC client API
 * @param raftPort   port of the Raft (metadata quorum) traffic
 * @param dir        the node's directory in the run folder
 */
public record ClusterNode(int id, String host, int clientPort, int raftPort, Path dir) {
    /** {@code host:port} of the client API. */
    public String clientAddress() {
        return host + ":" + clientPort;
    }

    /** {@code host:port} of the Raft traffic. */
    public String raftAddress() {
        return host + ":" + raftPort;
    }

    /** The node's {@code data.dir}. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** The properties file the node is started with. */
    public Path configFile() {
        return dir.resolve("node.properties");
    }

    /** Where the node's stdout and stderr go, every start appended. */
    public Path logFile() {
        return dir.resolve("node.log");
    }

    /** The wall-clock offset in ms the node adds to its clock (the clock fault writes it). */
    public Path clockOffsetFile() {
        return dir.resolve("clock-offset-ms");
    }
}
