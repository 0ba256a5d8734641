package io.sluice.broker.group;

import io.sluice.broker.group.internal.PartitionSets;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.SubscribedTopics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;

/**
 * One consumer process in the group simulation, behaving as a KIP-848 client should: joins with epoch
 * 0, takes newly assigned partitions at once, gives up removed ones after a processing delay and then
 * reports at once, sends its full state after any failed heartbeat, drops everything and rejoins when
 * fenced or unknown. It checks that its epoch never goes back within one membership.
 */
final class SimConsumer {
    /** Codes a heartbeat may meet while the store or the coordinator fails; the request is retried. */
    static final Set<ErrorCode> RETRIABLE = Set.of(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
            ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.ERROR_CODE_NOT_COORDINATOR,
            ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE);

    final String memberId;
    final String instanceId;
    final List<String> topics;
    /** How long it takes to give up a partition (commit, stop fetching). */
    long revokeDelayMs;
    int epoch;
    int highestEpoch;
    SortedSet<TopicIdPartition> owned = PartitionSets.empty();
    SortedSet<TopicIdPartition> assignment = PartitionSets.empty();
    boolean alive = true;
    boolean leaving;
    private CompletableFuture<ConsumerGroupHeartbeatResponse> inFlight;
    private boolean ownedSent;
    private boolean sendFull = true;
    private long nextHeartbeatMs;
    private long revokeAtMs = Long.MAX_VALUE;

    SimConsumer(String memberId, String instanceId, List<String> topics, long revokeDelayMs) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.topics = topics;
        this.revokeDelayMs = revokeDelayMs;
    }

    /** Stops the process: it owns nothing any more (a dead consumer reads nothing). */
    void die() {
        alive = false;
        owned = PartitionSets.empty();
        inFlight = null;
    }

    /** The coordinator went away: an unanswered heartbeat is a transport error. */
    void connectionLost() {
        if (inFlight != null && !inFlight.isDone()) {
            inFlight = null;
            sendFull = true;
        }
    }

    /** One step at {@code nowMs}: handles an answer, revokes when its delay is over, heartbeats when due. */
    void step(GroupCoordinator coordinator, long nowMs, int heartbeatIntervalMs) {
        if (!alive) {
            return;
        }
        if (inFlight != null && inFlight.isDone()) {
            onAnswer(inFlight.join(), nowMs, heartbeatIntervalMs);
            inFlight = null;
        }
        if (nowMs >= revokeAtMs) {
            owned = PartitionSets.intersect(owned, assignment);
            revokeAtMs = Long.MAX_VALUE;
            ownedSent = false;
        }
        boolean due = nowMs >= nextHeartbeatMs || !ownedSent;
        if (inFlight == null && due) {
            inFlight = coordinator.handleHeartbeat(request(), "sim", nowMs);
            nextHeartbeatMs = nowMs + heartbeatIntervalMs;
            if (inFlight.isDone()) {
                onAnswer(inFlight.join(), nowMs, heartbeatIntervalMs);
                inFlight = null;
            }
        }
    }

    private ConsumerGroupHeartbeatRequest request() {
        ConsumerGroupHeartbeatRequest.Builder request = ConsumerGroupHeartbeatRequest.newBuilder()
                .setGroupId(CoordinatorHarness.GROUP).setMemberId(memberId).setInstanceId(instanceId)
                .setMemberEpoch(leaving ? (instanceId.isEmpty() ? -1 : -2) : epoch);
        if (epoch == 0 || sendFull) {
            request.setSubscribedTopics(SubscribedTopics.newBuilder().addAllNames(topics));
        }
        if (epoch == 0 || sendFull || !ownedSent) {
            request.setOwnedPartitions(epoch == 0 ? Assignment.getDefaultInstance()
                    : PartitionSets.toAssignment(owned, Map.of()));
        }
        ownedSent = true;
        return request.build();
    }

    private void onAnswer(ConsumerGroupHeartbeatResponse answer, long nowMs, int heartbeatIntervalMs) {
        ErrorCode code = answer.getErrorCode();
        if (code == ErrorCode.ERROR_CODE_NONE) {
            if (leaving) {
                die();
                return;
            }
            if (answer.getMemberEpoch() < highestEpoch) {
                throw new AssertionError(memberId + ": epoch went back from " + highestEpoch + " to "
                        + answer.getMemberEpoch());
            }
            epoch = answer.getMemberEpoch();
            highestEpoch = epoch;
            sendFull = false;
            if (answer.hasAssignment()) {
                assignment = PartitionSets.fromAssignment(answer.getAssignment());
                SortedSet<TopicIdPartition> gained = PartitionSets.minus(assignment, owned);
                if (!gained.isEmpty()) {
                    owned = PartitionSets.union(owned, gained);
                    ownedSent = false;
                }
                if (!assignment.containsAll(owned) && revokeAtMs == Long.MAX_VALUE) {
                    revokeAtMs = nowMs + revokeDelayMs;
                }
            }
            return;
        }
        if (code == ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH || code == ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID) {
            if (leaving) {
                die();
                return;
            }
            if (code == ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID) {
                highestEpoch = 0; // removed: the next membership is a new one
            }
            owned = PartitionSets.empty();
            assignment = PartitionSets.empty();
            revokeAtMs = Long.MAX_VALUE;
            epoch = 0;
            sendFull = true;
            nextHeartbeatMs = nowMs;
            return;
        }
        if (RETRIABLE.contains(code) || code == ErrorCode.ERROR_CODE_UNRELEASED_INSTANCE_ID && epoch == 0) {
            sendFull = true;
            nextHeartbeatMs = nowMs + heartbeatIntervalMs / 2;
            return;
        }
        throw new AssertionError(memberId + ": unexpected answer " + answer);
    }

    @Override
    public String toString() {
        return memberId + (instanceId.isEmpty() ? "" : "[" + instanceId + "]") + "@" + epoch + (alive ? "" : " dead")
                + " owned=" + owned;
    }
}
