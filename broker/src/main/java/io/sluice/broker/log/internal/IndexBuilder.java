package io.sluice.broker.log.internal;

/**
 * Adds the sparse index entries of one segment as its batches are appended or scanned, so that the
 * append path and a rebuild after a crash produce the same indexes: an offset entry (and a time
 * entry, when the segment's largest timestamp grew) for the first batch after every
 * {@code index.interval.bytes} of batches, and a last time entry when the segment is sealed.
 *
 * <p>Not thread-safe: owned by the segment's single writer. The indexes it fills are published for
 * concurrent readers by {@link SparseIndex} itself.
 */
public final class IndexBuilder implements SegmentScanner.Visitor {
    private final long baseOffset;
    private final int intervalBytes;
    private final SparseIndex offsets;
    private final SparseIndex times;
    private int bytesSinceEntry;
    private long maxTimestamp;
    private long lastBatchBaseOffset = -1;

    /** A builder for an empty segment. */
    public IndexBuilder(long baseOffset, int intervalBytes) {
        this(baseOffset, intervalBytes, new SparseIndex(SparseIndex.OFFSET_KEY_BYTES),
                new SparseIndex(SparseIndex.TIME_KEY_BYTES), -1);
    }

    /** A builder resuming after the batches that {@code offsets} and {@code times} already index. */
    public IndexBuilder(long baseOffset, int intervalBytes, SparseIndex offsets, SparseIndex times, long maxTimestamp) {
        this.baseOffset = baseOffset;
        this.intervalBytes = intervalBytes;
        this.offsets = offsets;
        this.times = times;
        this.maxTimestamp = maxTimestamp;
        this.bytesSinceEntry = offsets.count() == 0 && maxTimestamp < 0 ? 0 : intervalBytes;
    }

    @Override
    public void visit(int position, long batchBaseOffset, long lastOffset, int epoch, long batchMaxTimestamp,
            int size) {
        maxTimestamp = Math.max(maxTimestamp, batchMaxTimestamp);
        if (bytesSinceEntry >= intervalBytes) {
            int relative = (int) (batchBaseOffset - baseOffset);
            offsets.append(relative, position);
            maybeAddTimeEntry(relative);
            bytesSinceEntry = 0;
        }
        bytesSinceEntry += size;
        lastBatchBaseOffset = batchBaseOffset;
    }

    /** Adds the time entry that records the segment's largest timestamp, if it is not there yet. */
    public void finish() {
        if (lastBatchBaseOffset >= 0) {
            maybeAddTimeEntry((int) (lastBatchBaseOffset - baseOffset));
        }
    }

    private void maybeAddTimeEntry(int relativeOffset) {
        if (maxTimestamp >= 0 && maxTimestamp > times.lastKey() && relativeOffset >= times.lastValue()) {
            times.append(maxTimestamp, relativeOffset);
        }
    }

    /**
     * Forgets the entries at or after {@code position} / {@code offset} after the segment was cut there;
     * {@code newMaxTimestamp} and {@code newLastBatchBaseOffset} describe what is left (-1 for nothing).
     */
    public void truncate(int position, long offset, long newMaxTimestamp, long newLastBatchBaseOffset) {
        offsets.truncateToValuesBelow(position);
        times.truncateToValuesBelow((int) (offset - baseOffset));
        maxTimestamp = newMaxTimestamp;
        lastBatchBaseOffset = newLastBatchBaseOffset;
        bytesSinceEntry = intervalBytes;
    }

    public SparseIndex offsets() {
        return offsets;
    }

    public SparseIndex times() {
        return times;
    }

    /** The largest batch timestamp seen, -1 if none. */
    public long maxTimestamp() {
        return maxTimestamp;
    }
}
