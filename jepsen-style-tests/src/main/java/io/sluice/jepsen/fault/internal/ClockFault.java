package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.fault.Fault;
import java.io.IOException;
import java.util.List;

/**
 * Makes the nodes' wall clocks jump: writes the offset into each node's clock file (the node
 * re-reads it every second); heals by writing 0. Not thread-safe.
 */
final class ClockFault implements Fault {
    private final List<Integer> nodes;
    private final long offsetMs;
    private final ClusterLauncher cluster;

    ClockFault(List<Integer> nodes, long offsetMs, ClusterLauncher cluster) {
        this.nodes = List.copyOf(nodes);
        this.offsetMs = offsetMs;
        this.cluster = cluster;
    }

    @Override
    public ObjectNode start() throws IOException {
        for (int node : nodes) {
            cluster.setClockOffset(node, offsetMs);
        }
        return Faults.object().put("offsetMs", offsetMs);
    }

    @Override
    public ObjectNode heal() throws IOException {
        for (int node : nodes) {
            cluster.setClockOffset(node, 0);
        }
        return Faults.object().put("offsetMs", 0);
    }
}
