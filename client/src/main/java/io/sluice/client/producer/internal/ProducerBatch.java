package io.sluice.client.producer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.producer.Callback;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records queued for one partition that travel together as one record batch. Open while
 * records are appended (under the accumulator's lock); closed when first drained, after which its
 * bytes never change except the idempotence stamp (producer id, epoch, base sequence), which is
 * written once at first send and rewritten only by an epoch bump for a batch the broker certainly
 * did not append. A retry sends the same bytes, so the broker can recognise a duplicate.
 *
 * <p>Send state (attempts, in flight, retry time, stamps) is touched only by the sender thread.
 * Completion runs each record's future and callback exactly once, in record order.
 */
public final class ProducerBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerBatch.class);

    /** One queued record's completion hooks. */
    private record Thunk(CompletableFuture<RecordMetadata> future, Callback callback, long timestampMs, int keySize,
            int valueSize) {
    }

    private final TopicPartition topicPartition;
    private final long createdMs;
    private final RecordBatchBuilder builder;
    private final List<Thunk> thunks = new ArrayList<>();
    private long reservedBytes;
    private boolean open = true;
    private ByteBuffer built;
    private boolean completed;

    // sender-thread state
    int attempts;
    long retryAtMs;
    /** The partition's leader epoch in the metadata when this batch was last sent; -1 if unknown. */
    int sentLeaderEpoch = -1;
    boolean inFlight;
    long sendOrder = -1;
    int baseSequence = -1;
    long producerId = -1;
    short producerEpoch = -1;
    /** An earlier attempt's outcome was unknown (timeout, lost connection): it may be in the log. */
    boolean possiblyAppended;
    SluiceException lastError;

    /** @param initialBytes room the batch starts with; an uncompressed batch that fits is never copied */
    ProducerBatch(TopicPartition topicPartition, CompressionType compression, long createdMs, int initialBytes) {
        this.topicPartition = topicPartition;
        this.createdMs = createdMs;
        this.builder = new RecordBatchBuilder(compression, TimestampType.CREATE_TIME, initialBytes);
    }

    /**
     * Appends a record if the batch is open and it fits within {@code batchSizeBytes} (the first
     * record always fits).
     *
     * @return false when the record must go into a new batch
     */
    boolean tryAppend(PendingRecord record, int batchSizeBytes) {
        if (!open) {
            return false;
        }
        if (builder.recordCount() > 0 && builder.estimatedSizeInBytes() + record.sizeUpperBound() > batchSizeBytes) {
            return false;
        }
        builder.append(record.timestampMs(), record.key(), record.value(), record.headers());
        thunks.add(new Thunk(record.future(), record.callback(), record.timestampMs(), sizeOf(record.key()),
                sizeOf(record.value())));
        reservedBytes += record.reservedBytes();
        return true;
    }

    private static int sizeOf(byte[] bytes) {
        return bytes == null ? -1 : bytes.length;
    }

    /** Whether the batch has reached {@code batchSizeBytes}. */
    boolean isFull(int batchSizeBytes) {
        return builder.estimatedSizeInBytes() >= batchSizeBytes;
    }

    /** Closes the batch to appends (it is being drained). */
    void close() {
        open = false;
    }

    /** Whether records may still be appended. */
    boolean isOpen() {
        return open;
    }

    /** Writes the idempotence stamp; it goes into the bytes at the next {@link #buffer()}. */
    void stamp(long pid, short epoch, int sequence) {
        this.producerId = pid;
        this.producerEpoch = epoch;
        this.baseSequence = sequence;
        if (built != null) {
            // A request still in flight (or abandoned in gRPC's buffers) may hold the old bytes:
            // they are sent without copying, so the new stamp goes into a copy.
            built = ByteBuffer.allocate(built.limit()).put(0, built, 0, built.limit());
            restamp(built, pid, epoch, sequence);
        }
    }

    /** Forgets the stamp (after an epoch bump): the next send stamps it anew. */
    void clearStamp() {
        this.producerId = -1;
        this.producerEpoch = -1;
        this.baseSequence = -1;
    }

    /** Whether the batch carries a sequence number. */
    boolean hasSequence() {
        return baseSequence >= 0;
    }

    /** The batch's bytes, built on first use; the same bytes on every retry. */
    ByteBuffer buffer() {
        if (built == null) {
            if (producerId >= 0) {
                builder.producer(producerId, producerEpoch, baseSequence);
            }
            built = builder.build();
        }
        return built.duplicate();
    }

    /** Rewrites producer id, epoch and base sequence in a built batch and fixes its CRC. */
    static void restamp(ByteBuffer batch, long pid, short epoch, int sequence) {
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, pid);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, epoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, sequence);
        long crc = RecordBatch.wrap(batch.duplicate()).computeCrc();
        batch.putInt(RecordBatch.CRC_OFFSET, (int) crc);
    }

    /** Completes every record with its offset ({@code baseOffset + index}, or -1 without one). */
    void complete(long baseOffset, long logAppendTimeMs) {
        if (completed) {
            return;
        }
        completed = true;
        for (int i = 0; i < thunks.size(); i++) {
            Thunk t = thunks.get(i);
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : t.timestampMs;
            RecordMetadata metadata = new RecordMetadata(topicPartition, offset, timestamp, t.keySize, t.valueSize);
            t.future.complete(metadata);
            runCallback(t.callback, metadata, null);
        }
    }

    /** Fails every record with {@code error}. */
    void fail(SluiceException error) {
        if (completed) {
            return;
        }
        completed = true;
        for (Thunk t : thunks) {
            t.future.completeExceptionally(error);
            runCallback(t.callback, null, error);
        }
    }

    private void runCallback(Callback callback, RecordMetadata metadata, Exception error) {
        if (callback == null) {
            return;
        }
        try {
            callback.onCompletion(metadata, error);
        } catch (RuntimeException e) {
            LOG.error("a send callback for {} threw; the producer carries on", topicPartition, e);
        }
    }

    /** The futures of this batch's records. */
    List<CompletableFuture<RecordMetadata>> futures() {
        List<CompletableFuture<RecordMetadata>> out = new ArrayList<>(thunks.size());
        for (Thunk t : thunks) {
            out.add(t.future);
        }
        return out;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    long createdMs() {
        return createdMs;
    }

    int recordCount() {
        return builder.recordCount();
    }

    /** Uncompressed size so far; the built size once built. */
    int estimatedBytes() {
        return built != null ? built.limit() : builder.estimatedSizeInBytes();
    }

    long reservedBytes() {
        return reservedBytes;
    }

    boolean isCompleted() {
        return completed;
    }

    @Override
    public String toString() {
        return "ProducerBatch[" + topicPartition + ", records=" + recordCount() + ", seq=" + baseSequence
                + ", attempts=" + attempts + "]";
    }
}
