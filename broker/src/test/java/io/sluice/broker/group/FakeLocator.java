package io.sluice.broker.group;

import io.sluice.proto.v1.Endpoint;
import java.util.Optional;
import java.util.OptionalLong;

/** A coordinator locator whose answers the test sets. Thread-safe. */
final class FakeLocator implements CoordinatorLocator {
    private volatile CoordinatorNode coordinator;
    private volatile OptionalLong localEpoch = OptionalLong.empty();

    /** This node coordinates, in leadership epoch {@code epoch}. */
    void becomeCoordinator(long epoch, int nodeId) {
        coordinator = new CoordinatorNode(nodeId, Endpoint.newBuilder().setHost("127.0.0.1").setPort(9092).build());
        localEpoch = OptionalLong.of(epoch);
    }

    /** Another node coordinates (or none, if {@code otherNodeId} is negative). */
    void loseCoordination(int otherNodeId) {
        coordinator = otherNodeId < 0 ? null
                : new CoordinatorNode(otherNodeId, Endpoint.newBuilder().setHost("10.0.0.9").setPort(9092).build());
        localEpoch = OptionalLong.empty();
    }

    @Override
    public Optional<CoordinatorNode> coordinator() {
        return Optional.ofNullable(coordinator);
    }

    @Override
    public OptionalLong localCoordinatorEpoch() {
        return localEpoch;
    }
}
