package io.sluice.jepsen.net;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every node on 127.0.0.1 with its own ports: what the harness falls back to without root or
 * network namespaces. It cannot cut, drop or delay traffic between nodes, and says why. Immutable.
 */
public final class LoopbackNetwork implements Network {
    private final String reason;

    /** @param reason why nodes are not isolated (shown with every refused network fault) */
    public LoopbackNetwork(String reason) {
        this.reason = reason;
    }

    @Override
    public String description() {
        return "loopback: every node on 127.0.0.1 with its own ports (" + reason + ")";
    }

    @Override
    public boolean isolatesNodes() {
        return false;
    }

    @Override
    public String nodeHost(int nodeId) {
        return "127.0.0.1";
    }

    @Override
    public List<String> launchPrefix(int nodeId) {
        return List.of();
    }

    @Override
    public Optional<String> unavailable(NetFault fault) {
        return Optional.of("network faults are skipped: nodes share the loopback interface (" + reason + ")");
    }

    @Override
    public void cut(Collection<Cut> cuts) throws IOException {
        throw refused();
    }

    @Override
    public void healCuts() {
        // nothing was ever cut
    }

    @Override
    public void loss(Collection<Integer> nodes, int percent) throws IOException {
        throw refused();
    }

    @Override
    public void healLoss() {
        // nothing was ever dropped
    }

    @Override
    public void delay(Collection<Integer> nodes, int delayMs, int jitterMs) throws IOException {
        throw refused();
    }

    @Override
    public void healDelay() {
        // nothing was ever delayed
    }

    private IOException refused() {
        return new IOException(unavailable(NetFault.PARTITION).orElseThrow());
    }

    @Override
    public void close() {
        // nothing to remove
    }
}
