package io.sluice.broker.partition;

/**
 * What a leader append did.
 *
 * @param baseOffset      offset of the batch's first record
 * @param lastOffset      offset of its last record; acks=all waits until the high watermark passes it
 * @param logAppendTimeMs the append time stamped for LogAppendTime topics, else -1
 * @param logStartOffset  the log start offset after the append
 * @param leaderEpoch     the epoch the leader appended in; a later epoch means the outcome is unknown
 * @param duplicate       the batch was a retry of one already in the log: nothing was appended and
 *                        the offsets are the original ones
 */
public record AppendResult(long baseOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
        int leaderEpoch, boolean duplicate) {
    /** The high watermark at which every record of the batch is committed. */
    public long requiredOffset() {
        return lastOffset + 1;
    }
}
