package io.sluice.broker.partition;

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
    /** The leader in this epoch: this broker for a leader, -1 when there is none. */
    int leaderId();

    /** The leader epoch this role belongs to, -1 before the first metadata. */
    int leaderEpoch();

    /** The partition epoch of the metadata this role reflects, -1 before the first metadata. */
    int partitionEpoch();
}
