package io.sluice.client.admin;

import io.sluice.client.common.Node;
import java.util.List;

/**
 * The cluster: brokers, the active controller, the metadata quorum, and partition health.
 * Immutable.
 *
 * @param clusterId                 the cluster's id
 * @param controllerId              node id of the active controller, -1 if none
 * @param brokers                   every registered broker
 * @param quorumTerm                Raft term of the controller
 * @param quorumCommitIndex         highest committed metadata log index
 * @param quorumMembers             voters and listeners of the metadata quorum
 * @param underReplicatedPartitions partitions whose ISR is smaller than their replica set
 * @param offlinePartitions         partitions without a leader
 * @param underMinIsrPartitions     partitions whose ISR is below {@code min.insync.replicas}
 */
public record ClusterDescription(String clusterId, int controllerId, List<Broker> brokers, long quorumTerm,
        long quorumCommitIndex, List<QuorumMember> quorumMembers, int underReplicatedPartitions,
        int offlinePartitions, int underMinIsrPartitions) {
    /**
     * A broker and its lifecycle state ({@code ACTIVE}, {@code FENCED}, {@code SHUTTING_DOWN}).
     *
     * @param node  the broker
     * @param state its state
     */
    public record Broker(Node node, String state) {
    }

    /**
     * A node of the metadata quorum.
     *
     * @param nodeId           its id
     * @param voter            whether it votes (else it listens)
     * @param lastAppliedIndex the highest log index it applied, -1 if unknown
     */
    public record QuorumMember(int nodeId, boolean voter, long lastAppliedIndex) {
    }
}
