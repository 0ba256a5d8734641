package io.sluice.jepsen.net.internal;

import io.sluice.jepsen.net.Cut;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * Drops packets inside the nodes' namespaces: the cuts of partitions and, where the filter can,
 * random loss. Removing a namespace removes its rules, so a filter needs no clean-up of its own
 * beyond the heals.
 */
public interface PacketFilter {
    /** A short name for logs: how packets are dropped. */
    String description();

    /** Adds the drops of these cuts. */
    void cut(Collection<Cut> cuts) throws IOException;

    /** Removes every cut in every namespace; idempotent. */
    void healCuts() throws IOException;

    /** Why random loss is impossible with this filter, or empty. */
    Optional<String> lossUnavailable();

    /** Drops each packet arriving at these nodes with probability percent/100. */
    void loss(Collection<Integer> nodes, int percent) throws IOException;

    /** Removes all loss; idempotent. */
    void healLoss() throws IOException;
}
