package io.sluice.broker.log.internal;

import io.sluice.broker.log.LogException;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The batches of a follower's append (or any replicated input), split and checked before anything is
 * written: whole batches only, each with a valid CRC and header ({@link RecordBatch#validate}),
 * offsets contiguous from the log end, epochs never going back. The checks are shared by every
 * {@link io.sluice.broker.log.PartitionLog}, so the logs agree on what they refuse. Immutable once built.
 */
public final class ReplicaBatches {
    private final ByteBuffer buffer;
    private int count;
    private int[] positions = new int[4];
    private int[] sizes = new int[4];
    private int[] epochs = new int[4];
    private long[] baseOffsets = new long[4];
    private long[] lastOffsets = new long[4];
    private long[] maxTimestamps = new long[4];
    private int totalBytes;
    private long maxTimestamp = -1;

    private ReplicaBatches(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * Splits and checks {@code input} (its remaining bytes), which must start at {@code expectedOffset}
     * with no epoch below {@code minEpoch}. The size limit is not applied: the leader enforced it, and
     * a lowered {@code max.message.bytes} must not stop a follower from copying what the leader took.
     *
     * @throws LogException INVALID_BATCH, CORRUPT_BATCH, UNSUPPORTED_*; the input is not modified
     */
    public static ReplicaBatches validate(ByteBuffer input, long expectedOffset, int minEpoch) {
        ReplicaBatches out = new ReplicaBatches(input.duplicate().order(ByteOrder.BIG_ENDIAN));
        ByteBuffer in = out.buffer;
        long expected = expectedOffset;
        int epochFloor = minEpoch;
        int position = in.position();
        while (position < in.limit()) {
            int remaining = in.limit() - position;
            if (remaining < RecordBatch.LOG_OVERHEAD) {
                throw invalid("partial batch: " + remaining + " trailing bytes");
            }
            long size = RecordBatch.LOG_OVERHEAD + (long) in.getInt(position + RecordBatch.LENGTH_OFFSET);
            if (size < RecordBatch.HEADER_SIZE || size > remaining) {
                throw invalid("partial or malformed batch at byte " + position + " (size " + size + ")");
            }
            ByteBuffer one = in.duplicate();
            one.limit(position + (int) size).position(position);
            RecordBatch view = validated(one, Integer.MAX_VALUE);
            if (view.baseOffset() != expected) {
                throw invalid("batch starts at offset " + view.baseOffset() + " but the log expects " + expected);
            }
            if (view.partitionLeaderEpoch() < epochFloor) {
                throw invalid("batch epoch " + view.partitionLeaderEpoch() + " is older than " + epochFloor);
            }
            out.add(position, view);
            expected = view.nextOffset();
            epochFloor = view.partitionLeaderEpoch();
            position += (int) size;
        }
        return out;
    }

    /**
     * Checks one batch as a leader does ({@link RecordBatch#validate} against {@code maxBatchBytes}) and
     * turns a codec error into a {@link LogException} with the same code.
     */
    public static RecordBatch validated(ByteBuffer batch, int maxBatchBytes) {
        try {
            return RecordBatch.wrap(batch).validate(maxBatchBytes);
        } catch (RecordBatchException e) {
            throw new LogException(e.errorCode(), e.getMessage(), e);
        }
    }

    private static LogException invalid(String message) {
        return new LogException(ErrorCode.ERROR_CODE_INVALID_BATCH, message);
    }

    private void add(int position, RecordBatch view) {
        if (count == positions.length) {
            int grown = count * 2;
            positions = Arrays.copyOf(positions, grown);
            sizes = Arrays.copyOf(sizes, grown);
            epochs = Arrays.copyOf(epochs, grown);
            baseOffsets = Arrays.copyOf(baseOffsets, grown);
            lastOffsets = Arrays.copyOf(lastOffsets, grown);
            maxTimestamps = Arrays.copyOf(maxTimestamps, grown);
        }
        positions[count] = position;
        sizes[count] = view.sizeInBytes();
        epochs[count] = view.partitionLeaderEpoch();
        baseOffsets[count] = view.baseOffset();
        lastOffsets[count] = view.lastOffset();
        maxTimestamps[count] = view.maxTimestamp();
        totalBytes += view.sizeInBytes();
        maxTimestamp = Math.max(maxTimestamp, view.maxTimestamp());
        count++;
    }

    /** The input buffer (big-endian view); batch {@code i} starts at its index {@link #position(int)}. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int count() {
        return count;
    }

    public int position(int i) {
        return positions[i];
    }

    public int size(int i) {
        return sizes[i];
    }

    public int epoch(int i) {
        return epochs[i];
    }

    public long baseOffset(int i) {
        return baseOffsets[i];
    }

    public long lastOffset(int i) {
        return lastOffsets[i];
    }

    public long maxTimestamp(int i) {
        return maxTimestamps[i];
    }

    /** Bytes of all batches. */
    public int totalBytes() {
        return totalBytes;
    }

    /** The largest batch timestamp, -1 if none. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Batch {@code i} as a read-only buffer of its own. */
    public ByteBuffer batch(int i) {
        ByteBuffer one = buffer.asReadOnlyBuffer();
        one.limit(positions[i] + sizes[i]).position(positions[i]);
        return one.slice();
    }
}
