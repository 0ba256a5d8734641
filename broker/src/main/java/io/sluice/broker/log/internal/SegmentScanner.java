package io.sluice.broker.log.internal;

import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the batches of a segment file with plain positional reads (no mapping: the file may end in
 * the middle of a batch after a crash, which a mapping would turn into a SIGBUS). Used by recovery,
 * which checks every CRC from the recovery point on, and to rebuild lost indexes.
 *
 * <p>The walk stops at the first position that does not hold a valid batch: the end of the file, a
 * zeroed header (space mapped but never written), a batch cut short, a header that does not follow
 * its predecessor (offsets must be contiguous from the segment's base, epochs must not go down), or,
 * where checked, a CRC mismatch. Everything before that position is a valid prefix.
 *
 * <p>Not thread-safe; each scan opens and closes its own channel.
 */
public final class SegmentScanner {
    /** Receives each valid batch in order. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int position, long baseOffset, long lastOffset, int epoch, long maxTimestamp, int size);
    }

    /**
     * Where a scan stopped.
     *
     * @param validEnd   byte position after the last valid batch
     * @param nextOffset offset after the last valid batch (the segment's base offset when none)
     * @param lastEpoch  epoch of the last valid batch, or the epoch the scan started with
     * @param problem    why the walk stopped before the end of the file, or null if it reached the end
     *                   or a zeroed (never written) header
     */
    public record Result(int validEnd, long nextOffset, int lastEpoch, String problem) {
    }

    private final ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
    private ByteBuffer batch = ByteBuffer.allocate(64 * 1024);

    /**
     * Scans {@code file} from its start; see {@link #scan(Path, int, long, long, int, Visitor)}.
     */
    public Result scan(Path file, long baseOffset, long verifyFrom, int minEpoch, Visitor visitor) throws IOException {
        return scan(file, 0, baseOffset, verifyFrom, minEpoch, visitor);
    }

    /**
     * Scans {@code file} from byte {@code startPosition}, where a batch with base offset
     * {@code startOffset} must start (or the valid data end). Batches at or after {@code verifyFrom} are
     * read whole and their CRC and header fields checked ({@link RecordBatch#validate}); earlier ones only
     * have their header checked. Epochs must not fall below {@code minEpoch}.
     */
    public Result scan(Path file, int startPosition, long startOffset, long verifyFrom, int minEpoch, Visitor visitor)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            long position = startPosition;
            long expected = startOffset;
            int epoch = minEpoch;
            while (true) {
                String problem;
                if (length - position < RecordBatch.HEADER_SIZE) {
                    boolean clean = position <= length && isZero(channel, position, length);
                    problem = clean ? null : "partial header at byte " + position;
                    return new Result((int) position, expected, epoch, problem);
                }
                readFully(channel, header.clear(), position);
                int size = RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
                if (header.getInt(RecordBatch.LENGTH_OFFSET) == 0 && header.getLong(0) == 0) {
                    return new Result((int) position, expected, epoch, null);
                }
                problem = headerProblem(size, length - position, expected, epoch);
                if (problem == null && position >= verifyFrom) {
                    problem = crcProblem(channel, position, size);
                }
                if (problem != null) {
                    return new Result((int) position, expected, epoch, problem + " at byte " + position);
                }
                long last = expected + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
                epoch = header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET);
                long maxTimestamp = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
                visitor.visit((int) position, expected, last, epoch, maxTimestamp, size);
                position += size;
                expected = last + 1;
            }
        }
    }

    private String headerProblem(long size, long remaining, long expected, int minEpoch) {
        if (size < RecordBatch.HEADER_SIZE || size > remaining) {
            return "batch of " + size + " bytes with " + remaining + " left in the file";
        }
        if (header.getLong(RecordBatch.BASE_OFFSET_OFFSET) != expected) {
            return "batch offset " + header.getLong(RecordBatch.BASE_OFFSET_OFFSET) + " where " + expected
                    + " was expected";
        }
        if (header.get(RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC) {
            return "magic " + header.get(RecordBatch.MAGIC_OFFSET);
        }
        if (header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET) < 0) {
            return "negative last offset delta";
        }
        if (header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET) < minEpoch) {
            return "epoch " + header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET) + " after epoch " + minEpoch;
        }
        return null;
    }

    private String crcProblem(FileChannel channel, long position, int size) throws IOException {
        if (batch.capacity() < size) {
            batch = ByteBuffer.allocate(Math.max(size, batch.capacity() * 2));
        }
        batch.clear().limit(size);
        readFully(channel, batch, position);
        try {
            RecordBatch.wrap(batch.flip()).validate(Integer.MAX_VALUE);
            return null;
        } catch (RecordBatchException e) {
            return e.getMessage();
        }
    }

    private static boolean isZero(FileChannel channel, long position, long length) throws IOException {
        ByteBuffer rest = ByteBuffer.allocate((int) (length - position));
        readFully(channel, rest, position);
        for (int i = 0; i < rest.limit(); i++) {
            if (rest.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new EOFException("end of file at byte " + at);
            }
            at += read;
        }
    }
}
