package io.sluice.broker.log.internal;

import io.sluice.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes batches into a segment mapping: one bulk copy of the batch as received, then the header
 * fields the leader owns. Offsets and epoch lie outside the CRC, so stamping them costs two stores;
 * under LogAppendTime the attributes and max timestamp change inside the CRC, and the new CRC is
 * computed over the caller's bytes with those two fields substituted, without copying the batch.
 *
 * <p>Not thread-safe: one per log, used by its single writer (it keeps a scratch buffer).
 */
public final class BatchWriter {
    /** Attribute bit 3: the timestamp type is LogAppendTime ({@code docs/record-batch.md}). */
    private static final int LOG_APPEND_TIME_FLAG = 0x08;

    private final ByteBuffer field = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.BIG_ENDIAN);

    /**
     * Where a truncation cuts a segment.
     *
     * @param position            byte position of the first removed batch (the segment size if none)
     * @param offset              its base offset: the log end after the cut
     * @param maxTimestamp        the largest timestamp of the batches kept, -1 if none
     * @param lastBatchBaseOffset base offset of the last batch kept, -1 if none
     */
    public record Cut(int position, long offset, long maxTimestamp, long lastBatchBaseOffset) {
    }

    /** Copies {@code length} bytes of {@code source} from its index {@code sourceIndex} to {@code position}. */
    public void copy(SegmentMapping mapping, long position, ByteBuffer source, int sourceIndex, int length) {
        mapping.write(position, source, sourceIndex, length);
    }

    /** Writes the base offset and leader epoch into the batch at {@code position}. */
    public void stampLeaderFields(SegmentMapping mapping, long position, long baseOffset, int leaderEpoch) {
        mapping.writeLong(position + RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        mapping.writeInt(position + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
    }

    /**
     * Marks the batch at {@code position} (a copy of {@code original}'s remaining bytes) as LogAppendTime
     * with {@code appendTimeMs} as its max timestamp, and writes the CRC that makes it valid again.
     */
    public void stampLogAppendTime(SegmentMapping mapping, long position, ByteBuffer original, long appendTimeMs) {
        ByteBuffer batch = original.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = batch.position();
        int size = RecordBatch.LOG_OVERHEAD + batch.getInt(start + RecordBatch.LENGTH_OFFSET);
        short attributes = (short) (batch.getShort(start + RecordBatch.ATTRIBUTES_OFFSET) | LOG_APPEND_TIME_FLAG);
        CRC32C crc = new CRC32C();
        crc.update(field.clear().putShort(attributes).flip());
        crc.update(range(batch, start + RecordBatch.LAST_OFFSET_DELTA_OFFSET,
                start + RecordBatch.MAX_TIMESTAMP_OFFSET));
        crc.update(field.clear().putLong(appendTimeMs).flip());
        crc.update(range(batch, start + RecordBatch.PRODUCER_ID_OFFSET, start + size));
        mapping.writeShort(position + RecordBatch.ATTRIBUTES_OFFSET, attributes);
        mapping.writeLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, appendTimeMs);
        mapping.writeInt(position + RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }

    private static ByteBuffer range(ByteBuffer buffer, int from, int to) {
        ByteBuffer range = buffer.duplicate();
        range.limit(to).position(from);
        return range;
    }

    /**
     * Finds where truncating {@code segment} to {@code offset} cuts it: at the batch holding
     * {@code offset}, walking the headers from the segment start.
     */
    public static Cut findCut(SegmentMapping mapping, LogSegment segment, long offset) {
        int end = segment.size();
        int position = 0;
        long maxTimestamp = -1;
        long lastBase = -1;
        while (position < end) {
            long base = mapping.readLong(position + RecordBatch.BASE_OFFSET_OFFSET);
            long last = base + mapping.readInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (last >= offset) {
                return new Cut(position, base, maxTimestamp, lastBase);
            }
            maxTimestamp = Math.max(maxTimestamp, mapping.readLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET));
            lastBase = base;
            position += RecordBatch.LOG_OVERHEAD + mapping.readInt(position + RecordBatch.LENGTH_OFFSET);
        }
        return new Cut(end, segment.nextOffset(), maxTimestamp, lastBase);
    }
}
