package io.sluice.metastore;

import io.sluice.proto.v1.Endpoint;
import java.util.Objects;

/**
 * A voter of the metadata quorum as a node's configuration names it. Immutable.
 *
 * @param nodeId         the voter's node id
 * @param raftEndpoint   where its Raft service listens
 * @param clientEndpoint its Sluice gRPC endpoint (where its ControllerService is served), or null
 *                       if unknown
 */
public record QuorumPeer(int nodeId, Endpoint raftEndpoint, Endpoint clientEndpoint) {
    public QuorumPeer {
        Objects.requireNonNull(raftEndpoint, "raftEndpoint");
        if (nodeId < 0) {
            throw new IllegalArgumentException("negative node id " + nodeId);
        }
    }
}
