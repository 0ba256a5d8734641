package io.sluice.metastore;

import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * The whole cluster metadata at one point of the Raft log: cluster id, brokers, topics and their
 * partitions, consumer groups, committed offsets and the producer-id counter.
 *
 * <p>Immutable and thread-safe. Every collection is a persistent sorted map: applying a command
 * builds a new image that shares everything it did not change, so publishing an image after every
 * apply costs O(changes × log n), not a copy of all partitions or offsets. Iteration order is
 * canonical (brokers by id, topics by id, groups by id, offsets by topic id then partition), which
 * makes snapshots of equal images byte-equal.
 *
 * <p>Besides the state, the image keeps one derived index, kept in step by every change: for each
 * broker, the partitions whose ISR contains it (the controller needs it to fence a broker in
 * O(its partitions), and the invariant "a fenced broker is in no ISR" is a lookup).
 */
public final class MetadataImage {
    /** The image before any command: index 0, no cluster id. */
    public static final MetadataImage EMPTY = new MetadataImage(new Parts(0, 0, "", TreePMap.empty(),
            TreePMap.empty(), TreePMap.empty(), TreePMap.empty(), TreePMap.empty(), TreePMap.empty(), 0));

    /** The fields of an image; used by the builders in this module. */
    public record Parts(long lastAppliedIndex, long lastAppliedTerm, String clusterId,
            PSortedMap<Integer, BrokerRecord> brokers, PSortedMap<String, TopicImage> topicsById,
            PSortedMap<String, String> topicIdsByName, PSortedMap<Integer, PSortedSet<TopicPartitionKey>> isrIndex,
            PSortedMap<String, GroupRecord> groups,
            PSortedMap<String, PSortedMap<TopicPartitionKey, OffsetRecord>> offsets, long nextProducerId) {
        public Parts {
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    private final Parts parts;

    /** An image made of {@code parts}; the caller guarantees the derived index matches the state. */
    public MetadataImage(Parts parts) {
        this.parts = Objects.requireNonNull(parts, "parts");
    }

    /** The fields, for code that builds the next image. */
    public Parts parts() {
        return parts;
    }

    /** The same state tagged with a later log position (for log entries that change no state). */
    public MetadataImage withPosition(long index, long term) {
        if (index == parts.lastAppliedIndex && term == parts.lastAppliedTerm) {
            return this;
        }
        Parts p = parts;
        return new MetadataImage(new Parts(index, term, p.clusterId, p.brokers, p.topicsById, p.topicIdsByName,
                p.isrIndex, p.groups, p.offsets, p.nextProducerId));
    }

    /** Raft log index of the last entry this image reflects. */
    public long lastAppliedIndex() {
        return parts.lastAppliedIndex;
    }

    /** Raft term of the last entry this image reflects. */
    public long lastAppliedTerm() {
        return parts.lastAppliedTerm;
    }

    /** The cluster id, empty until InitCluster applied. */
    public String clusterId() {
        return parts.clusterId;
    }

    /** Every registered broker by id, ascending. */
    public Map<Integer, BrokerRecord> brokers() {
        return parts.brokers;
    }

    /** The broker's registration, or null. */
    public BrokerRecord broker(int brokerId) {
        return parts.brokers.get(brokerId);
    }

    /** Whether the broker is registered and ACTIVE (may lead and be in an ISR). */
    public boolean isActive(int brokerId) {
        BrokerRecord b = parts.brokers.get(brokerId);
        return b != null && b.getState() == BrokerState.BROKER_STATE_ACTIVE;
    }

    /** Ids of the ACTIVE brokers, ascending. */
    public List<Integer> activeBrokerIds() {
        List<Integer> ids = new ArrayList<>();
        for (BrokerRecord b : parts.brokers.values()) {
            if (b.getState() == BrokerState.BROKER_STATE_ACTIVE) {
                ids.add(b.getBrokerId());
            }
        }
        return ids;
    }

    /** Every topic by id, ascending. */
    public Map<String, TopicImage> topics() {
        return parts.topicsById;
    }

    /** The topic with this id, or null. */
    public TopicImage topic(String topicId) {
        return parts.topicsById.get(topicId);
    }

    /** The live topic with this name, or null. */
    public TopicImage topicByName(String name) {
        String id = parts.topicIdsByName.get(name);
        return id == null ? null : parts.topicsById.get(id);
    }

    /** Topic names to ids, by name. */
    public Map<String, String> topicIdsByName() {
        return parts.topicIdsByName;
    }

    /** The partition, or null. */
    public PartitionRecord partition(TopicPartitionKey key) {
        TopicImage topic = parts.topicsById.get(key.topicId());
        return topic == null ? null : topic.partition(key.partition());
    }

    /** The partition, or null. */
    public PartitionRecord partition(String topicId, int partition) {
        TopicImage topic = parts.topicsById.get(topicId);
        return topic == null ? null : topic.partition(partition);
    }

    /** The partitions whose ISR contains the broker (so also those it leads), ascending. */
    public Set<TopicPartitionKey> partitionsInIsr(int brokerId) {
        PSortedSet<TopicPartitionKey> set = parts.isrIndex.get(brokerId);
        return set == null ? TreePSet.empty() : set;
    }

    /** The broker → ISR-membership index (for invariant checks). */
    public Map<Integer, PSortedSet<TopicPartitionKey>> isrIndex() {
        return parts.isrIndex;
    }

    /** Total number of partitions (walks the topics: O(topics)). */
    public int partitionCount() {
        int n = 0;
        for (TopicImage t : parts.topicsById.values()) {
            n += t.partitionCount();
        }
        return n;
    }

    /** Every group by id. */
    public Map<String, GroupRecord> groups() {
        return parts.groups;
    }

    /** The group, or null. */
    public GroupRecord group(String groupId) {
        return parts.groups.get(groupId);
    }

    /** Committed offsets of a group by partition (empty map if none). */
    public Map<TopicPartitionKey, OffsetRecord> offsets(String groupId) {
        PSortedMap<TopicPartitionKey, OffsetRecord> m = parts.offsets.get(groupId);
        return m == null ? TreePMap.empty() : m;
    }

    /** Every group's committed offsets. */
    public Map<String, PSortedMap<TopicPartitionKey, OffsetRecord>> allOffsets() {
        return parts.offsets;
    }

    /** The committed offset, or null. */
    public OffsetRecord committedOffset(String groupId, TopicPartitionKey key) {
        PSortedMap<TopicPartitionKey, OffsetRecord> m = parts.offsets.get(groupId);
        return m == null ? null : m.get(key);
    }

    /** The next producer id the cluster will hand out. */
    public long nextProducerId() {
        return parts.nextProducerId;
    }

    /** Equal state (ignores the log position). */
    public boolean sameState(MetadataImage other) {
        Parts a = parts;
        Parts b = other.parts;
        return a.clusterId.equals(b.clusterId) && a.brokers.equals(b.brokers) && a.topicsById.equals(b.topicsById)
                && a.topicIdsByName.equals(b.topicIdsByName) && a.isrIndex.equals(b.isrIndex)
                && a.groups.equals(b.groups) && a.offsets.equals(b.offsets) && a.nextProducerId == b.nextProducerId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataImage other && parts.lastAppliedIndex == other.parts.lastAppliedIndex
                && parts.lastAppliedTerm == other.parts.lastAppliedTerm && sameState(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parts.lastAppliedIndex, parts.clusterId, parts.brokers.size(), parts.topicsById.size());
    }

    @Override
    public String toString() {
        return "MetadataImage{index=" + parts.lastAppliedIndex + ", term=" + parts.lastAppliedTerm + ", cluster="
                + parts.clusterId + ", brokers=" + parts.brokers.size() + ", topics=" + parts.topicsById.size()
                + ", groups=" + parts.groups.size() + "}";
    }
}
