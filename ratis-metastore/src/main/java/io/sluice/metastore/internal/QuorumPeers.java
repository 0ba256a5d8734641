package io.sluice.metastore.internal;

import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.QuorumRole;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.RaftPeer;

/** Builds Ratis peers for Sluice nodes. Stateless. */
public final class QuorumPeers {
    private QuorumPeers() {
    }

    /**
     * The Raft peer of a node: its Raft address, and its Sluice gRPC endpoint as the peer's client
     * address (so every member can find the active controller's Sluice endpoint from the
     * replicated configuration).
     */
    public static RaftPeer peer(int nodeId, Endpoint raft, Endpoint client, QuorumRole role) {
        RaftPeer.Builder b = RaftPeer.newBuilder().setId(NodeIds.peerId(nodeId)).setAddress(Endpoints.text(raft))
                .setStartupRole(role == QuorumRole.QUORUM_ROLE_LISTENER ? RaftProtos.RaftPeerRole.LISTENER
                        : RaftProtos.RaftPeerRole.FOLLOWER);
        if (client != null) {
            b.setClientAddress(Endpoints.text(client));
        }
        return b.build();
    }
}
