package io.sluice.jepsen.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells the nemesis which nodes lead now, for faults that target {@code leaders}. The workload
 * implements it with the SDK's admin and metadata client (it has the connections); the nemesis
 * calls it when such a fault starts, from its own thread.
 *
 * <p>Contract: return the ids (1-based, as in the cluster) of the nodes that currently lead the
 * metadata quorum or any partition of the workload's topics; an empty set when that is unknown
 * (no answer, no leader). Return within a few seconds. An exception counts as unknown. When
 * the answer is unknown the nemesis picks a random node from the fault's seed, and says so in the
 * history.
 */
@FunctionalInterface
public interface LeaderLocator {
    /** The nodes that lead now, or an empty set when unknown. */
    Set<Integer> currentLeaders() throws Exception;

    /**
     * The in-sync replicas of each partition of the workload's topics as the cluster reports them
     * now (the eligible leaders while a partition's ISR is empty: its last in-sync replicas, which
     * hold every committed record), or empty when that is unknown (the default). Storage damage and
     * node removal use it to spare a partition's last in-sync copy (see {@code LastCopies}). An
     * exception counts as unknown.
     */
    default Optional<List<Set<Integer>>> inSyncReplicas() throws Exception {
        return Optional.empty();
    }

    /** A locator that never knows: every {@code leaders} fault falls back to a random node. */
    static LeaderLocator unknown() {
        return Set::of;
    }
}
