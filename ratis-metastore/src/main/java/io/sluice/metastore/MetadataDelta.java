package io.sluice.metastore;

import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import java.util.List;

/**
 * One typed change that applying a metadata command (or installing a snapshot) made to the image.
 * Listeners receive them in log order inside a {@link MetadataUpdate}. A {@code previous} of null
 * means the thing was created; a {@code current} of null means it was removed. Immutable.
 */
public sealed interface MetadataDelta {

    /** The cluster id was fixed. */
    record ClusterInitialized(String clusterId) implements MetadataDelta {
    }

    /** A broker registered, changed state, or was unregistered. */
    record BrokerChanged(int brokerId, BrokerRecord previous, BrokerRecord current) implements MetadataDelta {
    }

    /** A topic was created; its partitions follow as {@link PartitionChanged} deltas. */
    record TopicCreated(TopicRecord topic) implements MetadataDelta {
    }

    /** A topic was deleted; its partitions follow as {@link PartitionChanged} deltas with no current value. */
    record TopicDeleted(TopicRecord topic) implements MetadataDelta {
    }

    /** A topic's config overrides changed. */
    record TopicConfigsChanged(TopicRecord previous, TopicRecord current) implements MetadataDelta {
    }

    /** A partition was created, changed (leader, ISR, replicas) or removed with its topic. */
    record PartitionChanged(TopicPartitionKey key, PartitionRecord previous, PartitionRecord current)
            implements MetadataDelta {

        /**
         * Whether {@code brokerId} leads the partition after this change and did not before at this
         * leader epoch: "you now lead P at epoch E".
         */
        public boolean becameLeader(int brokerId) {
            return current != null && current.getLeader() == brokerId
                    && (previous == null || previous.getLeader() != brokerId
                    || previous.getLeaderEpoch() != current.getLeaderEpoch());
        }

        /**
         * Whether {@code brokerId} is a replica but not the leader after this change, and the leader
         * or leader epoch changed (or the replica is new): "follow L at epoch E".
         */
        public boolean becameFollower(int brokerId) {
            if (current == null || current.getLeader() == brokerId || !current.getReplicasList().contains(brokerId)) {
                return false;
            }
            return previous == null || !previous.getReplicasList().contains(brokerId)
                    || previous.getLeader() == brokerId || previous.getLeaderEpoch() != current.getLeaderEpoch();
        }

        /** Whether {@code brokerId} held a replica before this change and holds none after it. */
        public boolean replicaRemoved(int brokerId) {
            boolean before = previous != null && previous.getReplicasList().contains(brokerId);
            boolean after = current != null && current.getReplicasList().contains(brokerId);
            return before && !after;
        }

        /** Whether the leader or the leader epoch changed. */
        public boolean leadershipChanged() {
            if (previous == null || current == null) {
                return true;
            }
            return previous.getLeader() != current.getLeader() || previous.getLeaderEpoch() != current.getLeaderEpoch();
        }
    }

    /** A consumer group was created, replaced or deleted. */
    record GroupChanged(String groupId, GroupRecord previous, GroupRecord current) implements MetadataDelta {
    }

    /** A group committed offsets (as applied, with the commit time the controller stamped). */
    record OffsetsCommitted(String groupId, List<OffsetRecord> offsets) implements MetadataDelta {
        public OffsetsCommitted {
            offsets = List.copyOf(offsets);
        }
    }

    /** Committed offsets were removed (group or topic deleted). */
    record OffsetsDeleted(String groupId, List<TopicPartitionKey> partitions) implements MetadataDelta {
        public OffsetsDeleted {
            partitions = List.copyOf(partitions);
        }
    }

    /** A block of producer ids was reserved for a broker. */
    record ProducerIdsAllocated(int brokerId, long firstProducerId, int size) implements MetadataDelta {
    }
}
