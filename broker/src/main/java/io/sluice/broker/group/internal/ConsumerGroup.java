package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.TargetAssignment;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The coordinator's mutable model of one consumer group: the persisted {@link GroupRecord} fields plus
 * an index from each owned partition to its owner. A partition is <em>owned</em> by a member while it
 * is in the member's assigned partitions or pending revocation; the index lets reconciliation hand a
 * partition to a new owner only when no member owns it.
 *
 * <p>Invariant (checked by {@link #setPartitions}): no partition has two owners. Not thread-safe: the
 * coordinator thread owns it.
 */
public final class ConsumerGroup {
    private final String groupId;
    private int groupEpoch;
    private int assignmentEpoch;
    private String assignor;
    private final TreeMap<String, Member> members = new TreeMap<>();
    private final TreeMap<String, SortedSet<TopicIdPartition>> target = new TreeMap<>();
    private final Map<TopicIdPartition, String> owners = new HashMap<>();
    /** Topic name to "id/partition count" of every subscribed topic, as the target was computed; memory only. */
    private SortedMap<String, String> subscriptionMetadata;

    private ConsumerGroup(String groupId, String assignor) {
        this.groupId = groupId;
        this.assignor = assignor;
    }

    /** A group without state (epoch 0, no members, nothing stored yet). */
    public static ConsumerGroup empty(String groupId, String defaultAssignor) {
        return new ConsumerGroup(groupId, defaultAssignor);
    }

    /**
     * The group as stored. Members present in {@code before} keep their timers and reported partitions;
     * the others get fresh timers: a full session from {@code nowMs}, and a full rebalance timeout if
     * they have partitions to revoke. Nothing else about them is known (their reports were in memory).
     */
    public static ConsumerGroup fromRecord(GroupRecord record, ConsumerGroup before, long nowMs,
            int sessionTimeoutMs) {
        ConsumerGroup group = new ConsumerGroup(record.getGroupId(), record.getAssignor());
        group.groupEpoch = record.getGroupEpoch();
        group.assignmentEpoch = record.getAssignmentEpoch();
        record.getMembersList().forEach(stored -> {
            Member member = Member.fromRecord(stored);
            Member previous = before == null ? null : before.member(member.memberId());
            if (previous != null) {
                member.takeRuntimeFrom(previous);
            } else {
                member.sessionDeadlineMs = Reconciler.saturatedAdd(nowMs, sessionTimeoutMs);
                if (!member.pendingRevocation.isEmpty()) {
                    member.rebalanceDeadlineMs = Reconciler.saturatedAdd(nowMs, member.rebalanceTimeoutMs);
                }
            }
            group.members.put(member.memberId(), member);
            member.assigned.forEach(p -> group.claim(p, member.memberId()));
            member.pendingRevocation.forEach(p -> group.claim(p, member.memberId()));
        });
        record.getTargetMap().forEach((memberId, assignment) ->
                group.target.put(memberId, PartitionSets.fromRecord(assignment.getPartitionsMap())));
        return group;
    }

    /** The storage form; equal models give equal records. */
    public GroupRecord toRecord() {
        GroupRecord.Builder record = GroupRecord.newBuilder().setGroupId(groupId).setGroupEpoch(groupEpoch)
                .setAssignmentEpoch(assignmentEpoch).setAssignor(assignor);
        members.values().forEach(member -> record.addMembers(member.toRecord()));
        target.forEach((memberId, partitions) -> record.putTarget(memberId, TargetAssignment.newBuilder()
                .putAllPartitions(PartitionSets.toRecord(partitions)).build()));
        return record.build();
    }

    private void claim(TopicIdPartition partition, String memberId) {
        String previous = owners.putIfAbsent(partition, memberId);
        if (previous != null && !previous.equals(memberId)) {
            throw new IllegalStateException("group " + groupId + ": partition " + partition + " owned by both "
                    + previous + " and " + memberId);
        }
    }

    /**
     * Replaces what {@code member} owns. Throws {@link IllegalStateException} (a bug: the node must not
     * go on) if a partition would get a second owner.
     */
    public void setPartitions(Member member, SortedSet<TopicIdPartition> assigned,
            SortedSet<TopicIdPartition> pendingRevocation) {
        for (TopicIdPartition partition : assigned) {
            String owner = owners.get(partition);
            if (owner != null && !owner.equals(member.memberId())) {
                throw new IllegalStateException("group " + groupId + ": partition " + partition + " given to "
                        + member.memberId() + " while " + owner + " owns it");
            }
        }
        release(member);
        member.assigned = assigned;
        member.pendingRevocation = pendingRevocation;
        assigned.forEach(p -> claim(p, member.memberId()));
        pendingRevocation.forEach(p -> claim(p, member.memberId()));
    }

    private void release(Member member) {
        member.assigned.forEach(owners::remove);
        member.pendingRevocation.forEach(owners::remove);
    }

    /** Adds a new member; it owns nothing yet. */
    public void addMember(Member member) {
        if (members.putIfAbsent(member.memberId(), member) != null) {
            throw new IllegalStateException("member " + member.memberId() + " already in group " + groupId);
        }
        member.assigned.forEach(p -> claim(p, member.memberId()));
        member.pendingRevocation.forEach(p -> claim(p, member.memberId()));
        target.putIfAbsent(member.memberId(), PartitionSets.empty());
    }

    /** Removes a member: its partitions become free and its target entry goes. */
    public Member removeMember(String memberId) {
        Member member = members.remove(memberId);
        if (member != null) {
            release(member);
            target.remove(memberId);
        }
        return member;
    }

    /**
     * Puts {@code replacement} (a copy of a static member under a new id) in place of {@code replaced},
     * keeping what it owns and its target.
     */
    public void replaceMember(Member replaced, Member replacement) {
        SortedSet<TopicIdPartition> replacedTarget = targetOf(replaced.memberId());
        removeMember(replaced.memberId());
        addMember(replacement);
        target.put(replacement.memberId(), replacedTarget);
    }

    /** Installs a new target assignment computed for {@code epoch} (every member gets an entry). */
    public void installTarget(int epoch, Map<String, SortedSet<TopicIdPartition>> newTarget,
            SortedMap<String, String> metadata) {
        target.clear();
        members.keySet().forEach(id -> target.put(id, newTarget.getOrDefault(id, PartitionSets.empty())));
        assignmentEpoch = epoch;
        subscriptionMetadata = metadata;
    }

    /** Starts a new group epoch (membership or subscriptions changed). */
    public int bumpGroupEpoch() {
        return ++groupEpoch;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public String assignor() {
        return assignor;
    }

    public void setAssignor(String assignor) {
        this.assignor = assignor;
    }

    public Member member(String memberId) {
        return members.get(memberId);
    }

    /** The member holding static instance id {@code instanceId}, or null. */
    public Member staticMember(String instanceId) {
        for (Member member : members.values()) {
            if (member.instanceId.equals(instanceId)) {
                return member;
            }
        }
        return null;
    }

    /** The members, ordered by id (a live view: do not modify while iterating). */
    public Collection<Member> members() {
        return members.values();
    }

    public int memberCount() {
        return members.size();
    }

    /** What the target assignment gives {@code memberId} (empty if nothing). */
    public SortedSet<TopicIdPartition> targetOf(String memberId) {
        return target.getOrDefault(memberId, PartitionSets.empty());
    }

    /** The current target, by member id (read-only view). */
    public Map<String, SortedSet<TopicIdPartition>> target() {
        return Collections.unmodifiableMap(target);
    }

    /** The member owning {@code partition}, or null if it is free. */
    public String ownerOf(TopicIdPartition partition) {
        return owners.get(partition);
    }

    /** The subscription metadata the target was computed with, or null if not known (just loaded). */
    public SortedMap<String, String> subscriptionMetadata() {
        return subscriptionMetadata;
    }

    /** Whether a group with this state has anything to store. */
    public boolean isBlank() {
        return groupEpoch == 0 && members.isEmpty();
    }
}
