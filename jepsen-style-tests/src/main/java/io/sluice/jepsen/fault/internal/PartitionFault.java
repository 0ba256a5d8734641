package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.Fault;
import io.sluice.jepsen.net.Cut;
import io.sluice.jepsen.net.Network;
import java.io.IOException;
import java.util.List;

/** Drops the packets of a set of cuts (the nemesis entry lists them); heals by removing every cut. Not thread-safe. */
final class PartitionFault implements Fault {
    private final Network network;
    private final List<Cut> cuts;

    PartitionFault(Network network, List<Cut> cuts) {
        this.network = network;
        this.cuts = List.copyOf(cuts);
    }

    @Override
    public ObjectNode start() throws IOException {
        network.cut(cuts);
        return Faults.object();
    }

    @Override
    public ObjectNode heal() throws IOException {
        network.healCuts();
        return Faults.object();
    }
}
