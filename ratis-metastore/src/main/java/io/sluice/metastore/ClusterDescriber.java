package io.sluice.metastore;

import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.DescribeClusterResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumMember;

/**
 * Builds the public DescribeCluster answer from a node's {@link MetaStore}: brokers from the local
 * image, the active controller, term, commit index and members (with what each applied) from the Raft
 * view. Stateless.
 */
public final class ClusterDescriber {
    private ClusterDescriber() {
    }

    /** The answer for this node; with {@code partitionHealth} it walks every partition. */
    public static DescribeClusterResponse describe(MetaStore store, boolean partitionHealth) {
        MetadataImage image = store.image();
        QuorumInfo quorum = store.quorumInfo();
        DescribeClusterResponse.Builder b = DescribeClusterResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .setClusterId(image.clusterId()).setControllerId(quorum.leaderId()).setQuorumTerm(quorum.term())
                .setQuorumCommitIndex(quorum.commitIndex());
        for (BrokerRecord r : image.brokers().values()) {
            b.addBrokers(BrokerMetadata.newBuilder().setBrokerId(r.getBrokerId()).setEndpoint(r.getEndpoint())
                    .setRack(r.getRack()).setState(r.getState()));
        }
        for (QuorumInfo.Member m : quorum.members()) {
            QuorumMember.Builder qm = QuorumMember.newBuilder().setNodeId(m.nodeId()).setRole(m.role())
                    .setLastAppliedIndex(m.lastAppliedIndex());
            if (m.raftEndpoint() != null) {
                qm.setRaftEndpoint(m.raftEndpoint());
            }
            b.addQuorumMembers(qm);
        }
        if (partitionHealth) {
            addHealth(image, b);
        }
        return b.build();
    }

    private static void addHealth(MetadataImage image, DescribeClusterResponse.Builder b) {
        int under = 0;
        int offline = 0;
        int underMin = 0;
        for (TopicImage t : image.topics().values()) {
            int minIsr = TopicConfigs.resolve(t.topic().getConfigsMap()).minInsyncReplicas();
            for (PartitionRecord p : t.partitions()) {
                under += p.getIsrCount() < p.getReplicasCount() ? 1 : 0;
                offline += p.getLeader() < 0 ? 1 : 0;
                underMin += p.getIsrCount() < minIsr ? 1 : 0;
            }
        }
        b.setUnderReplicatedPartitions(under).setOfflinePartitions(offline).setUnderMinIsrPartitions(underMin);
    }
}
