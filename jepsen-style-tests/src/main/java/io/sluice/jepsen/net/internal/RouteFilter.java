package io.sluice.jepsen.net.internal;

import io.sluice.jepsen.net.Cut;
import io.sluice.jepsen.os.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Partitions without nftables, with iproute2 alone: a cut from {@code a} to {@code b} is a
 * blackhole route to {@code b}'s address inside {@code a}'s namespace, so nothing {@code a} sends
 * reaches {@code b}. Unlike a firewall drop, the sender learns at once for connections it opens
 * (the kernel refuses them with EINVAL) and retransmits into the void on open ones; replies are
 * lost the same way. It cannot do random loss. Heals flush the blackhole routes. Thread-safe.
 */
public final class RouteFilter implements PacketFilter {
    private static final long TIMEOUT_MS = 15_000;

    private final NetNames names;
    private final List<Integer> nodes;
    private final String ip;
    private final String reason;

    /** @param reason why nft is not used (shown when loss is refused) */
    public RouteFilter(NetNames names, List<Integer> nodes, Path ip, String reason) {
        this.names = names;
        this.nodes = List.copyOf(nodes);
        this.ip = ip.toString();
        this.reason = reason;
    }

    @Override
    public String description() {
        return "blackhole routes (" + reason + ")";
    }

    @Override
    public void cut(Collection<Cut> cuts) throws IOException {
        for (Cut cut : cuts) {
            Commands.runOrThrow(List.of(ip, "-n", names.namespace(cut.from()), "route", "replace", "blackhole",
                    names.nodeAddress(cut.to()) + "/32"), TIMEOUT_MS);
        }
    }

    @Override
    public void healCuts() throws IOException {
        EveryNode.attempt(nodes, node -> Commands.runOrThrow(List.of(ip, "-n", names.namespace(node), "route",
                "flush", "type", "blackhole"), TIMEOUT_MS));
    }

    @Override
    public Optional<String> lossUnavailable() {
        return Optional.of("random packet loss needs nftables' numgen, and " + reason);
    }

    @Override
    public void loss(Collection<Integer> targets, int percent) throws IOException {
        throw new IOException(lossUnavailable().orElseThrow());
    }

    @Override
    public void healLoss() {
        // no loss was ever installed
    }
}
