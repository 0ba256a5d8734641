package io.sluice.client.cli;

import io.sluice.client.admin.ClusterDescription;
import java.util.List;
import java.util.Set;

/** {@code sluice cluster describe}. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    static CommandGroup group(CliEnvironment env) {
        return new CommandGroup("cluster", "describe the cluster", List.of(new Describe(env)));
    }

    /** {@code cluster describe}. */
    static final class Describe extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of(), Set.of(), Set.of());
        private static final String USAGE = "\n\nPrints the cluster id, the active controller, every broker with"
                + " its state, the metadata\nquorum, and the counts of under-replicated, offline and under-min-ISR"
                + " partitions.\n";

        Describe(CliEnvironment env) {
            super("cluster describe", "brokers, controller, quorum, under-replicated and offline partitions", env,
                    SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            ClusterDescription c = s.await(s.admin().describeCluster());
            s.out.println("Cluster: " + c.clusterId());
            s.out.println("Controller: " + (c.controllerId() < 0 ? "none" : c.controllerId()));
            s.out.println("Brokers:");
            for (ClusterDescription.Broker b : c.brokers()) {
                s.out.printf("  %-4d %-24s %-14s%s%n", b.node().id(), b.node().address(), b.state(),
                        b.node().rack().isEmpty() ? "" : "rack=" + b.node().rack());
            }
            s.out.println("Quorum: term " + c.quorumTerm() + ", commit index " + c.quorumCommitIndex());
            for (ClusterDescription.QuorumMember m : c.quorumMembers()) {
                s.out.printf("  node %-4d %-9s applied %d%n", m.nodeId(), m.voter() ? "voter" : "listener",
                        m.lastAppliedIndex());
            }
            s.out.println("Under-replicated partitions: " + c.underReplicatedPartitions());
            s.out.println("Offline partitions: " + c.offlinePartitions());
            s.out.println("Under-min-ISR partitions: " + c.underMinIsrPartitions());
            return OK;
        }
    }
}
