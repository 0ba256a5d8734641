package io.sluice.client.consumer;

import io.sluice.client.common.TopicPartition;
import io.sluice.record.Header;
import io.sluice.record.TimestampType;
import java.util.List;

/**
 * One record as {@code poll} returns it. Immutable.
 *
 * @param topicPartition      where it came from
 * @param offset              its offset in the partition
 * @param timestamp           milliseconds since the epoch; its meaning is {@code timestampType}
 * @param timestampType       the producer's create time, or the broker's append time
 * @param leaderEpoch         the leader epoch of the batch that held it (-1 if unknown)
 * @param key                 the deserialized key (may be null)
 * @param value               the deserialized value (null for a tombstone)
 * @param headers             headers, in order
 * @param serializedKeySize   bytes of the key, -1 for a null key
 * @param serializedValueSize bytes of the value, -1 for a null value
 * @param <K> key type
 * @param <V> value type
 */
public record ConsumerRecord<K, V>(TopicPartition topicPartition, long offset, long timestamp,
        TimestampType timestampType, int leaderEpoch, K key, V value, List<Header> headers, int serializedKeySize,
        int serializedValueSize) {
    /** The topic. */
    public String topic() {
        return topicPartition.topic();
    }

    /** The partition index. */
    public int partition() {
        return topicPartition.partition();
    }
}
