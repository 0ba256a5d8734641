package io.sluice.broker.partition;

/**
 * This replica neither serves nor fetches: the partition has no leader in this epoch, the broker is
 * starting and has no metadata for it yet, or the replica was stopped. Immutable.
 *
 * @param reason for logs and error messages
 */
public record OfflineRole(int leaderId, int leaderEpoch, int partitionEpoch, String reason) implements ReplicaRole {
    private static final String STEPPED_DOWN = "stepped down: ";

    /** The role of a replica just loaded, before metadata names its role. */
    public static OfflineRole starting() {
        return new OfflineRole(-1, -1, -1, "starting");
    }

    /**
     * A leader of {@code leaderEpoch} that the controller says was replaced, before the metadata
     * saying so has arrived.
     */
    public static OfflineRole steppedDown(int leaderEpoch, int partitionEpoch, int newLeaderId, int newLeaderEpoch) {
        return new OfflineRole(-1, leaderEpoch, partitionEpoch, STEPPED_DOWN + "the controller names broker "
                + newLeaderId + " leader at epoch " + newLeaderEpoch);
    }

    /** Whether this is a leader that stepped down ({@link #steppedDown}). */
    public boolean isSteppedDown() {
        return reason.startsWith(STEPPED_DOWN);
    }
}
