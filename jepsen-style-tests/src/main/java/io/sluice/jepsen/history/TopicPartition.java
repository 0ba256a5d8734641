package io.sluice.jepsen.history;

import java.util.Comparator;
import java.util.Objects;

/**
 * One partition of one topic, written {@code "<topic>-<partition>"} in histories (as Kafka prints
 * it); the topic may itself contain dashes, the partition number follows the last one.
 *
 * @param topic     the topic name, not empty
 * @param partition the partition number, from 0
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty() || partition < 0) {
            throw new IllegalArgumentException("bad topic-partition: '" + topic + "' " + partition);
        }
    }

    /** Parses {@code "<topic>-<partition>"}, refusing anything else. */
    public static TopicPartition parse(String text) {
        int dash = text.lastIndexOf('-');
        boolean digits = dash > 0 && dash < text.length() - 1
                && text.substring(dash + 1).chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new IllegalArgumentException("not a topic-partition: '" + text + "'");
        }
        try {
            return new TopicPartition(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a topic-partition: '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
