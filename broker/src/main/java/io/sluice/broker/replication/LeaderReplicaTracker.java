package io.sluice.broker.replication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The leader's view of its followers for one partition: each follower's log end offset and when it
 * was last caught up, the in-sync replica set, and the high watermark derived from them (Kafka's ISR
 * model; see docs/replication.md).
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
 *       {@code replica.lag.time.max.ms} is proposed for removal; an eligible replica outside the ISR
 *       whose log end offset reached both the high watermark and the offset where this leader's
 *       epoch began (so its log provably matches this leader's), and that was caught up within the
 *       lag limit (so it would not be dropped again at once), is proposed for addition.
 *       Proposals go to the controller as conditional changes; {@link #onIsrCommitted} applies the
 *       outcome.</li>
 *   <li>The low watermark (DeleteRecords) is the smallest log start offset over the ISR members
 *       whose log start is known.</li>
 * </ul>
 *
 * <p>Single-threaded, poll-driven, clock passed in: the partition's owner thread calls it.
 */
public final class LeaderReplicaTracker {
    private final int leaderId;
    private final long epochStartOffset;
    private final Map<Integer, Follower> followers = new HashMap<>();
    private List<Integer> replicas;
    private int minInsyncReplicas;
    private long replicaLagTimeMaxMs;

    private Set<Integer> isr;
    private Set<Integer> pendingIsr;
    private long leaderLogEndOffset;
    private long highWatermark;

    private static final class Follower {
        private long logEndOffset = -1;
        private long logStartOffset = -1;
        private long lastCaughtUpMs;
        private long lastFetchMs = -1;
        private long leaderEndOffsetAtLastFetch = -1;

        Follower(long lastCaughtUpMs) {
            this.lastCaughtUpMs = lastCaughtUpMs;
        }
    }

    /** Parameters of one leadership term; {@link #reconfigure} changes them within the term. */
    public record Settings(int leaderId, List<Integer> replicas, int minInsyncReplicas, long replicaLagTimeMaxMs) {
        public Settings {
            replicas = List.copyOf(replicas);
            if (!replicas.contains(leaderId)) {
                throw new IllegalArgumentException("leader " + leaderId + " is not a replica of " + replicas);
            }
        }
    }

    /**
     * Starts tracking on becoming leader, when the leader's log ends at {@code logEndOffset} (where
     * its epoch begins). ISR followers count as caught up now: they get a full lag period to show
     * they still are before anyone is dropped.
     */
    public LeaderReplicaTracker(Settings settings, Set<Integer> isr, long logEndOffset, long highWatermark,
            long nowMs) {
        this(settings, isr, logEndOffset, logEndOffset, highWatermark, nowMs);
    }

    /**
     * Starts tracking again within a term (the replica set changed), keeping the offset where the
     * term's epoch began.
     */
    public LeaderReplicaTracker(Settings settings, Set<Integer> isr, long logEndOffset, long epochStartOffset,
            long highWatermark, long nowMs) {
        this.leaderId = settings.leaderId();
        this.epochStartOffset = epochStartOffset;
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

    /**
     * Changes the replica set, min.insync.replicas or lag limit within the term. Followers that stay
     * keep their progress; new ones start unknown; the ISR must still lie within the replicas.
     */
    public void reconfigure(Settings settings) {
        if (settings.leaderId() != leaderId) {
            throw new IllegalArgumentException("the leader cannot change within a term: " + settings);
        }
        if (!settings.replicas().containsAll(maximalIsr())) {
            throw new IllegalArgumentException("replicas " + settings.replicas() + " must contain the ISR "
                    + maximalIsr());
        }
        replicas = settings.replicas();
        minInsyncReplicas = settings.minInsyncReplicas();
        replicaLagTimeMaxMs = settings.replicaLagTimeMaxMs();
        followers.keySet().retainAll(replicas);
        for (int replica : replicas) {
            if (replica != leaderId) {
                followers.putIfAbsent(replica, new Follower(-1));
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
     * on the follower. {@code logStartOffset} is the follower's log start (-1 if it did not say).
     *
     * @throws IllegalArgumentException for a replica that is not a follower of this partition, or an
     *                                  offset beyond the leader's log (the caller refuses those first)
     */
    public void onFollowerFetch(int replicaId, long fetchOffset, long logStartOffset, long nowMs) {
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
        // The divergence check ran before this call, so the follower's log matches up to fetchOffset;
        // a smaller offset than before means it truncated (e.g. restarted), and that is the truth now.
        follower.logEndOffset = fetchOffset;
        follower.logStartOffset = logStartOffset;
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

    /**
     * The ISR with caught-up followers that {@code eligible} accepts (e.g. unfenced brokers) added,
     * or empty if none (or a change is already in flight).
     */
    public Optional<Set<Integer>> proposeIsrExpand(long nowMs, IntPredicate eligible) {
        if (!pendingIsr.equals(isr)) {
            return Optional.empty();
        }
        Set<Integer> grown = new TreeSet<>(isr);
        followers.forEach((replica, f) -> {
            if (!isr.contains(replica) && isCaughtUp(f, nowMs) && eligible.test(replica)) {
                grown.add(replica);
            }
        });
        return grown.size() == isr.size() ? Optional.empty() : Optional.of(Set.copyOf(grown));
    }

    /** Whether {@code replicaId}, outside the ISR, has caught up enough to be proposed for it. */
    public boolean isExpansionCandidate(int replicaId, long nowMs) {
        Follower follower = followers.get(replicaId);
        return follower != null && !isr.contains(replicaId) && isCaughtUp(follower, nowMs);
    }

    /**
     * In sync by offsets (it has everything committed and everything since this epoch began) and by
     * time (it was caught up within the lag limit, so it would not be dropped again at once).
     */
    private boolean isCaughtUp(Follower follower, long nowMs) {
        return follower.logEndOffset >= 0 && follower.logEndOffset >= highWatermark
                && follower.logEndOffset >= epochStartOffset
                && follower.lastCaughtUpMs >= 0 && nowMs - follower.lastCaughtUpMs <= replicaLagTimeMaxMs;
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
        if (!committedIsr.contains(leaderId) || !replicas.containsAll(committedIsr)) {
            throw new IllegalArgumentException("committed ISR " + committedIsr + " must contain the leader "
                    + leaderId + " and be within replicas " + replicas);
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

    /**
     * The smallest log start offset over the ISR: records below it are gone from every in-sync
     * replica. Followers that have not reported theirs this term are left out.
     */
    public long lowWatermark(long leaderLogStartOffset) {
        long low = leaderLogStartOffset;
        for (int replica : maximalIsr()) {
            Follower follower = followers.get(replica);
            if (follower != null && follower.logStartOffset >= 0) {
                low = Math.min(low, follower.logStartOffset);
            }
        }
        return low;
    }

    /** Whether a change of the ISR was proposed and not yet decided. */
    public boolean hasPendingIsrChange() {
        return !pendingIsr.equals(isr);
    }

    /** The offset where this leader's epoch began: its log end when it became leader. */
    public long epochStartOffset() {
        return epochStartOffset;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
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
