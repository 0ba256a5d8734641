package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a buffer of concatenated record batches (a fetch answer, a segment) into batch views,
 * without copying. Every batch must be whole: a truncated last batch is an error here (a fetch
 * answer only ever holds whole batches; storage recovery handles partial tails itself).
 */
public final class RecordBatches {
    private RecordBatches() {
    }

    /** The batches in {@code buffer}'s remaining bytes, in order; none is validated beyond its length. */
    public static List<RecordBatch> split(ByteBuffer buffer) {
        ByteBuffer b = buffer.slice().order(ByteOrder.BIG_ENDIAN);
        List<RecordBatch> batches = new ArrayList<>();
        int position = 0;
        while (position < b.limit()) {
            if (b.limit() - position < RecordBatch.HEADER_SIZE) {
                throw RecordBatchException.invalid("truncated batch header at byte " + position);
            }
            long size = RecordBatch.LOG_OVERHEAD + (long) b.getInt(position + RecordBatch.LENGTH_OFFSET);
            if (size < RecordBatch.HEADER_SIZE || size > b.limit() - position) {
                throw RecordBatchException.invalid("batch at byte " + position + " claims " + size
                        + " bytes but " + (b.limit() - position) + " remain");
            }
            ByteBuffer one = b.duplicate();
            one.limit(position + (int) size).position(position);
            batches.add(RecordBatch.wrap(one));
            position += (int) size;
        }
        return batches;
    }

    /** Every record of every batch in {@code buffer}, checking each batch's CRC first. */
    public static List<Record> records(ByteBuffer buffer) {
        List<Record> out = new ArrayList<>();
        for (RecordBatch batch : split(buffer)) {
            batch.validate(Integer.MAX_VALUE);
            out.addAll(batch.records());
        }
        return out;
    }
}
