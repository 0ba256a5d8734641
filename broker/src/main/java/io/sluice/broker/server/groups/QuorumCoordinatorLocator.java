package io.sluice.broker.server.groups;

import io.sluice.broker.group.CoordinatorLocator;
import io.sluice.broker.group.CoordinatorNode;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.QuorumInfo;
import io.sluice.proto.v1.Endpoint;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * Every group's coordinator is the active controller: the metadata Raft leader, once it has applied
 * an entry of its own term (its controller is active). The coordinator epoch is the Raft term.
 */
public final class QuorumCoordinatorLocator implements CoordinatorLocator {
    private final MetaStore store;
    private final BooleanSupplier localControllerActive;

    /**
     * @param localControllerActive whether this node's controller is active (false on nodes without
     *                              the controller role)
     */
    public QuorumCoordinatorLocator(MetaStore store, BooleanSupplier localControllerActive) {
        this.store = store;
        this.localControllerActive = localControllerActive;
    }

    @Override
    public Optional<CoordinatorNode> coordinator() {
        QuorumInfo quorum = store.quorumInfo();
        Endpoint endpoint = quorum.leaderClientEndpoint();
        if (endpoint == null && quorum.leaderId() >= 0 && store.image().broker(quorum.leaderId()) != null) {
            endpoint = store.image().broker(quorum.leaderId()).getEndpoint();
        }
        if (quorum.leaderId() < 0 || endpoint == null) {
            return Optional.empty();
        }
        return Optional.of(new CoordinatorNode(quorum.leaderId(), endpoint));
    }

    @Override
    public OptionalLong localCoordinatorEpoch() {
        if (!store.isLeader() || !localControllerActive.getAsBoolean()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(store.quorumInfo().term());
    }
}
