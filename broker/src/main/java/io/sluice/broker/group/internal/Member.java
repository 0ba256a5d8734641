package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One member of a group as the coordinator holds it: the persisted part (mirrors
 * {@link GroupMemberRecord}) plus timers and the last partitions the member reported, which live only
 * in memory. Partition sets are replaced, never modified; {@link ConsumerGroup#setPartitions} is the
 * only writer of {@code assigned} and {@code pendingRevocation}, so the group's owner index stays
 * right. Not thread-safe: the coordinator thread owns it.
 */
public final class Member {
    /** Epoch of a static member that left temporarily and keeps its partitions for a session. */
    public static final int STATIC_LEFT_EPOCH = -2;
    /** Marks a timer that is not running. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String memberId;
    String instanceId = "";
    String clientId = "";
    String clientHost = "";
    String rackId = "";
    String serverAssignor = "";
    SortedSet<String> subscribedTopics = Collections.emptySortedSet();
    int rebalanceTimeoutMs;
    int memberEpoch;
    int previousMemberEpoch = -1;
    SortedSet<TopicIdPartition> assigned = PartitionSets.empty();
    SortedSet<TopicIdPartition> pendingRevocation = PartitionSets.empty();

    long sessionDeadlineMs = NO_DEADLINE;
    long rebalanceDeadlineMs = NO_DEADLINE;
    /** What the member last reported owning; null when unknown (never reported to this coordinator). */
    SortedSet<TopicIdPartition> lastReportedOwned;

    Member(String memberId) {
        this.memberId = memberId;
    }

    /** The member restored from its record, with no timers running (the group starts them). */
    static Member fromRecord(GroupMemberRecord record) {
        Member member = new Member(record.getMemberId());
        member.instanceId = record.getInstanceId();
        member.clientId = record.getClientId();
        member.clientHost = record.getClientHost();
        member.rackId = record.getRackId();
        member.serverAssignor = record.getServerAssignor();
        member.subscribedTopics = sortedNames(record.getSubscribedTopicsList());
        member.rebalanceTimeoutMs = record.getRebalanceTimeoutMs();
        member.memberEpoch = record.getMemberEpoch();
        member.previousMemberEpoch = record.getPreviousMemberEpoch();
        member.assigned = PartitionSets.fromRecord(record.getAssignedMap());
        member.pendingRevocation = PartitionSets.fromRecord(record.getPendingRevocationMap());
        return member;
    }

    GroupMemberRecord toRecord() {
        return GroupMemberRecord.newBuilder().setMemberId(memberId).setInstanceId(instanceId).setClientId(clientId)
                .setClientHost(clientHost).setRackId(rackId).setServerAssignor(serverAssignor)
                .addAllSubscribedTopics(subscribedTopics).setRebalanceTimeoutMs(rebalanceTimeoutMs)
                .setMemberEpoch(memberEpoch).setPreviousMemberEpoch(previousMemberEpoch)
                .putAllAssigned(PartitionSets.toRecord(assigned))
                .putAllPendingRevocation(PartitionSets.toRecord(pendingRevocation)).build();
    }

    static SortedSet<String> sortedNames(Collection<String> names) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    /**
     * A copy of the persisted fields under another member id (a static member's replacement). A member
     * away with -2 hands over the epoch it had before leaving; the new process has no previous epoch.
     */
    Member copyAs(String newMemberId) {
        Member copy = new Member(newMemberId);
        copy.instanceId = instanceId;
        copy.clientId = clientId;
        copy.clientHost = clientHost;
        copy.rackId = rackId;
        copy.serverAssignor = serverAssignor;
        copy.subscribedTopics = subscribedTopics;
        copy.rebalanceTimeoutMs = rebalanceTimeoutMs;
        copy.memberEpoch = memberEpoch == STATIC_LEFT_EPOCH ? previousMemberEpoch : memberEpoch;
        copy.previousMemberEpoch = -1;
        copy.assigned = assigned;
        copy.pendingRevocation = pendingRevocation;
        return copy;
    }

    /** Carries the in-memory part over from the same member before a reload. */
    void takeRuntimeFrom(Member before) {
        sessionDeadlineMs = before.sessionDeadlineMs;
        rebalanceDeadlineMs = before.rebalanceDeadlineMs;
        lastReportedOwned = before.lastReportedOwned;
    }

    public String memberId() {
        return memberId;
    }

    public String instanceId() {
        return instanceId;
    }

    public boolean isStatic() {
        return !instanceId.isEmpty();
    }

    public int memberEpoch() {
        return memberEpoch;
    }

    public int previousMemberEpoch() {
        return previousMemberEpoch;
    }

    public SortedSet<TopicIdPartition> assigned() {
        return assigned;
    }

    public SortedSet<TopicIdPartition> pendingRevocation() {
        return pendingRevocation;
    }

    public SortedSet<String> subscribedTopics() {
        return subscribedTopics;
    }

    public String serverAssignor() {
        return serverAssignor;
    }

    public long sessionDeadlineMs() {
        return sessionDeadlineMs;
    }

    public long rebalanceDeadlineMs() {
        return rebalanceDeadlineMs;
    }

    /** Whether the member owns {@code partition} now: assigned, or still to be revoked. */
    public boolean owns(TopicIdPartition partition) {
        return assigned.contains(partition) || pendingRevocation.contains(partition);
    }

    @Override
    public String toString() {
        return memberId + "@" + memberEpoch + (isStatic() ? "[" + instanceId + "]" : "") + " assigned="
                + assigned + " pending=" + pendingRevocation;
    }
}
