package io.sluice.broker.log.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.DiskSpaceGuard;
import io.sluice.broker.log.NoMappingLeaks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeros a segment writes ahead of its log end ({@code LogSegment.prepareAhead}): always covering
 * the next append, never further ahead than the lead or the mapping, never over a byte of data, and
 * again after a truncation.
 */
@ExtendWith(NoMappingLeaks.class)
class LogSegmentPrepareTest {
    private static final int SEGMENT_BYTES = 8 << 20;

    @TempDir
    Path dir;

    @Test
    void zerosRunAheadOfEveryAppendAndNeverOverData() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, 4096, 0);
        Random random = new Random(11);
        byte[] written = new byte[6 << 20];
        random.nextBytes(written);
        int end = 0;
        long offset = 0;
        try {
            while (end < written.length) {
                int size = Math.min(written.length - end, 1 + random.nextInt(64 * 1024));
                end = append(segment, written, end, size, offset++);
                long prepared = segment.preparedUpTo();
                long capacity = capacity(segment, end);
                assertTrue(prepared >= end, "prepared up to " + prepared + ", log end " + end);
                assertTrue(prepared <= capacity, "prepared up to " + prepared + " beyond the mapping " + capacity);
                assertTrue(prepared - end <= LogSegment.PREPARE_LEAD_BYTES, "prepared too far: " + prepared);
                if (end >= LogSegment.PREPARE_LEAD_BYTES && capacity - end >= LogSegment.PREPARE_LEAD_BYTES) {
                    assertTrue(prepared - end >= LogSegment.PREPARE_LEAD_BYTES / 2,
                            "a busy segment keeps at least half the lead: " + (prepared - end));
                }
                assertZeros(segment, end, prepared);
            }
            assertData(segment, written, end);
            // a cut, then appends again over the cut-off bytes: still only data where data was written
            int cut = end / 2;
            SegmentMapping mapping = segment.acquireForWrite(end, SEGMENT_BYTES, null, 0);
            try {
                segment.truncate(mapping, cut, offset / 2, -1, -1, 4096);
            } finally {
                segment.release(mapping);
            }
            random.nextBytes(written);
            end = cut;
            while (end < cut + (1 << 20)) {
                end = append(segment, written, end, 16 * 1024, offset++);
                assertZeros(segment, end, segment.preparedUpTo());
            }
            byte[] back = read(segment, cut, end - cut);
            byte[] expected = new byte[end - cut];
            System.arraycopy(written, cut, expected, 0, expected.length);
            assertArrayEquals(expected, back);
        } finally {
            segment.close();
        }
    }

    @Test
    void aSmallSegmentIsPreparedNoFurtherAheadThanItIsLong() throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, 4096, 0);
        try {
            byte[] batch = new byte[200];
            int end = append(segment, batch, 0, 100, 0);
            assertEquals(100 + 4096, segment.preparedUpTo());
            end = append(segment, batch, end, 100, 1);
            assertEquals(100 + 4096, segment.preparedUpTo(), "half the lead is still ahead: nothing written");
        } finally {
            segment.close();
        }
    }

    /** Writes {@code data[position..position + size)} at {@code position} as one "batch"; the new end. */
    private static int append(LogSegment segment, byte[] data, int position, int size, long offset) throws IOException {
        int end = position + size;
        SegmentMapping mapping = segment.acquireForWrite(end, SEGMENT_BYTES, DiskSpaceGuard.unlimited(), 0);
        try {
            mapping.write(position, ByteBuffer.wrap(data), position, size);
        } finally {
            segment.release(mapping);
        }
        segment.onAppended(position, offset, offset, 0, size);
        segment.publish(end, offset + 1);
        return end;
    }

    private static long capacity(LogSegment segment, int end) throws IOException {
        SegmentMapping mapping = segment.acquireForRead(end, 0);
        try {
            return mapping.capacity();
        } finally {
            segment.release(mapping);
        }
    }

    private static byte[] read(LogSegment segment, long from, int length) throws IOException {
        SegmentMapping mapping = segment.acquireForRead(Math.toIntExact(from + length), 0);
        try {
            byte[] back = new byte[length];
            mapping.copyTo(from, back, 0, length);
            return back;
        } finally {
            segment.release(mapping);
        }
    }

    private static void assertZeros(LogSegment segment, long from, long to) throws IOException {
        byte[] ahead = read(segment, from, Math.toIntExact(to - from));
        for (int i = 0; i < ahead.length; i++) {
            if (ahead[i] != 0) {
                throw new AssertionError("byte " + (from + i) + " ahead of the log end is " + ahead[i]);
            }
        }
    }

    private static void assertData(LogSegment segment, byte[] written, int end) throws IOException {
        assertArrayEquals(written, read(segment, 0, end));
    }
}
