package io.sluice.client.common;

import java.util.Objects;

/**
 * A partition of a topic: the unit of ordering, assignment and offsets. Immutable.
 *
 * @param topic     the topic's name, never empty
 * @param partition the partition index, 0-based
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic name must not be empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    /** {@code topic-partition}, as Kafka prints it. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
