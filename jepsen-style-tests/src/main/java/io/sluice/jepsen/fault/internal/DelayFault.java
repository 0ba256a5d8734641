package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.Fault;
import io.sluice.jepsen.net.Network;
import java.io.IOException;
import java.util.List;

/** Delays the packets some nodes send; heals by removing all delay. Not thread-safe. */
final class DelayFault implements Fault {
    private final Network network;
    private final List<Integer> nodes;
    private final int delayMs;
    private final int jitterMs;

    DelayFault(Network network, List<Integer> nodes, int delayMs, int jitterMs) {
        this.network = network;
        this.nodes = List.copyOf(nodes);
        this.delayMs = delayMs;
        this.jitterMs = jitterMs;
    }

    @Override
    public ObjectNode start() throws IOException {
        network.delay(nodes, delayMs, jitterMs);
        return Faults.object().put("delayMs", delayMs).put("jitterMs", jitterMs);
    }

    @Override
    public ObjectNode heal() throws IOException {
        network.healDelay();
        return Faults.object();
    }
}
