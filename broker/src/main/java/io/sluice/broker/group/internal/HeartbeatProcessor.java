package io.sluice.broker.group.internal;

import io.sluice.broker.group.GroupCoordinatorConfig;
import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.SortedSet;

/**
 * Applies one ConsumerGroupHeartbeat to a group (KIP-848):
 * <ul>
 *   <li>epoch 0 joins (or rejoins, giving up what the member owned); a static member whose instance
 *       id is held by a member that left with -2 takes over that member's partitions and target
 *       without a new group epoch; held by a live member, it is refused with UNRELEASED_INSTANCE_ID;</li>
 *   <li>epoch -1 leaves; -2 leaves temporarily (static members only): the member keeps its partitions
 *       until its session runs out;</li>
 *   <li>any other epoch must be the member's current one, or its previous one if what it reports
 *       owning is within its assignment (the answer that bumped it was lost); else
 *       FENCED_MEMBER_EPOCH. An unknown member id gets UNKNOWN_MEMBER_ID.</li>
 * </ul>
 * A changed subscription or assignor preference starts a new group epoch with a new target; then the
 * member is reconciled one step ({@link Reconciler}). The answer carries the assignment when the member
 * joined, when what it should own changed, or when its report differs from it. A refused heartbeat
 * throws {@link GroupException} before changing anything. Not thread-safe: runs on the coordinator thread.
 */
public final class HeartbeatProcessor {
    private final GroupCoordinatorConfig config;
    private final TopicCatalog catalog;

    public HeartbeatProcessor(GroupCoordinatorConfig config, TopicCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** Applies {@code request} (already shape-checked by {@link RequestValidator}) to {@code group}. */
    public ConsumerGroupHeartbeatResponse process(ConsumerGroup group, ConsumerGroupHeartbeatRequest request,
            String clientHost, long nowMs) {
        return switch (request.getMemberEpoch()) {
            case -1 -> leave(group, request);
            case Member.STATIC_LEFT_EPOCH -> leaveTemporarily(group, request);
            case 0 -> join(group, request, clientHost, nowMs);
            default -> heartbeat(group, request, nowMs);
        };
    }

    private ConsumerGroupHeartbeatResponse join(ConsumerGroup group, ConsumerGroupHeartbeatRequest request,
            String clientHost, long nowMs) {
        if (!request.hasSubscribedTopics()) {
            throw invalid("a joining member must send subscribed_topics");
        }
        if (!request.getOwnedPartitions().getTopicPartitionsList().isEmpty()) {
            throw invalid("a joining member owns no partitions: owned_partitions must be empty");
        }
        String memberId = request.getMemberId();
        Member member = group.member(memberId);
        boolean newEpoch;
        if (member != null) {
            if (!member.instanceId().equals(request.getInstanceId())) {
                throw invalid("member " + memberId + " has instance id '" + member.instanceId()
                        + "'; a member id cannot change its instance id");
            }
            newEpoch = update(group, member, request, true);
        } else {
            Member holder = request.getInstanceId().isEmpty() ? null : group.staticMember(request.getInstanceId());
            if (holder != null) {
                if (holder.memberEpoch() != Member.STATIC_LEFT_EPOCH) {
                    throw new GroupException(ErrorCode.ERROR_CODE_UNRELEASED_INSTANCE_ID, "instance id '"
                            + request.getInstanceId() + "' is held by live member " + holder.memberId());
                }
                member = holder.copyAs(memberId);
                group.replaceMember(holder, member);
                newEpoch = update(group, member, request, true);
            } else {
                if (group.memberCount() >= config.maxGroupSize()) {
                    throw new GroupException(ErrorCode.ERROR_CODE_GROUP_MAX_SIZE_REACHED, "group " + group.groupId()
                            + " has " + group.memberCount() + " members, the most allowed");
                }
                member = new Member(memberId);
                member.instanceId = request.getInstanceId();
                update(group, member, request, true);
                group.addMember(member);
                newEpoch = true;
            }
        }
        member.clientHost = clientHost;
        member.lastReportedOwned = PartitionSets.empty();
        member.sessionDeadlineMs = Reconciler.saturatedAdd(nowMs, config.sessionTimeoutMs());
        if (newEpoch) {
            TargetAssignments.bumpAndAssign(group, catalog, config.defaultAssignor());
        }
        Reconciler.reconcile(group, member, member.lastReportedOwned, nowMs);
        if (member.memberEpoch() <= 0) {
            // Owning nothing, a joining member has nothing to revoke and must reach the assignment epoch.
            throw new IllegalStateException("member " + memberId + " joined at epoch " + member.memberEpoch());
        }
        return answer(member, true);
    }

    private ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroup group, ConsumerGroupHeartbeatRequest request,
            long nowMs) {
        Member member = existing(group, request);
        if (member.memberEpoch() == Member.STATIC_LEFT_EPOCH) {
            throw new GroupException(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, "member " + member.memberId()
                    + " left the group temporarily; rejoin with epoch 0");
        }
        if (!request.getInstanceId().isEmpty() && !request.getInstanceId().equals(member.instanceId())) {
            throw invalid("member " + member.memberId() + " has instance id '" + member.instanceId() + "'");
        }
        SortedSet<TopicIdPartition> owned = request.hasOwnedPartitions()
                ? PartitionSets.fromAssignment(request.getOwnedPartitions()) : member.lastReportedOwned;
        boolean sendAssignment = checkEpoch(member, request.getMemberEpoch(), owned);
        if (request.hasOwnedPartitions()) {
            member.lastReportedOwned = owned;
        }
        member.sessionDeadlineMs = Reconciler.saturatedAdd(nowMs, config.sessionTimeoutMs());
        if (update(group, member, request, false)) {
            TargetAssignments.bumpAndAssign(group, catalog, config.defaultAssignor());
        }
        SortedSet<TopicIdPartition> before = member.assigned();
        Reconciler.reconcile(group, member, owned, nowMs);
        sendAssignment |= !before.equals(member.assigned())
                || request.hasOwnedPartitions() && !owned.equals(member.assigned());
        return answer(member, sendAssignment);
    }

    /**
     * Fences a heartbeat whose epoch is neither the member's nor, with a report within its assignment,
     * its previous one.
     *
     * @return whether the epoch was the previous one, so the full assignment must be sent again
     */
    private static boolean checkEpoch(Member member, int epoch, SortedSet<TopicIdPartition> owned) {
        if (epoch == member.memberEpoch()) {
            return false;
        }
        boolean lostAnswer = epoch < member.memberEpoch() && epoch == member.previousMemberEpoch()
                && owned != null && member.assigned().containsAll(owned);
        if (!lostAnswer) {
            throw new GroupException(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, "member " + member.memberId()
                    + " sent epoch " + epoch + " but is at epoch " + member.memberEpoch()
                    + "; give up its partitions and rejoin with epoch 0");
        }
        return true;
    }

    private ConsumerGroupHeartbeatResponse leave(ConsumerGroup group, ConsumerGroupHeartbeatRequest request) {
        Member member = existing(group, request);
        group.removeMember(member.memberId());
        TargetAssignments.bumpAndAssign(group, catalog, config.defaultAssignor());
        return ConsumerGroupHeartbeatResponse.newBuilder().setMemberId(member.memberId()).setMemberEpoch(-1)
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs()).build();
    }

    private ConsumerGroupHeartbeatResponse leaveTemporarily(ConsumerGroup group,
            ConsumerGroupHeartbeatRequest request) {
        Member member = existing(group, request);
        if (!member.isStatic()) {
            throw invalid("member epoch -2 is for static members (with an instance id); leave with -1");
        }
        if (member.memberEpoch != Member.STATIC_LEFT_EPOCH) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = Member.STATIC_LEFT_EPOCH;
        }
        // The process stopped: nothing to wait for but its session, which keeps running.
        member.rebalanceDeadlineMs = Member.NO_DEADLINE;
        member.lastReportedOwned = null;
        return ConsumerGroupHeartbeatResponse.newBuilder().setMemberId(member.memberId())
                .setMemberEpoch(Member.STATIC_LEFT_EPOCH).setHeartbeatIntervalMs(config.heartbeatIntervalMs()).build();
    }

    private static Member existing(ConsumerGroup group, ConsumerGroupHeartbeatRequest request) {
        Member member = group.member(request.getMemberId());
        if (member == null) {
            throw new GroupException(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, "member " + request.getMemberId()
                    + " is not in group " + group.groupId() + "; rejoin with epoch 0");
        }
        return member;
    }

    /**
     * Copies the member's settings from the request. On join an empty field means "none" (or the broker
     * default); afterwards it means "unchanged".
     *
     * @return whether the change needs a new group epoch (subscription or the group's assignor changed)
     */
    private boolean update(ConsumerGroup group, Member member, ConsumerGroupHeartbeatRequest request,
            boolean joining) {
        if (joining || !request.getClientId().isEmpty()) {
            member.clientId = request.getClientId();
        }
        if (joining || !request.getRackId().isEmpty()) {
            member.rackId = request.getRackId();
        }
        if (joining || request.getRebalanceTimeoutMs() > 0) {
            member.rebalanceTimeoutMs = request.getRebalanceTimeoutMs() > 0 ? request.getRebalanceTimeoutMs()
                    : config.defaultRebalanceTimeoutMs();
        }
        boolean newEpoch = false;
        if (request.hasSubscribedTopics()) {
            SortedSet<String> topics = Member.sortedNames(request.getSubscribedTopics().getNamesList());
            newEpoch = !topics.equals(member.subscribedTopics);
            member.subscribedTopics = topics;
        }
        if (joining || !request.getServerAssignor().isEmpty()) {
            member.serverAssignor = request.getServerAssignor();
            newEpoch |= !TargetAssignments.chooseAssignor(group, config.defaultAssignor()).equals(group.assignor());
        }
        return newEpoch;
    }

    private ConsumerGroupHeartbeatResponse answer(Member member, boolean withAssignment) {
        ConsumerGroupHeartbeatResponse.Builder answer = ConsumerGroupHeartbeatResponse.newBuilder()
                .setMemberId(member.memberId()).setMemberEpoch(member.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        if (withAssignment) {
            answer.setAssignment(PartitionSets.toAssignment(member.assigned(), catalog));
        }
        return answer.build();
    }

    private static GroupException invalid(String message) {
        return new GroupException(ErrorCode.ERROR_CODE_INVALID_REQUEST, message);
    }
}
