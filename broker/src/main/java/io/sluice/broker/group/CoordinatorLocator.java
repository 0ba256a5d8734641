package io.sluice.broker.group;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who coordinates consumer groups: the active controller (the metadata Raft leader) coordinates every
 * group. Thread-safe; answers from local state without blocking.
 */
public interface CoordinatorLocator {
    /** The current coordinator as this node knows it, or empty while no leader is known. */
    Optional<CoordinatorNode> coordinator();

    /**
     * Present exactly while this node is the active controller <em>and</em> its {@link GroupStore}
     * reads reflect every command committed before its leadership began (Ratis: the leader is ready,
     * having applied an entry of its own term). The value identifies the leadership (the Raft term):
     * when it changes, the coordinator drops its in-memory state and loads again from the store.
     */
    OptionalLong localCoordinatorEpoch();
}
