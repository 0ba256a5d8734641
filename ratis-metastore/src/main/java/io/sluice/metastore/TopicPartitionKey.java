package io.sluice.metastore;

import java.util.Objects;

/**
 * Identifies one partition by its topic's id (not its name, which a deleted and re-created topic
 * reuses) and its 0-based index. Ordered by topic id, then index. Immutable.
 *
 * @param topicId   canonical UUID text of the topic
 * @param partition 0-based partition index
 */
public record TopicPartitionKey(String topicId, int partition) implements Comparable<TopicPartitionKey> {
    public TopicPartitionKey {
        Objects.requireNonNull(topicId, "topicId");
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartitionKey other) {
        int byTopic = topicId.compareTo(other.topicId);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topicId + "-" + partition;
    }
}
