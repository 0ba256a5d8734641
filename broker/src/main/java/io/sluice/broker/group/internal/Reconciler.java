package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Moves one member toward its target assignment, one safe step per heartbeat (KIP-848's
 * reconciliation):
 * <ul>
 *   <li>While the member has partitions pending revocation it stays at its epoch until it reports
 *       owning none of them; only then do they become free.</li>
 *   <li>Otherwise, partitions it owns outside its target are moved to pending revocation and nothing
 *       new is given (revoke before assign); its epoch stays and its rebalance timer starts.</li>
 *   <li>With nothing to revoke, it moves to the target's epoch and receives every partition of its
 *       target that no other member owns; the rest (still owned by members that must revoke them) come
 *       on later heartbeats, once freed.</li>
 * </ul>
 * A partition is therefore never owned by two members. Stateless.
 */
public final class Reconciler {
    private Reconciler() {
    }

    /**
     * One step for {@code member}.
     *
     * @param owned what the member owns by its latest report, or null if unknown
     * @return whether its epoch, assigned partitions or pending revocations changed
     */
    public static boolean reconcile(ConsumerGroup group, Member member, SortedSet<TopicIdPartition> owned,
            long nowMs) {
        if (!member.pendingRevocation().isEmpty()) {
            if (!revoked(member, owned)) {
                return false;
            }
            computeNextAndGo(group, member, owned, nowMs);
            return true;
        }
        SortedSet<TopicIdPartition> target = group.targetOf(member.memberId());
        if (member.memberEpoch() == group.assignmentEpoch() && member.assigned().equals(target)) {
            return false;
        }
        int epochBefore = member.memberEpoch();
        SortedSet<TopicIdPartition> assignedBefore = member.assigned();
        computeNextAndGo(group, member, owned, nowMs);
        return epochBefore != member.memberEpoch() || !assignedBefore.equals(member.assigned())
                || !member.pendingRevocation().isEmpty();
    }

    private static boolean revoked(Member member, SortedSet<TopicIdPartition> owned) {
        return owned != null && !PartitionSets.intersects(owned, member.pendingRevocation());
    }

    /**
     * {@link #computeNext}, and once more if the member's report already leaves out everything it was
     * just asked to revoke (a joining member owns nothing): it need not wait a heartbeat to go on.
     */
    private static void computeNextAndGo(ConsumerGroup group, Member member, SortedSet<TopicIdPartition> owned,
            long nowMs) {
        computeNext(group, member, nowMs);
        if (!member.pendingRevocation().isEmpty() && revoked(member, owned)) {
            computeNext(group, member, nowMs);
        }
    }

    private static void computeNext(ConsumerGroup group, Member member, long nowMs) {
        SortedSet<TopicIdPartition> target = group.targetOf(member.memberId());
        SortedSet<TopicIdPartition> keep = PartitionSets.intersect(member.assigned(), target);
        SortedSet<TopicIdPartition> revoke = PartitionSets.minus(member.assigned(), target);
        if (!revoke.isEmpty()) {
            group.setPartitions(member, keep, revoke);
            member.rebalanceDeadlineMs = saturatedAdd(nowMs, member.rebalanceTimeoutMs);
            return;
        }
        List<TopicIdPartition> free = new ArrayList<>();
        for (TopicIdPartition partition : target) {
            if (!keep.contains(partition) && group.ownerOf(partition) == null) {
                free.add(partition);
            }
        }
        group.setPartitions(member, PartitionSets.union(keep, free), PartitionSets.empty());
        member.rebalanceDeadlineMs = Member.NO_DEADLINE;
        if (member.memberEpoch != group.assignmentEpoch()) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = group.assignmentEpoch();
        }
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
