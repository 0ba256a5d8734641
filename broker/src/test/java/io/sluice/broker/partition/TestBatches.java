package io.sluice.broker.partition;

import io.sluice.record.CompressionType;
import io.sluice.record.Record;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Record batches for tests: plain or idempotent, with string values, and their values read back. */
public final class TestBatches {
    private TestBatches() {
    }

    /** A batch without producer id holding {@code values}. */
    public static ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (String value : values) {
            builder.append(1_000, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A batch of an idempotent producer starting at {@code sequence}. */
    public static ByteBuffer idempotent(long producerId, int epoch, int sequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).producer(producerId, (short) epoch,
                sequence);
        for (String value : values) {
            builder.append(1_000, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A batch whose records carry the given timestamps (values "t" + timestamp). */
    public static ByteBuffer timed(long... timestamps) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (long ts : timestamps) {
            builder.append(ts, null, ("t" + ts).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** The values of every record in concatenated batches. */
    public static List<String> values(ByteBuffer batches) {
        List<String> out = new ArrayList<>();
        for (Record r : RecordBatches.records(batches)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The offsets of every record in concatenated batches. */
    public static List<Long> offsets(ByteBuffer batches) {
        List<Long> out = new ArrayList<>();
        for (Record r : RecordBatches.records(batches)) {
            out.add(r.offset());
        }
        return out;
    }
}
