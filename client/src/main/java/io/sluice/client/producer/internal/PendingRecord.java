package io.sluice.client.producer.internal;

import io.sluice.client.producer.Callback;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A serialized record on its way into a batch: what {@code send()} hands to the accumulator.
 *
 * @param topic         the topic
 * @param partition     the partition the user asked for, or -1 to let the partitioner choose
 * @param timestampMs   the record's timestamp
 * @param key           serialized key or null
 * @param value         serialized value or null
 * @param headers       headers
 * @param future        completed when the record is acknowledged or fails
 * @param callback      the user's callback, or null
 * @param reservedBytes bytes reserved in the buffer pool for it
 * @param sendMs        monotonic time of the send (for the metadata wait bound)
 */
public record PendingRecord(String topic, int partition, long timestampMs, byte[] key, byte[] value,
        List<Header> headers, CompletableFuture<RecordMetadata> future, Callback callback, long reservedBytes,
        long sendMs) {
    /** Most bytes a record's varint framing can add to its key, value and headers. */
    private static final int RECORD_OVERHEAD_MAX = 36;
    private static final int HEADER_OVERHEAD_MAX = 10;

    /** An upper bound on the bytes this record takes in an uncompressed batch. */
    public int sizeUpperBound() {
        return sizeUpperBound(key, value, headers);
    }

    /** An upper bound on the bytes a record with these parts takes in an uncompressed batch. */
    public static int sizeUpperBound(byte[] key, byte[] value, List<Header> headers) {
        long size = RECORD_OVERHEAD_MAX + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            size += HEADER_OVERHEAD_MAX + h.key().getBytes(StandardCharsets.UTF_8).length
                    + (h.value() == null ? 0 : h.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }
}
