package io.sluice.metastore.internal;

import org.apache.ratis.protocol.RaftPeerId;

/** Sluice node ids are Raft peer ids written in decimal. Stateless. */
public final class NodeIds {
    private NodeIds() {
    }

    /** The peer id of a node. */
    public static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    /** The node id of a peer, -1 if the peer id is not a Sluice node id. */
    public static int nodeId(RaftPeerId peerId) {
        try {
            return Integer.parseInt(peerId.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
