package io.sluice.broker.partition.internal;

import io.sluice.broker.log.LogReadResult;
import io.sluice.broker.log.PartitionLog;
import io.sluice.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Walks the headers of concatenated stored batches without decoding any record: what rebuilding
 * idempotent-producer state and scanning for timestamps need. Stateless and thread-safe.
 */
public final class BatchHeaders {
    /** Bytes read from a log per step of a scan. */
    static final int SCAN_CHUNK_BYTES = 1 << 20;

    private BatchHeaders() {
    }

    /** Receives one batch header. */
    @FunctionalInterface
    public interface Visitor {
        void visit(RecordBatch header);
    }

    /** Calls {@code visitor} for each whole batch in {@code batches} (which must hold only whole batches). */
    public static void forEach(ByteBuffer batches, Visitor visitor) {
        ByteBuffer b = batches.duplicate().order(ByteOrder.BIG_ENDIAN);
        int position = b.position();
        while (b.limit() - position >= RecordBatch.LOG_OVERHEAD) {
            int size = RecordBatch.LOG_OVERHEAD + b.getInt(position + RecordBatch.LENGTH_OFFSET);
            if (size < RecordBatch.HEADER_SIZE || size > b.limit() - position) {
                throw new IllegalStateException("malformed stored batch at byte " + position + " (size " + size + ")");
            }
            ByteBuffer one = b.duplicate();
            one.limit(position + size).position(position);
            visitor.visit(RecordBatch.wrap(one));
            position += size;
        }
    }

    /**
     * Calls {@code visitor} for each batch of {@code log} with offsets in {@code [from, to)}, reading
     * the log in chunks.
     */
    public static void scan(PartitionLog log, long from, long to, Visitor visitor) {
        long next = Math.max(from, log.logStartOffset());
        while (next < to) {
            LogReadResult read = log.read(next, SCAN_CHUNK_BYTES, to, true);
            if (read.sizeInBytes() == 0) {
                return;
            }
            long[] last = {next};
            forEach(read.records(), header -> {
                visitor.visit(header);
                last[0] = header.nextOffset();
            });
            if (last[0] <= next) {
                return;
            }
            next = last[0];
        }
    }
}
