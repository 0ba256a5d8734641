package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The log of one partition replica: an append-only sequence of record batches
 * ({@code docs/record-batch.md}) addressed by offset, with a leader-epoch history.
 *
 * <p>Offsets: records occupy {@code [logStartOffset(), logEndOffset())}. Batches are stored whole and
 * returned whole; a read that starts inside a batch returns that batch from its start. Every stored
 * batch carries the leader epoch of the leader that first appended it; the log keeps, for each epoch,
 * the offset of the first batch of that epoch (the leader-epoch history of Kafka's KIP-101/279),
 * which {@link #endOffsetForEpoch} answers from.
 *
 * <p>Threading: one writer (the partition's owner) calls the mutating methods; any number of readers
 * may call {@link #read} and the offset getters concurrently with it. A reader sees only whole
 * batches: never a partly appended one, never one that a concurrent truncation removed after the
 * read returned (the returned buffer belongs to the caller).
 *
 * <p>Errors are {@link LogException}s carrying a wire {@link io.sluice.proto.v1.ErrorCode}; none of
 * them leaves the log changed.
 */
public interface PartitionLog extends AutoCloseable {

    /** First offset still in the log (records below were deleted by retention or deleteRecords). */
    long logStartOffset();

    /** The offset the next appended record will get: one past the last record (the LEO). */
    long logEndOffset();

    /** Leader epoch of the newest entry in the epoch history, or -1 when the history is empty. */
    int latestEpoch();

    /**
     * The leader's append: validates one batch (magic, CRC32C, header consistency, size against
     * {@code max.message.bytes}), gives it offsets from {@link #logEndOffset()}, stamps
     * {@code leaderEpoch} (and {@code appendTimeMs} when the topic uses LogAppendTime), and appends it.
     * The batch buffer is not modified; the log stores a stamped copy.
     *
     * @throws LogException CORRUPT_BATCH, INVALID_BATCH, BATCH_TOO_LARGE, UNSUPPORTED_*, STORAGE_ERROR,
     *                      STORAGE_FULL; nothing was appended
     * @throws IllegalStateException when {@code leaderEpoch} is older than {@link #latestEpoch()} (a caller
     *                               bug: a leader's epoch never goes back); nothing was appended
     */
    AppendInfo appendAsLeader(ByteBuffer batch, int leaderEpoch, long appendTimeMs);

    /**
     * The follower's append: one or more whole batches as the leader stored them (offsets and epochs
     * already set), the first starting exactly at {@link #logEndOffset()}, offsets contiguous. Each
     * batch's CRC is checked. Epochs it has not seen are added to the epoch history.
     *
     * @throws LogException INVALID_BATCH (gap, overlap, partial batch), CORRUPT_BATCH, STORAGE_ERROR,
     *                      STORAGE_FULL; nothing was appended
     */
    AppendInfo appendAsFollower(ByteBuffer batches);

    /**
     * Reads whole batches, starting with the one that holds {@code startOffset}, in offset order.
     * Stops before the first batch whose last offset is {@code >= maxOffset} (the high watermark for
     * consumers, the log end for followers) and before the total passes {@code maxBytes}, except that
     * with {@code minOneBatch} the first batch is returned even when it alone is larger.
     *
     * @throws LogException OFFSET_OUT_OF_RANGE when {@code startOffset} is below the log start or above
     *                      the log end; STORAGE_ERROR
     */
    LogReadResult read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch);

    /**
     * Removes every batch with offsets at or above {@code offset} (a follower whose log diverged from
     * its leader's), and the epoch history entries that start at or above it. A no-op when
     * {@code offset >= logEndOffset()}. An {@code offset} inside a batch removes that batch too, so the
     * log end afterwards is that batch's base offset (never below {@link #logStartOffset()}).
     *
     * @throws IllegalArgumentException when {@code offset < logStartOffset()}
     */
    void truncateTo(long offset);

    /**
     * Empties the log and restarts it at {@code offset} (a follower whose leader's log start is past
     * this log's end).
     */
    void truncateFullyAndStartAt(long offset);

    /**
     * For divergence detection: the largest epoch in the history that is {@code <= epoch}, and the
     * offset where it ends (the start offset of the next epoch, or the log end for the latest one).
     * Empty when the history has no epoch {@code <= epoch}.
     */
    Optional<EpochEndOffset> endOffsetForEpoch(int epoch);

    /**
     * The earliest record whose timestamp is {@code >= timestampMs} (ListOffsets by time): its offset,
     * its timestamp and its batch's leader epoch. Empty when no record is that late.
     */
    Optional<TimestampOffset> offsetForTimestamp(long timestampMs);

    /**
     * Advances the log start offset to {@code offset} (DeleteRecords, or a follower adopting its
     * leader's log start). Whole segments below it are deleted; records below it become unreadable
     * at once. Never moves the log start backwards and never past the log end.
     *
     * @return the log start offset after the call
     */
    long deleteRecordsBefore(long offset);

    /**
     * Forces every appended batch to stable storage and records the recovery point, whatever the flush
     * policy (the policy only decides when the log does this by itself).
     */
    void flush();

    /**
     * Housekeeping the owner calls now and then: rolls the active segment by age, deletes whole
     * segments past {@code retention.ms} / {@code retention.bytes} that lie entirely below
     * {@code highWatermark}, applies the flush policy's interval. Never blocks readers in a segment.
     *
     * @return the number of segments deleted
     */
    int maintain(long nowMs, long highWatermark);

    /**
     * Keeps {@code state} beside the log until {@link #takeStopState}: what the log's owner knows about
     * the log as it is now, saved just before a clean close so that the next start need not work it
     * out again. Replaces earlier state; failing to save it loses nothing but that shortcut. The
     * default keeps nothing.
     */
    default void saveStopState(byte[] state) {
    }

    /**
     * The state last given to {@link #saveStopState}, removed from storage for good before it is
     * returned, so that it can only ever describe the log as it was when it was saved. The owner
     * still checks that it matches the log (its bounds). Empty if there is none (the default).
     */
    default Optional<byte[]> takeStopState() {
        return Optional.empty();
    }

    /** Closes the log cleanly: flushes, saves the recovery point, releases every mapping. */
    @Override
    void close();
}
