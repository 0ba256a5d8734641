package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetadataImageSnapshot;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.PVector;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;
import org.pcollections.TreePVector;

/**
 * Converts an image to its snapshot message and back. The message lists everything in the image's
 * canonical order, so equal images give equal bytes. Decoding rebuilds the derived index and
 * refuses unknown format versions. Stateless.
 */
public final class SnapshotCodec {
    /** The format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private SnapshotCodec() {
    }

    /** The snapshot message of an image. */
    public static MetadataImageSnapshot encode(MetadataImage image) {
        MetadataImageSnapshot.Builder b = MetadataImageSnapshot.newBuilder().setFormatVersion(FORMAT_VERSION)
                .setLastAppliedTerm(image.lastAppliedTerm()).setLastAppliedIndex(image.lastAppliedIndex())
                .setClusterId(image.clusterId()).addAllBrokers(image.brokers().values())
                .addAllGroups(image.groups().values()).setNextProducerId(image.nextProducerId());
        for (TopicImage t : image.topics().values()) {
            b.addTopics(t.topic());
            b.addAllPartitions(t.partitions());
        }
        for (Map<TopicPartitionKey, OffsetRecord> offsets : image.allOffsets().values()) {
            b.addAllOffsets(offsets.values());
        }
        return b.build();
    }

    /** The image a snapshot message describes. */
    public static MetadataImage decode(MetadataImageSnapshot s) {
        if (s.getFormatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("snapshot format " + s.getFormatVersion() + " is not " + FORMAT_VERSION);
        }
        PSortedMap<Integer, BrokerRecord> brokers = TreePMap.empty();
        for (BrokerRecord r : s.getBrokersList()) {
            brokers = brokers.plus(r.getBrokerId(), r);
        }
        Map<String, List<PartitionRecord>> byTopic = new java.util.HashMap<>();
        for (PartitionRecord p : s.getPartitionsList()) {
            byTopic.computeIfAbsent(p.getTopicId(), k -> new ArrayList<>()).add(p);
        }
        PSortedMap<String, TopicImage> topics = TreePMap.empty();
        PSortedMap<String, String> names = TreePMap.empty();
        PSortedMap<Integer, PSortedSet<TopicPartitionKey>> isr = TreePMap.empty();
        for (TopicRecord t : s.getTopicsList()) {
            List<PartitionRecord> parts = byTopic.getOrDefault(t.getTopicId(), List.of());
            parts.sort((x, y) -> Integer.compare(x.getPartition(), y.getPartition()));
            PVector<PartitionRecord> vector = TreePVector.from(parts);
            topics = topics.plus(t.getTopicId(), new TopicImage(t, vector));
            names = names.plus(t.getName(), t.getTopicId());
            for (PartitionRecord p : parts) {
                for (int r : p.getIsrList()) {
                    PSortedSet<TopicPartitionKey> set = isr.get(r);
                    set = (set == null ? TreePSet.<TopicPartitionKey>empty() : set)
                            .plus(new TopicPartitionKey(p.getTopicId(), p.getPartition()));
                    isr = isr.plus(r, set);
                }
            }
        }
        PSortedMap<String, GroupRecord> groups = TreePMap.empty();
        for (GroupRecord g : s.getGroupsList()) {
            groups = groups.plus(g.getGroupId(), g);
        }
        PSortedMap<String, PSortedMap<TopicPartitionKey, OffsetRecord>> offsets = TreePMap.empty();
        for (OffsetRecord o : s.getOffsetsList()) {
            PSortedMap<TopicPartitionKey, OffsetRecord> m = offsets.get(o.getGroupId());
            m = (m == null ? TreePMap.<TopicPartitionKey, OffsetRecord>empty() : m)
                    .plus(new TopicPartitionKey(o.getTopicId(), o.getPartition()), o);
            offsets = offsets.plus(o.getGroupId(), m);
        }
        return new MetadataImage(new MetadataImage.Parts(s.getLastAppliedIndex(), s.getLastAppliedTerm(),
                s.getClusterId(), brokers, topics, names, isr, groups, offsets, s.getNextProducerId()));
    }
}
