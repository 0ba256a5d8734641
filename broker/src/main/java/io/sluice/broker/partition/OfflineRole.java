package io.sluice.broker.partition;

/**
 * This replica neither serves nor fetches: the partition has no leader in this epoch, the broker is
 * starting and has no metadata for it yet, or the replica was stopped. Immutable.
 *
 * @param reason for logs and error messages
 */
public record OfflineRole(int leaderId, int leaderEpoch, int partitionEpoch, String reason) implements ReplicaRole {
    /** The role of a replica just loaded, before metadata names its role. */
    public static OfflineRole starting() {
        return new OfflineRole(-1, -1, -1, "starting");
    }
}
