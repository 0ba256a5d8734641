package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.Fault;
import io.sluice.jepsen.net.Network;
import java.io.IOException;
import java.util.List;

/** Drops a share of the packets arriving at some nodes; heals by removing all loss. Not thread-safe. */
final class LossFault implements Fault {
    private final Network network;
    private final List<Integer> nodes;
    private final int percent;

    LossFault(Network network, List<Integer> nodes, int percent) {
        this.network = network;
        this.nodes = List.copyOf(nodes);
        this.percent = percent;
    }

    @Override
    public ObjectNode start() throws IOException {
        network.loss(nodes, percent);
        return Faults.object().put("percent", percent);
    }

    @Override
    public ObjectNode heal() throws IOException {
        network.healLoss();
        return Faults.object();
    }
}
