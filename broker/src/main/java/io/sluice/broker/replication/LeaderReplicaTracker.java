package io.sluice.broker.replication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leader's view of its followers for one partition: each follower's log end offset and when it
 * was last caught up, the in-sync replica set, and the high watermark derived from them (Kafka's ISR
 * model; see docs/replication.md once the broker lands).
 *
 * <p>Rules:
 * <ul>
 *   <li>A follower is <em>caught up</em> at time t if a fetch at t asked for the leader's log end
 *       offset, or if it asked for at least the log end offset the leader had at that follower's
 *       previous fetch (it then was caught up at the previous fetch's time).</li>
 *   <li>The high watermark is the smallest log end offset over the ISR, the leader included. While
 *       an ISR change is waiting for the metadata quorum, the ISR used is the union of the committed
 *       and the proposed one (the "maximal ISR"), so the watermark never counts on a replica that is
 *       not yet, or no longer, certainly in sync.</li>
 *   <li>The high watermark never decreases and does not move while the committed ISR is smaller than
 *       {@code min.insync.replicas}.</li>
 *   <li>An ISR member other than the leader that has not been caught up for longer than
 *       {@code replica.lag.time.max.ms} is proposed for removal; a replica outside the ISR whose log
 *       end offset reached the high watermark is proposed for addition. Proposals go to the
 *       controller as conditional changes; {@link #onIsrCommitted} applies the outcome.</li>
 * </ul>
 *
 * <p>Single-threaded, poll-driven, clock passed in: the partition's owner thread calls it.
 */
public final class LeaderReplicaTracker {
    private final int leaderId;
    private final List<Integer> replicas;
    private final int minInsyncReplicas;
    private final long replicaLagTimeMaxMs;
    private final Map<Integer, Follower> followers = new HashMap<>();

    private Set<Integer> isr;
    private Set<Integer> pendingIsr;
    private long leaderLogEndOffset;
    private long highWatermark;

    private static final class Follower {
        private long logEndOffset = -1;
        private long lastCaughtUpMs;
        private long lastFetchMs = -1;
        private long leaderEndOffsetAtLastFetch = -1;

        Follower(long lastCaughtUpMs) {
            this.lastCaughtUpMs = lastCaughtUpMs;
        }
    }

    /** Parameters fixed for one leadership term. */
    public record Settings(int leaderId, List<Integer> replicas, int minInsyncReplicas, long replicaLagTimeMaxMs) {
        public Settings {
            replicas = List.copyOf(replicas);
            if (!replicas.contains(leaderId)) {
                throw new IllegalArgumentException("leader " + leaderId + " is not a replica of " + replicas);
            }
        }
    }

    /**
     * Starts tracking on becoming leader. ISR followers count as caught up now: they get a full
     * lag period to show they still are before anyone is dropped.
     */
    public LeaderReplicaTracker(Settings settings, Set<Integer> isr, long logEndOffset, long highWatermark,
            long nowMs) {
        this.leaderId = settings.leaderId();
        this.replicas = settings.replicas();
        this.minInsyncReplicas = settings.minInsyncReplicas();
        this.replicaLagTimeMaxMs = settings.replicaLagTimeMaxMs();
        if (!isr.contains(leaderId) || !replicas.containsAll(isr)) {
            throw new IllegalArgumentException("ISR " + isr + " must contain leader " + leaderId
                    + " and be within replicas " + replicas);
        }
        if (highWatermark > logEndOffset) {
            throw new IllegalArgumentException("high watermark " + highWatermark + " above log end " + logEndOffset);
        }
        this.isr = Set.copyOf(isr);
        this.pendingIsr = this.isr;
        this.leaderLogEndOffset = logEndOffset;
        this.highWatermark = highWatermark;
        for (int replica : replicas) {
            if (replica != leaderId) {
                followers.put(replica, new Follower(isr.contains(replica) ? nowMs : -1));
            }
        }
    }

    /** The leader appended; its log now ends at {@code logEndOffset}. */
    public void onLeaderAppend(long logEndOffset) {
        if (logEndOffset < leaderLogEndOffset) {
            throw new IllegalStateException("leader log end went back from " + leaderLogEndOffset
                    + " to " + logEndOffset);
        }
        leaderLogEndOffset = logEndOffset;
    }

    /**
     * A follower fetched from {@code fetchOffset}, which is its log end offset: everything below it is
     * on the follower.
     *
     * @throws IllegalArgumentException for a replica that is not a follower of this partition, or an
     *                                  offset beyond the leader's log (the caller refuses those first)
     */
    public void onFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        Follower follower = followers.get(replicaId);
        if (follower == null) {
            throw new IllegalArgumentException("replica " + replicaId + " is not a follower of this partition");
        }
        if (fetchOffset > leaderLogEndOffset) {
            throw new IllegalArgumentException("replica " + replicaId + " fetches at " + fetchOffset
                    + " beyond the leader's log end " + leaderLogEndOffset);
        }
        if (fetchOffset >= leaderLogEndOffset) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, nowMs);
        } else if (follower.lastFetchMs >= 0 && fetchOffset >= follower.leaderEndOffsetAtLastFetch) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        }
        follower.logEndOffset = Math.max(follower.logEndOffset, fetchOffset);
        follower.lastFetchMs = nowMs;
        follower.leaderEndOffsetAtLastFetch = leaderLogEndOffset;
    }

    /**
     * Recomputes the high watermark.
     *
     * @return true if it advanced (delayed produces and fetches may now complete)
     */
    public boolean maybeAdvanceHighWatermark() {
        if (isr.size() < minInsyncReplicas) {
            return false;
        }
        long candidate = leaderLogEndOffset;
        for (int replica : maximalIsr()) {
            if (replica != leaderId) {
                candidate = Math.min(candidate, followers.get(replica).logEndOffset);
            }
        }
        if (candidate > highWatermark) {
            highWatermark = candidate;
            return true;
        }
        return false;
    }

    /** Followers to drop from the ISR now, or empty if none (or a change is already in flight). */
    public Optional<Set<Integer>> proposeIsrShrink(long nowMs) {
        if (!pendingIsr.equals(isr)) {
            return Optional.empty();
        }
        Set<Integer> keep = new TreeSet<>(isr);
        keep.removeIf(r -> r != leaderId && nowMs - followers.get(r).lastCaughtUpMs > replicaLagTimeMaxMs);
        return keep.size() == isr.size() ? Optional.empty() : Optional.of(Set.copyOf(keep));
    }

    /** The ISR with caught-up followers added, or empty if none (or a change is already in flight). */
    public Optional<Set<Integer>> proposeIsrExpand() {
        if (!pendingIsr.equals(isr)) {
            return Optional.empty();
        }
        Set<Integer> grown = new TreeSet<>(isr);
        followers.forEach((replica, f) -> {
            if (!isr.contains(replica) && f.logEndOffset >= highWatermark && f.logEndOffset >= 0) {
                grown.add(replica);
            }
        });
        return grown.size() == isr.size() ? Optional.empty() : Optional.of(Set.copyOf(grown));
    }

    /** An ISR change was sent to the controller; until it is decided the maximal ISR holds back the watermark. */
    public void onIsrChangeProposed(Set<Integer> proposed) {
        if (!proposed.contains(leaderId) || !replicas.containsAll(proposed)) {
            throw new IllegalArgumentException("proposed ISR " + proposed + " is not valid for replicas " + replicas);
        }
        pendingIsr = Set.copyOf(proposed);
    }

    /** The metadata quorum decided: {@code committedIsr} is the ISR now (the proposal, or what was there). */
    public void onIsrCommitted(Set<Integer> committedIsr) {
        if (!committedIsr.contains(leaderId)) {
            throw new IllegalArgumentException("committed ISR " + committedIsr + " lacks the leader " + leaderId);
        }
        isr = Set.copyOf(committedIsr);
        pendingIsr = isr;
    }

    /** The union of the committed and the proposed ISR. */
    public Set<Integer> maximalIsr() {
        Set<Integer> union = new TreeSet<>(isr);
        union.addAll(pendingIsr);
        return union;
    }

    /** Whether acks=all writes are accepted: the committed ISR has at least min.insync.replicas members. */
    public boolean hasMinInsyncReplicas() {
        return isr.size() >= minInsyncReplicas;
    }

    public Set<Integer> isr() {
        return isr;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long leaderLogEndOffset() {
        return leaderLogEndOffset;
    }

    /** A follower's last known log end offset, or -1 if it has not fetched this term. */
    public long followerLogEndOffset(int replicaId) {
        return followers.get(replicaId).logEndOffset;
    }
}
