package io.sluice.metastore;

import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import java.util.List;
import java.util.Objects;
import org.pcollections.PVector;

/**
 * One topic as the metadata image holds it: the topic record and its partitions in index order.
 * Immutable; the partition vector is persistent, so changing one partition shares the rest.
 *
 * @param topic      name, id and config overrides
 * @param partitions partition {@code i} at index {@code i}
 */
public record TopicImage(TopicRecord topic, PVector<PartitionRecord> partitions) {
    public TopicImage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(partitions, "partitions");
    }

    /** The topic's id. */
    public String id() {
        return topic.getTopicId();
    }

    /** The topic's name. */
    public String name() {
        return topic.getName();
    }

    /** Number of partitions. */
    public int partitionCount() {
        return partitions.size();
    }

    /** Partition {@code index}, or null if the topic has no such partition. */
    public PartitionRecord partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }

    /** The partitions as an unmodifiable list. */
    public List<PartitionRecord> partitionList() {
        return partitions;
    }
}
