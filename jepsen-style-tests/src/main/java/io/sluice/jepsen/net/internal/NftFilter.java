package io.sluice.jepsen.net.internal;

import io.sluice.jepsen.net.Cut;
import io.sluice.jepsen.os.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Drops packets with nftables, the way Jepsen drops them with iptables: in each node's namespace a
 * table {@code inet <prefix>} with two input chains. Chain {@code partition} drops what a node
 * receives from the nodes cut from it ({@code ip saddr {...} drop}: silently, so senders see
 * time-outs as on a real partition); chain {@code loss} drops a random share of everything
 * arriving from outside the namespace ({@code numgen random mod 100 < p drop}). Heals flush the
 * chains. Thread-safe (each call is a self-contained {@code nft} run).
 */
public final class NftFilter implements PacketFilter {
    private static final long TIMEOUT_MS = 15_000;
    private static final String PARTITION_CHAIN = "partition";
    private static final String LOSS_CHAIN = "loss";

    private final NetNames names;
    private final List<Integer> nodes;
    private final String nft;
    private final String ip;

    private NftFilter(NetNames names, List<Integer> nodes, String nft, String ip) {
        this.names = names;
        this.nodes = List.copyOf(nodes);
        this.nft = nft;
        this.ip = ip;
    }

    /** Creates the table and chains in every node's namespace; fails if nft cannot. */
    public static NftFilter install(NetNames names, List<Integer> nodes, Path nft, Path ip) throws IOException {
        NftFilter filter = new NftFilter(names, nodes, nft.toString(), ip.toString());
        String table = "table inet " + names.table() + " {\n"
                + "  chain " + PARTITION_CHAIN + " { type filter hook input priority -10; policy accept; }\n"
                + "  chain " + LOSS_CHAIN + " { type filter hook input priority -5; policy accept; }\n"
                + "}\n";
        for (int node : nodes) {
            filter.nft(node, table);
        }
        return filter;
    }

    @Override
    public String description() {
        return "nftables (table inet " + names.table() + " in each namespace)";
    }

    @Override
    public void cut(Collection<Cut> cuts) throws IOException {
        Map<Integer, TreeSet<Integer>> sendersByReceiver = new TreeMap<>();
        cuts.forEach(cut -> sendersByReceiver.computeIfAbsent(cut.to(), k -> new TreeSet<>()).add(cut.from()));
        for (Map.Entry<Integer, TreeSet<Integer>> entry : sendersByReceiver.entrySet()) {
            String senders = entry.getValue().stream().map(names::nodeAddress).collect(Collectors.joining(", "));
            nft(entry.getKey(), "add rule inet " + names.table() + " " + PARTITION_CHAIN + " ip saddr { " + senders
                    + " } drop\n");
        }
    }

    @Override
    public void healCuts() throws IOException {
        flush(PARTITION_CHAIN);
    }

    @Override
    public Optional<String> lossUnavailable() {
        return Optional.empty();
    }

    @Override
    public void loss(Collection<Integer> targets, int percent) throws IOException {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("loss must be 1-100 percent: " + percent);
        }
        // numgen's range is 0-99: certain loss is a plain drop
        String chance = percent >= 100 ? "" : " numgen random mod 100 < " + percent;
        for (int node : targets) {
            nft(node, "add rule inet " + names.table() + " " + LOSS_CHAIN + " meta iifname != \"lo\"" + chance
                    + " drop\n");
        }
    }

    @Override
    public void healLoss() throws IOException {
        flush(LOSS_CHAIN);
    }

    private void flush(String chain) throws IOException {
        EveryNode.attempt(nodes, node -> nft(node, "flush chain inet " + names.table() + " " + chain + "\n"));
    }

    /** Runs an nft script inside node's namespace. */
    private void nft(int node, String script) throws IOException {
        Commands.runOrThrow(List.of(ip, "netns", "exec", names.namespace(node), nft, "-f", "-"), script, TIMEOUT_MS);
    }
}
