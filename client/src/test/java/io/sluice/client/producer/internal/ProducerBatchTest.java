package io.sluice.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.record.CompressionType;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProducerBatchTest {
    private static PendingRecord record(int i, int valueBytes) {
        byte[] value = new byte[valueBytes];
        value[0] = (byte) i;
        return new PendingRecord("t", 0, 1_000 + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value, List.of(),
                new CompletableFuture<>(), null, 0, 0);
    }

    /** Room for the whole batch, for part of it (the builder grows), and for less than the header. */
    @ParameterizedTest
    @ValueSource(ints = {64 * 1024, 300, 1})
    void theBuiltBatchIsValidWhateverRoomItStartedWith(int initialBytes) {
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 0), CompressionType.NONE, 0, initialBytes);
        for (int i = 0; i < 20; i++) {
            assertTrue(batch.tryAppend(record(i, 500), 64 * 1024));
        }
        RecordBatch built = RecordBatch.wrap(batch.buffer()).validate(Integer.MAX_VALUE);
        List<Record> records = built.records();
        assertEquals(20, records.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(1_000 + i, records.get(i).timestampMs());
            assertArrayEquals(record(i, 500).value(), records.get(i).value());
        }
        assertEquals(built.sizeInBytes(), batch.buffer().remaining());
    }

    @Test
    void stampingABuiltBatchLeavesTheBytesAlreadyHandedOutAlone() {
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 0), CompressionType.NONE, 0, 16 * 1024);
        batch.tryAppend(record(1, 100), 16 * 1024);
        batch.stamp(7, (short) 1, 40);
        ByteBuffer sent = batch.buffer();
        byte[] sentBytes = new byte[sent.remaining()];
        sent.duplicate().get(sentBytes);

        batch.stamp(7, (short) 2, 0);
        ByteBuffer resent = batch.buffer();

        byte[] afterwards = new byte[sent.remaining()];
        sent.duplicate().get(afterwards);
        assertArrayEquals(sentBytes, afterwards, "a request in flight keeps the bytes it was given");
        RecordBatch old = RecordBatch.wrap(sent).validate(Integer.MAX_VALUE);
        assertEquals(1, old.producerEpoch());
        assertEquals(40, old.baseSequence());
        RecordBatch restamped = RecordBatch.wrap(resent).validate(Integer.MAX_VALUE);
        assertEquals(7, restamped.producerId());
        assertEquals(2, restamped.producerEpoch());
        assertEquals(0, restamped.baseSequence());
    }
}
