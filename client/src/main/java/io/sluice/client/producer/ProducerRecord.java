package io.sluice.client.producer;

import io.sluice.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record to send: the topic, optionally a partition (else the partitioner chooses: murmur2 of
 * the key, or sticky/round-robin without a key), optionally a timestamp (else the send time), a
 * key and a value (either may be null; a null value is a tombstone), and headers. Immutable.
 *
 * @param <K> key type
 * @param <V> value type
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestamp, K key, V value,
        List<Header> headers) {
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, was " + timestamp);
        }
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A record with a value only: no key, partition chosen by the partitioner, send time as timestamp. */
    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, List.of());
    }

    /** A keyed record: the key's murmur2 hash picks the partition. */
    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, List.of());
    }

    /** A record for a given partition. */
    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, List.of());
    }
}
