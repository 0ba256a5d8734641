package io.sluice.broker.group;

import java.util.Comparator;
import java.util.Objects;

/**
 * One partition of a topic, named by the topic's id (canonical UUID text) so that a topic deleted and
 * re-created under the same name is a different topic. Ordered by topic id, then partition. Immutable.
 *
 * @param topicId   the topic's id, non-empty
 * @param partition the partition index, 0-based
 */
public record TopicIdPartition(String topicId, int partition) implements Comparable<TopicIdPartition> {
    private static final Comparator<TopicIdPartition> ORDER = Comparator.comparing(TopicIdPartition::topicId)
            .thenComparingInt(TopicIdPartition::partition);

    public TopicIdPartition {
        Objects.requireNonNull(topicId, "topicId");
        if (topicId.isEmpty() || partition < 0) {
            throw new IllegalArgumentException("invalid partition " + topicId + "-" + partition);
        }
    }

    @Override
    public int compareTo(TopicIdPartition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topicId + "-" + partition;
    }
}
