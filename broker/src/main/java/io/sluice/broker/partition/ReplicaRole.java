package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.proto.v1.ErrorCode;

/**
 * The role a partition replica plays in one leader epoch. Exactly one {@link Partition} owns each
 * role object; {@link RoleTransitions} decides every change of role, and the partition applies it
 * under its lock after the {@link ReplicaManager} has persisted the new epoch.
 *
 * <pre>
 *   Offline(start) --epoch E, leader = me--------&gt; Leader(E)
 *   Offline(start) --epoch E, leader = other-----&gt; Follower(E)
 *   any(E)        --epoch E' &gt; E, leader = me------&gt; Leader(E')
 *   any(E)        --epoch E' &gt; E, leader = other---&gt; Follower(E')
 *   any(E)        --epoch E' &gt; E, no leader--------&gt; Offline(E')
 *   X(E, p)       --epoch E, partition epoch p' &gt; p--&gt; X(E, p') (ISR or replicas changed)
 *   any           --stop (deleted, shut down)-----&gt; Offline
 * </pre>
 * Epochs only move forward; a record with an older epoch (or an equal epoch and a partition epoch
 * that is not newer) is ignored.
 */
public sealed interface ReplicaRole permits LeaderRole, FollowerRole, OfflineRole {
    /**
     * The leader role if {@code role} leads at {@code requestEpoch} (-1: whatever the epoch);
     * otherwise the refusal a client or follower gets: FENCED_LEADER_EPOCH for an older epoch,
     * UNKNOWN_LEADER_EPOCH for a newer one, NOT_LEADER (with the leader) or LEADER_NOT_AVAILABLE.
     */
    static LeaderRole requireLeader(ReplicaRole role, int requestEpoch, TopicIdPartition id, int localBrokerId) {
        int epoch = role.leaderEpoch();
        if (requestEpoch >= 0 && requestEpoch < epoch) {
            throw new PartitionException(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, "leader epoch " + requestEpoch
                    + " is older than " + epoch + " for " + id, role.leaderId(), epoch);
        }
        if (requestEpoch > epoch) {
            throw new PartitionException(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH, "leader epoch " + requestEpoch
                    + " is newer than " + epoch + " for " + id, role.leaderId(), epoch);
        }
        if (role instanceof LeaderRole leader) {
            return leader;
        }
        if (role.leaderId() < 0) {
            String why = role instanceof OfflineRole offline ? " (" + offline.reason() + ")" : "";
            throw new PartitionException(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, id + " has no leader" + why, -1,
                    epoch);
        }
        throw new PartitionException(ErrorCode.ERROR_CODE_NOT_LEADER, "broker " + localBrokerId
                + " is not the leader of " + id + "; broker " + role.leaderId() + " is", role.leaderId(), epoch);
    }

    /** The leader in this epoch: this broker for a leader, -1 when there is none. */
    int leaderId();

    /** The leader epoch this role belongs to, -1 before the first metadata. */
    int leaderEpoch();

    /** The partition epoch of the metadata this role reflects, -1 before the first metadata. */
    int partitionEpoch();
}
