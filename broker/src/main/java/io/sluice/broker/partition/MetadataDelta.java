package io.sluice.broker.partition;

import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of metadata changes for {@link ReplicaManager#applyMetadata}: records that were created
 * or changed, and what was deleted. Applied in this order: brokers, topics, partitions, deletions.
 *
 * @param brokers          broker registrations created or changed (endpoints, epochs, states)
 * @param removedBrokerIds brokers unregistered
 * @param topics           topics created or whose configs changed
 * @param partitions       partition records created or changed (any partition of the cluster: the
 *                         ones this broker does not host serve as leader hints)
 * @param deletedTopicIds  topics deleted, with all their partitions
 * @param fullImage        this delta is the whole metadata (start-up, snapshot): hosted replicas it
 *                         does not assign to this broker are deleted
 */
public record MetadataDelta(List<BrokerRecord> brokers, List<Integer> removedBrokerIds, List<TopicInfo> topics,
        List<PartitionRecord> partitions, List<String> deletedTopicIds, boolean fullImage) {
    public MetadataDelta {
        brokers = List.copyOf(brokers);
        removedBrokerIds = List.copyOf(removedBrokerIds);
        topics = List.copyOf(topics);
        partitions = List.copyOf(partitions);
        deletedTopicIds = List.copyOf(deletedTopicIds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects changes; not thread-safe. */
    public static final class Builder {
        private final List<BrokerRecord> brokers = new ArrayList<>();
        private final List<Integer> removedBrokerIds = new ArrayList<>();
        private final List<TopicInfo> topics = new ArrayList<>();
        private final List<PartitionRecord> partitions = new ArrayList<>();
        private final List<String> deletedTopicIds = new ArrayList<>();
        private boolean fullImage;

        public Builder broker(BrokerRecord broker) {
            brokers.add(broker);
            return this;
        }

        public Builder removeBroker(int brokerId) {
            removedBrokerIds.add(brokerId);
            return this;
        }

        public Builder topic(TopicInfo topic) {
            topics.add(topic);
            return this;
        }

        public Builder partition(PartitionRecord partition) {
            partitions.add(partition);
            return this;
        }

        public Builder deleteTopic(String topicId) {
            deletedTopicIds.add(topicId);
            return this;
        }

        public Builder fullImage(boolean full) {
            fullImage = full;
            return this;
        }

        public MetadataDelta build() {
            return new MetadataDelta(brokers, removedBrokerIds, topics, partitions, deletedTopicIds, fullImage);
        }
    }
}
