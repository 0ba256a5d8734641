package io.sluice.client.producer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to Sluice topics. Thread-safe: one producer is meant to be shared by every thread
 * of an application (it batches their records together). {@link SluiceProducer} is the
 * implementation.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Producer<K, V> extends AutoCloseable {
    /**
     * Queues a record and returns at once (unless buffer memory is full: then it blocks up to
     * {@code max.block.ms}). The future completes when the record is acknowledged as {@code acks}
     * requires, or fails (delivery timeout, a non-retriable error). Failures before queueing (a
     * record too large, no memory within {@code max.block.ms}, a closed producer) are reported
     * through the returned future too, never thrown, except for programming errors (null record).
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

    /** As {@link #send(ProducerRecord)}, and also calls {@code callback} on completion. */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /**
     * Sends every record queued so far without waiting for {@code linger.ms}, and blocks until each
     * has completed (successfully or not).
     */
    void flush();

    /** The partition indexes of {@code topic}, waiting up to {@code max.block.ms} for metadata. */
    List<Integer> partitionsFor(String topic);

    /** Closes after sending everything queued, waiting as long as it takes. */
    @Override
    void close();

    /**
     * Closes, waiting up to {@code timeout} for queued records to be sent; records still unsent then
     * fail. {@link Duration#ZERO} fails them at once.
     */
    void close(Duration timeout);
}
