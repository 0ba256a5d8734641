package io.sluice.broker.partition;

import io.sluice.proto.internal.v1.PartitionRecord;

/**
 * The one place that decides whether, and how, a partition replica's role changes when metadata
 * brings a {@link PartitionRecord}. Pure: it reads the current role and the record and returns a
 * decision; the {@link Partition} applies it.
 *
 * <p>Rules: the leader epoch only moves forward, and never below the epoch the replica already
 * acted in before a restart ({@code floorEpoch}); within one leader epoch only a newer partition
 * epoch changes anything, and it may not change the leader (the controller bumps the leader epoch
 * on every leader change); a leader must be in its own ISR.
 */
public final class RoleTransitions {
    private RoleTransitions() {
    }

    /** What to do. */
    public enum Kind {
        /** Lead the new epoch. */
        BECOME_LEADER,
        /** Follow the record's leader in the new epoch. */
        BECOME_FOLLOWER,
        /** The new epoch has no leader: stop serving and fetching. */
        BECOME_OFFLINE,
        /** Same role and epoch; take the record's ISR, replicas and partition epoch. */
        UPDATE,
        /** Older than what the replica knows: nothing to do. */
        IGNORE,
        /** Inconsistent metadata: nothing is done and the reason is logged as an error. */
        REFUSE
    }

    /** A decision and why. */
    public record Decision(Kind kind, String reason) {
        /** Whether the replica enters a new leader epoch, which must be persisted before it does. */
        public boolean changesEpoch() {
            return kind == Kind.BECOME_LEADER || kind == Kind.BECOME_FOLLOWER || kind == Kind.BECOME_OFFLINE;
        }
    }

    /**
     * @param current    the replica's role now
     * @param floorEpoch the newest epoch the replica persisted (-1 if none)
     * @param localId    this broker's id
     * @param target     the partition's record in the metadata
     */
    public static Decision decide(ReplicaRole current, int floorEpoch, int localId, PartitionRecord target) {
        int epoch = target.getLeaderEpoch();
        int leader = target.getLeader();
        if (epoch < floorEpoch || epoch < current.leaderEpoch()) {
            return new Decision(Kind.IGNORE, "leader epoch " + epoch + " is older than "
                    + Math.max(floorEpoch, current.leaderEpoch()));
        }
        if (leader == localId && !target.getIsrList().contains(localId)) {
            return new Decision(Kind.REFUSE, "this broker leads epoch " + epoch + " but is not in the ISR "
                    + target.getIsrList());
        }
        if (epoch == current.leaderEpoch()) {
            if (target.getPartitionEpoch() <= current.partitionEpoch()) {
                return new Decision(Kind.IGNORE, "partition epoch " + target.getPartitionEpoch() + " is not newer than "
                        + current.partitionEpoch());
            }
            // A leader that stepped down on the controller's word is offline in its own epoch, with
            // no leader, until metadata of the newer epoch arrives: older records of its epoch that
            // still name it only update the partition epoch.
            boolean steppedDown = current instanceof OfflineRole offline && offline.isSteppedDown()
                    && leader == localId;
            if (leader != current.leaderId() && !steppedDown) {
                return new Decision(Kind.REFUSE, "leader changed from " + current.leaderId() + " to " + leader
                        + " within leader epoch " + epoch);
            }
            return new Decision(Kind.UPDATE, "partition epoch " + target.getPartitionEpoch());
        }
        if (leader == localId) {
            return new Decision(Kind.BECOME_LEADER, "leader in epoch " + epoch);
        }
        if (leader >= 0) {
            return new Decision(Kind.BECOME_FOLLOWER, "follower of broker " + leader + " in epoch " + epoch);
        }
        return new Decision(Kind.BECOME_OFFLINE, "no leader in epoch " + epoch);
    }
}
