package io.sluice.broker.log.internal;

import io.sluice.record.RecordBatch;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Reads a sealed segment's index files back, checking them against the segment, and rebuilds both
 * from the log when either is missing or fails a check. Stateless.
 */
final class IndexFiles {
    private IndexFiles() {
    }

    /** The offset index and the time index of {@code segment}, in that order. */
    static SparseIndex[] readOrRebuild(LogSegment segment, int indexIntervalBytes) throws IOException {
        SparseIndex[] read = readValid(segment.logFile(), segment.baseOffset(), segment.size(), segment.nextOffset());
        return read != null ? read : rebuild(segment, indexIntervalBytes);
    }

    /**
     * The saved indexes of the segment {@code logFile} if both exist and agree with a segment of
     * {@code size} bytes ending before {@code nextOffset}; otherwise null.
     */
    static SparseIndex[] readValid(Path logFile, long baseOffset, int size, long nextOffset) throws IOException {
        int lastRelativeOffset = (int) Math.max(0, nextOffset - 1 - baseOffset);
        SparseIndex offsets = read(LogSegment.sibling(logFile, LogSegment.INDEX_SUFFIX), SparseIndex.OFFSET_KEY_BYTES,
                Math.max(0, size - 1));
        SparseIndex times = read(LogSegment.sibling(logFile, LogSegment.TIME_INDEX_SUFFIX), SparseIndex.TIME_KEY_BYTES,
                lastRelativeOffset);
        boolean valid = offsets != null && times != null && offsets.lastKey() <= lastRelativeOffset
                && lastEntryMatches(logFile, baseOffset, size, offsets);
        return valid ? new SparseIndex[] {offsets, times} : null;
    }

    /** The largest timestamp recorded by a saved time index (its last entry), if the file is whole. */
    static OptionalLong lastTimestamp(Path logFile) throws IOException {
        Path file = LogSegment.sibling(logFile, LogSegment.TIME_INDEX_SUFFIX);
        int entry = SparseIndex.entryBytes(SparseIndex.TIME_KEY_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length % entry != 0) {
                return OptionalLong.empty();
            }
            if (length == 0) {
                return OptionalLong.of(-1);
            }
            ByteBuffer last = ByteBuffer.allocate(entry);
            readFully(channel, last, length - entry);
            return OptionalLong.of(last.getLong(0));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** Rebuilds both indexes by walking the segment's batch headers, and saves them. */
    static SparseIndex[] rebuild(LogSegment segment, int indexIntervalBytes) throws IOException {
        IndexBuilder builder = new IndexBuilder(segment.baseOffset(), indexIntervalBytes);
        SegmentScanner.Result result = new SegmentScanner().scan(segment.logFile(), segment.baseOffset(),
                Long.MAX_VALUE, Integer.MIN_VALUE, builder);
        if (result.validEnd() < segment.size()) {
            throw new IOException("segment " + segment.logFile() + " holds " + result.validEnd()
                    + " bytes of valid batches but should hold " + segment.size()
                    + (result.problem() == null ? "" : ": " + result.problem()));
        }
        builder.finish();
        AtomicFiles.writeUnsynced(segment.indexFile(), builder.offsets().toBytes());
        AtomicFiles.writeUnsynced(segment.timeIndexFile(), builder.times().toBytes());
        return new SparseIndex[] {builder.offsets(), builder.times()};
    }

    private static SparseIndex read(Path file, int keyBytes, int maxValue) throws IOException {
        try {
            return SparseIndex.parse(Files.readAllBytes(file), keyBytes, maxValue);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the last offset entry points at a batch header carrying the offset it claims. */
    private static boolean lastEntryMatches(Path logFile, long baseOffset, int size, SparseIndex offsets)
            throws IOException {
        if (offsets.count() == 0) {
            return true;
        }
        int position = offsets.lastValue();
        if (position + RecordBatch.HEADER_SIZE > size) {
            return false;
        }
        ByteBuffer header = ByteBuffer.allocate(Long.BYTES);
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            if (channel.size() < position + Long.BYTES) {
                return false;
            }
            readFully(channel, header, position);
        }
        return header.getLong(0) == baseOffset + offsets.lastKey();
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new EOFException(channel + " ends at byte " + at);
            }
            at += read;
        }
    }
}
