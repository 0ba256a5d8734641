package io.sluice.broker.log.internal;

import io.sluice.broker.log.LogException;
import io.sluice.broker.log.LogReadResult;
import io.sluice.broker.log.TimestampOffset;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntSupplier;

/**
 * The read side of the Chronicle log: finds batches by offset or timestamp and copies whole batches
 * out of the mapped segments, one bulk copy per segment touched, into a buffer the caller owns.
 * Nothing is decoded record by record except to answer a timestamp query inside the one batch that
 * holds the answer.
 *
 * <p>Concurrency: a read takes a snapshot of the segments, holds a reference on each mapping it copies
 * from (so retention cannot unmap it underneath), and runs under an optimistic stamp of the log's
 * truncation lock: truncation is the only operation that rewrites bytes a reader may be allowed to
 * see, and it takes that lock exclusively. A read that overlapped a truncation is discarded and run
 * again holding the read lock. Thread-safe.
 */
public final class LogReader {
    /** The writer-published state a read starts from. */
    public interface View {
        long logEndOffset();

        SegmentList segments();
    }

    private static final int MAX_ATTEMPTS = 1000;
    private static final Object RETRY = new Object();

    private final View view;
    private final StampedLock truncationLock;
    private final Clock clock;
    private final IntSupplier indexIntervalBytes;

    public LogReader(View view, StampedLock truncationLock, Clock clock, IntSupplier indexIntervalBytes) {
        this.view = view;
        this.truncationLock = truncationLock;
        this.clock = clock;
        this.indexIntervalBytes = indexIntervalBytes;
    }

    /** See {@link io.sluice.broker.log.PartitionLog#read}. */
    public LogReadResult read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        return (LogReadResult) consistently(() -> readOnce(startOffset, maxBytes, maxOffset, minOneBatch));
    }

    /** See {@link io.sluice.broker.log.PartitionLog#offsetForTimestamp}. */
    @SuppressWarnings("unchecked")
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        return (Optional<TimestampOffset>) consistently(() -> findTimestampOnce(timestampMs));
    }

    @FunctionalInterface
    private interface Attempt {
        Object run() throws IOException;
    }

    /**
     * Runs {@code attempt} until it sees a stable log: first optimistically, then holding the read
     * lock. An attempt is also repeated when it failed while the segment list changed under it (a
     * segment it used was deleted by retention or deleteRecords, which publish the new list first).
     */
    private Object consistently(Attempt attempt) {
        for (int tries = 0; tries < MAX_ATTEMPTS; tries++) {
            boolean locked = tries > 0;
            long stamp = locked ? truncationLock.readLock() : truncationLock.tryOptimisticRead();
            SegmentList before = view.segments();
            try {
                Object outcome = attempt.run();
                if (outcome != RETRY && (locked || truncationLock.validate(stamp))) {
                    return outcome;
                }
            } catch (IOException | RuntimeException e) {
                boolean stable = (locked || truncationLock.validate(stamp)) && view.segments() == before;
                if (stable) {
                    throw e instanceof LogException le ? le : storageError("read failed: " + e.getMessage(), e);
                }
            } finally {
                if (locked) {
                    truncationLock.unlockRead(stamp);
                }
            }
        }
        throw storageError("no stable view of the log after " + MAX_ATTEMPTS + " attempts", null);
    }

    private Object readOnce(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        long logEndOffset = view.logEndOffset();
        SegmentList segments = view.segments();
        long logStartOffset = segments.logStartOffset();
        if (startOffset < logStartOffset || startOffset > logEndOffset) {
            throw new LogException(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "offset " + startOffset
                    + " is outside [" + logStartOffset + ", " + logEndOffset + "]");
        }
        int first = segments.floorIndex(startOffset);
        if (startOffset == logEndOffset || maxOffset <= startOffset || first < 0) {
            return new LogReadResult(ByteBuffer.allocate(0), logStartOffset, logEndOffset);
        }
        List<Range> ranges = new ArrayList<>(2);
        try {
            long total = 0;
            for (int i = first; i < segments.size(); i++) {
                LogSegment segment = segments.get(i);
                int end = segment.size();
                if (end == 0) {
                    continue;
                }
                SegmentMapping mapping = segment.acquireForRead(end, clock.monotonicMs());
                if (mapping == null) {
                    return RETRY;
                }
                Range range = new Range(segment, mapping);
                ranges.add(range);
                range.startAt(i == first ? positionOf(segment, mapping, end, startOffset) : 0);
                boolean more = range.extend(end, maxOffset, maxBytes - total, total == 0 && minOneBatch);
                total += range.bytes();
                if (!more) {
                    break;
                }
            }
            byte[] out = new byte[Math.toIntExact(total)];
            int at = 0;
            for (Range range : ranges) {
                range.mapping.copyTo(range.from, out, at, range.bytes());
                at += range.bytes();
            }
            return new LogReadResult(ByteBuffer.wrap(out), logStartOffset, logEndOffset);
        } finally {
            for (Range range : ranges) {
                range.segment.release(range.mapping);
            }
        }
    }

    /** Bytes {@code [from, to)} of one segment's mapping, grown batch by batch. */
    private static final class Range {
        final LogSegment segment;
        final SegmentMapping mapping;
        int from;
        int to;

        /** A range holding {@code mapping}, which the read releases whatever happens next. */
        Range(LogSegment segment, SegmentMapping mapping) {
            this.segment = segment;
            this.mapping = mapping;
        }

        void startAt(int position) {
            from = position;
            to = position;
        }

        int bytes() {
            return to - from;
        }

        /** Adds whole batches up to the segment end; false when a limit stopped it before the end. */
        boolean extend(int end, long maxOffset, long budget, boolean firstAlways) {
            while (to < end) {
                int size = checkedBatchSize(segment, mapping, to, end);
                long last = mapping.readLong(to) + mapping.readInt(to + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
                boolean allowed = bytes() + size <= budget || firstAlways && to == from;
                if (last >= maxOffset || !allowed) {
                    return false;
                }
                to += size;
            }
            return true;
        }
    }

    /** Position of the batch that holds {@code offset}, or {@code end} when the segment ends before it. */
    private int positionOf(LogSegment segment, SegmentMapping mapping, int end, long offset) throws IOException {
        long relative = offset - segment.baseOffset();
        int position = segment.offsetIndexForRead(indexIntervalBytes.getAsInt()).floorValue(relative, false, 0);
        while (position < end) {
            int size = checkedBatchSize(segment, mapping, position, end);
            long last = mapping.readLong(position) + mapping.readInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (last >= offset) {
                return position;
            }
            position += size;
        }
        return end;
    }

    private static int checkedBatchSize(LogSegment segment, SegmentMapping mapping, int position, int end) {
        if (end - position < RecordBatch.HEADER_SIZE) {
            throw corrupt(segment, position, "a header cut short");
        }
        int size = RecordBatch.LOG_OVERHEAD + mapping.readInt(position + RecordBatch.LENGTH_OFFSET);
        if (size < RecordBatch.HEADER_SIZE || size > end - position
                || mapping.readInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET) < 0) {
            throw corrupt(segment, position, "a malformed header (size " + size + ")");
        }
        return size;
    }

    private Object findTimestampOnce(long timestampMs) throws IOException {
        SegmentList segments = view.segments();
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            int end = segment.size();
            if (end == 0 || segment.maxTimestamp() < timestampMs) {
                continue;
            }
            SegmentMapping mapping = segment.acquireForRead(end, clock.monotonicMs());
            if (mapping == null) {
                return RETRY;
            }
            try {
                Optional<TimestampOffset> found = findInSegment(segment, mapping, end, timestampMs,
                        segments.logStartOffset());
                if (found.isPresent()) {
                    return found;
                }
            } finally {
                segment.release(mapping);
            }
        }
        return Optional.empty();
    }

    private Optional<TimestampOffset> findInSegment(LogSegment segment, SegmentMapping mapping, int end,
            long timestampMs, long logStartOffset) throws IOException {
        int relative = segment.timeIndexForRead(indexIntervalBytes.getAsInt()).floorValue(timestampMs, true, -1);
        int position = relative < 0 ? 0 : positionOf(segment, mapping, end, segment.baseOffset() + relative);
        while (position < end) {
            int size = checkedBatchSize(segment, mapping, position, end);
            long last = mapping.readLong(position) + mapping.readInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            long batchMaxTimestamp = mapping.readLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (last >= logStartOffset && batchMaxTimestamp >= timestampMs) {
                byte[] copy = new byte[size];
                mapping.copyTo(position, copy, 0, size);
                Optional<TimestampOffset> found = firstRecordAtOrAfter(RecordBatch.wrap(copy), timestampMs,
                        logStartOffset);
                if (found.isPresent()) {
                    return found;
                }
            }
            position += size;
        }
        return Optional.empty();
    }

    private static Optional<TimestampOffset> firstRecordAtOrAfter(RecordBatch batch, long timestampMs,
            long logStartOffset) {
        try {
            for (Record record : batch.records()) {
                if (record.offset() >= logStartOffset && record.timestampMs() >= timestampMs) {
                    return Optional.of(new TimestampOffset(record.offset(), record.timestampMs(),
                            batch.partitionLeaderEpoch()));
                }
            }
            return Optional.empty();
        } catch (RecordBatchException e) {
            throw new LogException(ErrorCode.ERROR_CODE_CORRUPT_BATCH, "stored batch " + batch + " cannot be decoded: "
                    + e.getMessage(), e);
        }
    }

    private static LogException corrupt(LogSegment segment, int position, String what) {
        return storageError("segment " + segment.logFile().getFileName() + " has " + what + " at byte " + position,
                null);
    }

    private static LogException storageError(String message, Throwable cause) {
        return new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, message, cause);
    }
}
