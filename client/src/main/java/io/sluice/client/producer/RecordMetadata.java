package io.sluice.client.producer;

import io.sluice.client.common.TopicPartition;

/**
 * Where an acknowledged record was written. Immutable.
 *
 * @param topicPartition      the partition
 * @param offset              the record's offset, or -1 with {@code acks=none} (the broker does not say)
 * @param timestamp           the record's timestamp: the broker's append time for LogAppendTime topics,
 *                            otherwise the record's own (create) time
 * @param serializedKeySize   bytes of the serialized key, -1 for a null key
 * @param serializedValueSize bytes of the serialized value, -1 for a null value
 */
public record RecordMetadata(TopicPartition topicPartition, long offset, long timestamp, int serializedKeySize,
        int serializedValueSize) {
    /** The topic. */
    public String topic() {
        return topicPartition.topic();
    }

    /** The partition index. */
    public int partition() {
        return topicPartition.partition();
    }

    /** Whether the broker reported an offset (it does not with {@code acks=none}). */
    public boolean hasOffset() {
        return offset >= 0;
    }
}
