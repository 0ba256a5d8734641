package io.sluice.broker.replication;

import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.PartitionLog;
import java.util.Optional;

/**
 * The leader-epoch rules that find where a follower's log stops matching its leader's (Kafka
 * KIP-101 and KIP-279), as two pure functions over {@link PartitionLog}s, one per side.
 *
 * <p>Two logs agree on every offset below {@code o} when their last batches below {@code o} carry
 * the same leader epoch, because one epoch has one leader and a leader never rewrites its own log.
 * So the follower sends its log end offset and the epoch of its last batch; the leader answers with
 * the end of that epoch in its own log (or of the largest epoch below it) when that end is earlier,
 * and the follower truncates there and asks again. Each round removes at least one epoch from the
 * follower's suffix, so the exchange ends.
 *
 * <p>Stateless and thread-safe.
 */
public final class Divergence {
    private Divergence() {
    }

    /**
     * The leader's check of a follower's position.
     *
     * @param leaderLog        the leader's log
     * @param lastFetchedEpoch epoch of the follower's last batch, -1 if its log is empty
     * @param fetchOffset      the follower's log end offset
     * @return empty if the follower's log matches the leader's up to {@code fetchOffset}; otherwise
     *         where the follower must truncate: the largest leader epoch {@code <= lastFetchedEpoch}
     *         and its end offset on the leader, or epoch -1 with an offset the follower must not
     *         keep anything at or above
     */
    public static Optional<EpochEndOffset> check(PartitionLog leaderLog, int lastFetchedEpoch, long fetchOffset) {
        long leaderEnd = leaderLog.logEndOffset();
        if (lastFetchedEpoch < 0) {
            // An empty follower log (or one restarted at an offset) matches as long as it is not ahead.
            return fetchOffset > leaderEnd ? Optional.of(new EpochEndOffset(-1, leaderEnd)) : Optional.empty();
        }
        Optional<EpochEndOffset> end = leaderLog.endOffsetForEpoch(lastFetchedEpoch);
        if (end.isEmpty()) {
            // Every epoch the leader knows is newer than the follower's last one: nothing the
            // follower holds at or above the leader's log start can match.
            return Optional.of(new EpochEndOffset(-1, leaderLog.logStartOffset()));
        }
        EpochEndOffset epochEnd = end.get();
        if (epochEnd.epoch() < lastFetchedEpoch || epochEnd.endOffset() < fetchOffset) {
            return end;
        }
        return Optional.empty();
    }

    /**
     * The follower's answer to a divergence: the offset to truncate its log to.
     *
     * @param followerLog the follower's log
     * @param diverging   the leader's {@link #check} answer
     * @return the truncation offset, {@code <= followerLog.logEndOffset()}; it may lie below the
     *         follower's log start, in which case the follower must empty its log and restart there
     */
    public static long truncationOffset(PartitionLog followerLog, EpochEndOffset diverging) {
        long followerEnd = followerLog.logEndOffset();
        long target = Math.min(followerEnd, diverging.endOffset());
        if (diverging.epoch() < 0) {
            return target;
        }
        Optional<EpochEndOffset> own = followerLog.endOffsetForEpoch(diverging.epoch());
        if (own.isEmpty()) {
            // All of the follower's batches carry epochs above the leader's answer, epochs the
            // leader never had at these offsets: none of them can be kept.
            return Math.min(target, followerLog.logStartOffset());
        }
        // When the follower's own floor epoch is older than the leader's, its next epoch starts at
        // own.endOffset() and is unknown to the leader: cut there too.
        return Math.min(target, own.get().endOffset());
    }
}
