package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.PVector;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;
import org.pcollections.TreePVector;

/**
 * A change being built on top of one {@link MetadataImage}: mutators replace entries of the
 * persistent maps and record a typed {@link MetadataDelta} for each; {@link #build} makes the next
 * image. Abandoning a transaction (a business failure) leaves the base image untouched, because the
 * maps are persistent: that is how apply stays all-or-nothing. Keeps the broker→ISR index in step.
 * Not thread-safe; lives for one apply.
 */
public final class MetadataTxn {
    private final MetadataImage base;
    private String clusterId;
    private PSortedMap<Integer, BrokerRecord> brokers;
    private PSortedMap<String, TopicImage> topicsById;
    private PSortedMap<String, String> topicIdsByName;
    private PSortedMap<Integer, PSortedSet<TopicPartitionKey>> isrIndex;
    private PSortedMap<String, GroupRecord> groups;
    private PSortedMap<String, PSortedMap<TopicPartitionKey, OffsetRecord>> offsets;
    private long nextProducerId;
    private final List<MetadataDelta> deltas = new ArrayList<>();

    /** A transaction on {@code base}. */
    public MetadataTxn(MetadataImage base) {
        this.base = base;
        MetadataImage.Parts p = base.parts();
        clusterId = p.clusterId();
        brokers = p.brokers();
        topicsById = p.topicsById();
        topicIdsByName = p.topicIdsByName();
        isrIndex = p.isrIndex();
        groups = p.groups();
        offsets = p.offsets();
        nextProducerId = p.nextProducerId();
    }

    /** The image the transaction started from. */
    public MetadataImage base() {
        return base;
    }

    /** The state as changed so far, at the base's position (for reads during an apply). */
    public MetadataImage current() {
        return build(base.lastAppliedIndex(), base.lastAppliedTerm());
    }

    /** The next image, tagged with the given log position. */
    public MetadataImage build(long index, long term) {
        return new MetadataImage(new MetadataImage.Parts(index, term, clusterId, brokers, topicsById, topicIdsByName,
                isrIndex, groups, offsets, nextProducerId));
    }

    /** The deltas recorded so far, in order. */
    public List<MetadataDelta> deltas() {
        return deltas;
    }

    public String clusterId() {
        return clusterId;
    }

    public void setClusterId(String id) {
        clusterId = id;
        deltas.add(new MetadataDelta.ClusterInitialized(id));
    }

    public BrokerRecord broker(int brokerId) {
        return brokers.get(brokerId);
    }

    /** Sets (or, with null, removes) a broker's registration. */
    public void putBroker(int brokerId, BrokerRecord record) {
        BrokerRecord previous = brokers.get(brokerId);
        brokers = record == null ? brokers.minus(brokerId) : brokers.plus(brokerId, record);
        deltas.add(new MetadataDelta.BrokerChanged(brokerId, previous, record));
    }

    public TopicImage topic(String topicId) {
        return topicsById.get(topicId);
    }

    public String topicIdByName(String name) {
        return topicIdsByName.get(name);
    }

    public PartitionRecord partition(String topicId, int index) {
        TopicImage t = topicsById.get(topicId);
        return t == null ? null : t.partition(index);
    }

    /** Adds a topic and its partitions. */
    public void createTopic(TopicRecord topic, List<PartitionRecord> partitions) {
        topicsById = topicsById.plus(topic.getTopicId(), new TopicImage(topic, TreePVector.empty()));
        topicIdsByName = topicIdsByName.plus(topic.getName(), topic.getTopicId());
        deltas.add(new MetadataDelta.TopicCreated(topic));
        for (PartitionRecord p : partitions) {
            appendPartition(p);
        }
    }

    /** Adds the next partition of an existing topic (its index must equal the current count). */
    public void appendPartition(PartitionRecord p) {
        TopicImage t = topicsById.get(p.getTopicId());
        if (t == null || p.getPartition() != t.partitionCount()) {
            throw new IllegalStateException("partition " + p.getPartition() + " does not extend topic "
                    + p.getTopicId());
        }
        topicsById = topicsById.plus(t.id(), new TopicImage(t.topic(), t.partitions().plus(p)));
        TopicPartitionKey key = new TopicPartitionKey(p.getTopicId(), p.getPartition());
        indexIsr(key, List.of(), p.getIsrList());
        deltas.add(new MetadataDelta.PartitionChanged(key, null, p));
    }

    /** Replaces an existing partition's record. */
    public void putPartition(PartitionRecord p) {
        TopicImage t = topicsById.get(p.getTopicId());
        PartitionRecord previous = t.partition(p.getPartition());
        PVector<PartitionRecord> parts = t.partitions().with(p.getPartition(), p);
        topicsById = topicsById.plus(t.id(), new TopicImage(t.topic(), parts));
        TopicPartitionKey key = new TopicPartitionKey(p.getTopicId(), p.getPartition());
        indexIsr(key, previous.getIsrList(), p.getIsrList());
        deltas.add(new MetadataDelta.PartitionChanged(key, previous, p));
    }

    /** Replaces a topic's record (configs); partitions are kept. */
    public void putTopicRecord(TopicRecord topic) {
        TopicImage t = topicsById.get(topic.getTopicId());
        topicsById = topicsById.plus(t.id(), new TopicImage(topic, t.partitions()));
        deltas.add(new MetadataDelta.TopicConfigsChanged(t.topic(), topic));
    }

    /** Removes a topic, its partitions and every group's committed offsets of it. */
    public void deleteTopic(String topicId) {
        TopicImage t = topicsById.get(topicId);
        topicsById = topicsById.minus(topicId);
        topicIdsByName = topicIdsByName.minus(t.name());
        deltas.add(new MetadataDelta.TopicDeleted(t.topic()));
        for (PartitionRecord p : t.partitions()) {
            TopicPartitionKey key = new TopicPartitionKey(topicId, p.getPartition());
            indexIsr(key, p.getIsrList(), List.of());
            deltas.add(new MetadataDelta.PartitionChanged(key, p, null));
        }
        TopicPartitionKey from = new TopicPartitionKey(topicId, 0);
        TopicPartitionKey to = new TopicPartitionKey(topicId, Integer.MAX_VALUE);
        for (String groupId : offsets.keySet()) {
            PSortedMap<TopicPartitionKey, OffsetRecord> groupOffsets = offsets.get(groupId);
            List<TopicPartitionKey> removed = new ArrayList<>(groupOffsets.subMap(from, true, to, true).keySet());
            if (!removed.isEmpty()) {
                removeOffsets(groupId, removed);
            }
        }
    }

    public GroupRecord group(String groupId) {
        return groups.get(groupId);
    }

    /** Sets (or, with null, removes) a group. */
    public void putGroup(String groupId, GroupRecord group) {
        GroupRecord previous = groups.get(groupId);
        groups = group == null ? groups.minus(groupId) : groups.plus(groupId, group);
        deltas.add(new MetadataDelta.GroupChanged(groupId, previous, group));
    }

    /** The group's committed offsets (empty if none). */
    public PSortedMap<TopicPartitionKey, OffsetRecord> offsets(String groupId) {
        PSortedMap<TopicPartitionKey, OffsetRecord> m = offsets.get(groupId);
        return m == null ? TreePMap.empty() : m;
    }

    /** Stores committed offsets of one group. */
    public void commitOffsets(String groupId, List<OffsetRecord> records) {
        PSortedMap<TopicPartitionKey, OffsetRecord> m = offsets(groupId);
        for (OffsetRecord r : records) {
            m = m.plus(new TopicPartitionKey(r.getTopicId(), r.getPartition()), r);
        }
        offsets = offsets.plus(groupId, m);
        deltas.add(new MetadataDelta.OffsetsCommitted(groupId, records));
    }

    /** Removes committed offsets of one group. */
    public void removeOffsets(String groupId, List<TopicPartitionKey> keys) {
        PSortedMap<TopicPartitionKey, OffsetRecord> m = offsets(groupId).minusAll(keys);
        offsets = m.isEmpty() ? offsets.minus(groupId) : offsets.plus(groupId, m);
        deltas.add(new MetadataDelta.OffsetsDeleted(groupId, keys));
    }

    public long nextProducerId() {
        return nextProducerId;
    }

    /** Reserves {@code size} producer ids for a broker. */
    public void allocateProducerIds(int brokerId, int size) {
        deltas.add(new MetadataDelta.ProducerIdsAllocated(brokerId, nextProducerId, size));
        nextProducerId += size;
    }

    private void indexIsr(TopicPartitionKey key, List<Integer> before, List<Integer> after) {
        for (int b : before) {
            if (!after.contains(b)) {
                PSortedSet<TopicPartitionKey> set = isrIndex.get(b).minus(key);
                isrIndex = set.isEmpty() ? isrIndex.minus(b) : isrIndex.plus(b, set);
            }
        }
        for (int b : after) {
            if (!before.contains(b)) {
                PSortedSet<TopicPartitionKey> set = isrIndex.get(b);
                isrIndex = isrIndex.plus(b, (set == null ? TreePSet.<TopicPartitionKey>empty() : set).plus(key));
            }
        }
    }
}
