package io.sluice.broker.log.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable snapshot of a log's segments, oldest first (the last one is the active segment), and
 * its log start offset. The writer publishes a new snapshot whenever either changes (roll, retention,
 * truncation, deleteRecords); readers take one snapshot per read. Thread-safe (immutable).
 */
public final class SegmentList {
    private final LogSegment[] segments;
    private final long logStartOffset;

    public SegmentList(List<LogSegment> segments, long logStartOffset) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a log always has an active segment");
        }
        this.segments = segments.toArray(new LogSegment[0]);
        this.logStartOffset = logStartOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public int size() {
        return segments.length;
    }

    public LogSegment get(int index) {
        return segments[index];
    }

    public LogSegment active() {
        return segments[segments.length - 1];
    }

    /** The segments as a new mutable list. */
    public List<LogSegment> toList() {
        return new ArrayList<>(Arrays.asList(segments));
    }

    /** Index of the last segment whose base offset is {@code <= offset}, or -1. */
    public int floorIndex(long offset) {
        int low = 0;
        int high = segments.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (segments[mid].baseOffset() <= offset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** This list with another log start offset. */
    public SegmentList withLogStartOffset(long offset) {
        return new SegmentList(Arrays.asList(segments), offset);
    }

    /** Total bytes of all segments. */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments) {
            total += segment.size();
        }
        return total;
    }
}
