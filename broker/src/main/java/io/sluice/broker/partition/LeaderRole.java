package io.sluice.broker.partition;

import io.sluice.broker.replication.LeaderReplicaTracker;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * This replica leads the partition in {@code leaderEpoch}: it appends produced batches, serves
 * consumer and follower fetches, tracks its followers in a {@link LeaderReplicaTracker} and
 * proposes ISR changes.
 *
 * <p>ISR changes: at most one proposal is in flight. While it is, the tracker counts the union of
 * the committed and the proposed ISR for the high watermark. A refusal reverts to the committed
 * ISR; an answer carrying a newer partition state (the change, or someone else's) is adopted; an
 * unknown outcome (timeout, controller unavailable) keeps the proposal pending and sends it again
 * later, so the union stays in force until the outcome is known.
 *
 * <p>Mutable within its epoch (the partition epoch, the tracker, the ISR change in flight); guarded
 * by the owning {@link Partition}'s lock, like every other part of the partition's state.
 */
public final class LeaderRole implements ReplicaRole {
    private final int leaderId;
    private final int leaderEpoch;
    private int partitionEpoch;
    private LeaderReplicaTracker tracker;
    /** The ISR change sent to the controller and not yet decided, or null. */
    private PartitionChangeRequest isrChangeInFlight;
    /** When to send {@link #isrChangeInFlight} again after an unknown outcome, or -1. */
    private long isrChangeRetryAtMs = -1;

    LeaderRole(int leaderId, int leaderEpoch, int partitionEpoch, LeaderReplicaTracker tracker) {
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
        this.partitionEpoch = partitionEpoch;
        this.tracker = tracker;
    }

    @Override
    public int leaderId() {
        return leaderId;
    }

    @Override
    public int leaderEpoch() {
        return leaderEpoch;
    }

    @Override
    public int partitionEpoch() {
        return partitionEpoch;
    }

    LeaderReplicaTracker tracker() {
        return tracker;
    }

    void replaceTracker(LeaderReplicaTracker replacement) {
        tracker = replacement;
    }

    long isrChangeRetryAtMs() {
        return isrChangeRetryAtMs;
    }

    /** What an answer to an ISR change did: whether the committed ISR changed, and when to retry (-1: never). */
    record IsrOutcome(boolean isrChanged, long retryAtMs) {
    }

    /** A proposal to send now, or the pending one when its retry time came; empty if none. */
    Optional<PartitionChangeRequest> maybeProposeIsrChange(TopicIdPartition id, long nowMs, IntPredicate eligible) {
        if (isrChangeInFlight != null) {
            if (isrChangeRetryAtMs >= 0 && nowMs >= isrChangeRetryAtMs) {
                isrChangeRetryAtMs = -1;
                return Optional.of(isrChangeInFlight);
            }
            return Optional.empty();
        }
        Optional<Set<Integer>> proposed = tracker.proposeIsrShrink(nowMs)
                .or(() -> tracker.proposeIsrExpand(nowMs, eligible));
        if (proposed.isEmpty()) {
            return Optional.empty();
        }
        tracker.onIsrChangeProposed(proposed.get());
        isrChangeInFlight = PartitionChangeRequest.newBuilder()
                .setTopicId(id.topicId())
                .setPartition(id.partition())
                .setLeaderEpoch(leaderEpoch)
                .setPartitionEpoch(partitionEpoch)
                .addAllNewIsr(new TreeSet<>(proposed.get()))
                .build();
        isrChangeRetryAtMs = -1;
        return Optional.of(isrChangeInFlight);
    }

    /** Applies the controller's answer to {@code sent} (which may no longer be the pending one). */
    IsrOutcome onIsrChangeResult(PartitionChangeRequest sent, PartitionChangeResult result, int localBrokerId,
            long retryAtMs) {
        boolean pending = isrChangeInFlight == sent;
        boolean newerState = result.getLeaderEpoch() == leaderEpoch && result.getPartitionEpoch() > partitionEpoch
                && result.getIsrList().contains(localBrokerId);
        if (newerState) {
            tracker.onIsrCommitted(Set.copyOf(result.getIsrList()));
            adoptPartitionEpoch(result.getPartitionEpoch());
            if (pending) {
                isrChangeInFlight = null;
            }
            return new IsrOutcome(true, -1);
        }
        if (!pending) {
            return new IsrOutcome(false, -1);
        }
        if (isUnknownOutcome(result.getErrorCode())) {
            isrChangeRetryAtMs = retryAtMs;
            return new IsrOutcome(false, retryAtMs);
        }
        // Refused, so not applied: the ISR is still the committed one.
        isrChangeInFlight = null;
        tracker.onIsrCommitted(tracker.isr());
        return new IsrOutcome(true, -1);
    }

    /** Takes a newer partition epoch; a pending proposal computed from an older one is void. */
    void adoptPartitionEpoch(int epoch) {
        partitionEpoch = epoch;
        if (isrChangeInFlight != null && isrChangeInFlight.getPartitionEpoch() < epoch) {
            // The controller refuses a change computed from an older partition epoch.
            isrChangeInFlight = null;
            isrChangeRetryAtMs = -1;
        }
    }

    private static boolean isUnknownOutcome(ErrorCode code) {
        return switch (code) {
            case ERROR_CODE_STALE_PARTITION_EPOCH, ERROR_CODE_FENCED_LEADER_EPOCH, ERROR_CODE_INELIGIBLE_REPLICA,
                    ERROR_CODE_INVALID_REQUEST, ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, ERROR_CODE_NOT_LEADER,
                    ERROR_CODE_NONE -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return "LeaderRole[leaderId=" + leaderId + ", leaderEpoch=" + leaderEpoch + ", partitionEpoch="
                + partitionEpoch + ", isr=" + tracker.isr() + "]";
    }
}
