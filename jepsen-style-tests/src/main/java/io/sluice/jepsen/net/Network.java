package io.sluice.jepsen.net;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The network the nodes of one chaos run live on: their addresses, the command prefix that starts
 * a process inside a node's network, and the network faults. Faults touch only traffic between
 * nodes (partitions) or arriving at a node (loss); clients in the harness's own namespace always
 * reach every node, as Jepsen's control node does. Heals are idempotent. {@link #close()} removes
 * everything the network created. Implementations are thread-safe.
 */
public interface Network extends AutoCloseable {
    /** One line for the run's log and report: what this network is. */
    String description();

    /** Whether every node has its own network stack (so network faults are possible at all). */
    boolean isolatesNodes();

    /** The address node {@code nodeId} listens on. */
    String nodeHost(int nodeId);

    /** The command words that run a command inside node {@code nodeId}'s network (may be empty). */
    List<String> launchPrefix(int nodeId);

    /** Why a network fault cannot be injected here, or empty when it can. */
    Optional<String> unavailable(NetFault fault);

    /** Drops the packets of every cut, in addition to the cuts already in force. */
    void cut(Collection<Cut> cuts) throws IOException;

    /** Removes every cut. */
    void healCuts() throws IOException;

    /** Drops each packet arriving at the given nodes with probability {@code percent}/100. */
    void loss(Collection<Integer> nodes, int percent) throws IOException;

    /** Removes all packet loss. */
    void healLoss() throws IOException;

    /** Delays the packets the given nodes send by {@code delayMs} (± {@code jitterMs}). */
    void delay(Collection<Integer> nodes, int delayMs, int jitterMs) throws IOException;

    /** Removes all delay. */
    void healDelay() throws IOException;

    /** Heals every network fault (each heal is attempted even if another fails). */
    default void healAll() throws IOException {
        IOException first = null;
        for (NetFault fault : NetFault.values()) {
            if (unavailable(fault).isPresent()) {
                continue;
            }
            try {
                switch (fault) {
                    case PARTITION -> healCuts();
                    case LOSS -> healLoss();
                    case DELAY -> healDelay();
                    default -> throw new IllegalStateException("unknown network fault " + fault);
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Removes everything this network created; idempotent, never throws. */
    @Override
    void close();
}
