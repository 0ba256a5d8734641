package io.sluice.broker.log;

import io.sluice.record.CompressionType;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Batches for log tests: as producers send them, and as a leader stored them (for follower appends). */
final class TestBatches {
    private TestBatches() {
    }

    /** A producer's batch of {@code records} records with timestamps {@code timestampMs}, +1, +2, ... */
    static ByteBuffer batch(int records, long timestampMs) {
        return batch(records, timestampMs, 8);
    }

    /** A producer's batch whose values are {@code valueBytes} long. */
    static ByteBuffer batch(int records, long timestampMs, int valueBytes) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            new Random(timestampMs * 31 + i).nextBytes(value);
            builder.append(timestampMs + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return builder.build();
    }

    /** A batch as a leader stored it: offsets from {@code baseOffset}, stamped with {@code epoch}. */
    static ByteBuffer stored(long baseOffset, int epoch, int records, long timestampMs) {
        ByteBuffer batch = batch(records, timestampMs);
        RecordBatch.stampOffsetAndEpoch(batch, baseOffset, epoch);
        return batch;
    }

    /** Several stored batches back to back, as a fetch answer carries them. */
    static ByteBuffer concat(List<ByteBuffer> batches) {
        int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        batches.forEach(b -> out.put(b.duplicate()));
        return out.flip();
    }

    /** The batches of a read, each checked for its CRC. */
    static List<RecordBatch> validBatches(ByteBuffer records) {
        List<RecordBatch> out = new ArrayList<>();
        for (RecordBatch batch : RecordBatches.split(records)) {
            out.add(batch.validate(Integer.MAX_VALUE));
        }
        return out;
    }

    /** The records of a read, checking every batch's CRC. */
    static List<Record> records(ByteBuffer records) {
        return RecordBatches.records(records);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
