package io.sluice.broker.replication;

/**
 * One partition of one topic, named by the topic's id (canonical UUID text) rather than its name, so
 * that a deleted and re-created topic is never mistaken for the old one. Immutable.
 */
public record TopicIdPartition(String topicId, int partition) {
    public TopicIdPartition {
        if (topicId == null || topicId.isEmpty()) {
            throw new IllegalArgumentException("topic id must be set");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
    }

    @Override
    public String toString() {
        return topicId + "-" + partition;
    }
}
