package io.sluice.broker.log.internal;

/**
 * What a log knows to be on stable storage, and its start offset: every byte of the segments whose
 * base offset is below {@code segmentBaseOffset}, and the first {@code position} bytes of that
 * segment, were forced to disk with their file sizes; {@code offset} is the offset of the batch at
 * {@code position} (the segment's end offset when {@code position} is its size). Recovery after an
 * unclean stop trusts that prefix and checks everything after it.
 *
 * @param offset            the recovery point as an offset
 * @param segmentBaseOffset base offset of the segment holding it
 * @param position          its byte position in that segment
 * @param logStartOffset    the log start offset (records below it were deleted)
 */
public record RecoveryPoint(long offset, long segmentBaseOffset, int position, long logStartOffset) {
    /** A recovery point that trusts nothing: recovery checks the whole segment {@code base}. */
    public static RecoveryPoint startOf(long segmentBaseOffset, long logStartOffset) {
        return new RecoveryPoint(segmentBaseOffset, segmentBaseOffset, 0, logStartOffset);
    }

    /** This point with another log start offset. */
    public RecoveryPoint withLogStartOffset(long newLogStartOffset) {
        return new RecoveryPoint(offset, segmentBaseOffset, position, newLogStartOffset);
    }

    /** Whether this point lies after {@code other} in the log (a later segment or position). */
    public boolean isAfter(RecoveryPoint other) {
        return segmentBaseOffset > other.segmentBaseOffset
                || segmentBaseOffset == other.segmentBaseOffset && position > other.position;
    }
}
