package io.sluice.broker.group;

import io.sluice.proto.v1.Endpoint;
import java.util.Objects;

/**
 * The node that coordinates consumer groups and where clients reach it. Immutable.
 *
 * @param nodeId   the node's id
 * @param endpoint its client (gRPC) endpoint
 */
public record CoordinatorNode(int nodeId, Endpoint endpoint) {
    public CoordinatorNode {
        Objects.requireNonNull(endpoint, "endpoint");
        if (nodeId < 0) {
            throw new IllegalArgumentException("node id " + nodeId + " is negative");
        }
    }
}
