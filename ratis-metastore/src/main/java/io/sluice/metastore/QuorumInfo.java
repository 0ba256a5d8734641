package io.sluice.metastore;

import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.QuorumRole;
import java.util.List;

/**
 * The metadata Raft group as this node sees it now. Immutable.
 *
 * @param localNodeId  this node's id
 * @param leaderId     the Raft leader's node id (the active controller), -1 if unknown
 * @param term         the current Raft term
 * @param commitIndex  the highest log index this node knows to be committed
 * @param appliedIndex the highest log index this node has applied
 * @param members      every voter and listener of the current configuration, by node id
 */
public record QuorumInfo(int localNodeId, int leaderId, long term, long commitIndex, long appliedIndex,
        List<Member> members) {
    public QuorumInfo {
        members = List.copyOf(members);
    }

    /**
     * One member of the Raft configuration.
     *
     * @param nodeId       the node's id
     * @param role         voter or listener
     * @param raftEndpoint where its Raft service listens
     * @param clientEndpoint its Sluice gRPC endpoint, or null if it did not announce one
     * @param lastAppliedIndex the highest log index it is known to have committed/applied, -1 if unknown
     *                         (known for every member on the leader; elsewhere only for this node)
     */
    public record Member(int nodeId, QuorumRole role, Endpoint raftEndpoint, Endpoint clientEndpoint,
            long lastAppliedIndex) {
    }

    /** The member with this id, or null. */
    public Member member(int nodeId) {
        for (Member m : members) {
            if (m.nodeId() == nodeId) {
                return m;
            }
        }
        return null;
    }

    /** The active controller's Sluice gRPC endpoint, or null if the leader or its endpoint is unknown. */
    public Endpoint leaderClientEndpoint() {
        Member leader = leaderId < 0 ? null : member(leaderId);
        return leader == null ? null : leader.clientEndpoint();
    }
}
