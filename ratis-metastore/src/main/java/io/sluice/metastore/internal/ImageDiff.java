package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The deltas that turn one image into another, for listeners when a snapshot replaces the image
 * wholesale (a follower far behind installs the leader's snapshot). O(size of both images). Stateless.
 */
public final class ImageDiff {
    private ImageDiff() {
    }

    /** The changes from {@code before} to {@code after}, in the order a command would make them. */
    public static List<MetadataDelta> between(MetadataImage before, MetadataImage after) {
        List<MetadataDelta> out = new ArrayList<>();
        if (!before.clusterId().equals(after.clusterId())) {
            out.add(new MetadataDelta.ClusterInitialized(after.clusterId()));
        }
        TreeSet<Integer> brokerIds = new TreeSet<>(before.brokers().keySet());
        brokerIds.addAll(after.brokers().keySet());
        for (int id : brokerIds) {
            if (!Objects.equals(before.broker(id), after.broker(id))) {
                out.add(new MetadataDelta.BrokerChanged(id, before.broker(id), after.broker(id)));
            }
        }
        TreeSet<String> topicIds = new TreeSet<>(before.topics().keySet());
        topicIds.addAll(after.topics().keySet());
        for (String id : topicIds) {
            diffTopic(before.topic(id), after.topic(id), out);
        }
        TreeSet<String> groupIds = new TreeSet<>(before.groups().keySet());
        groupIds.addAll(after.groups().keySet());
        for (String g : groupIds) {
            if (!Objects.equals(before.group(g), after.group(g))) {
                out.add(new MetadataDelta.GroupChanged(g, before.group(g), after.group(g)));
            }
        }
        TreeSet<String> offsetGroups = new TreeSet<>(before.allOffsets().keySet());
        offsetGroups.addAll(after.allOffsets().keySet());
        for (String g : offsetGroups) {
            diffOffsets(g, before.offsets(g), after.offsets(g), out);
        }
        return out;
    }

    private static void diffTopic(TopicImage b, TopicImage a, List<MetadataDelta> out) {
        if (b == null) {
            out.add(new MetadataDelta.TopicCreated(a.topic()));
        } else if (a == null) {
            out.add(new MetadataDelta.TopicDeleted(b.topic()));
        } else if (!b.topic().equals(a.topic())) {
            out.add(new MetadataDelta.TopicConfigsChanged(b.topic(), a.topic()));
        }
        String id = a != null ? a.id() : b.id();
        int count = Math.max(b == null ? 0 : b.partitionCount(), a == null ? 0 : a.partitionCount());
        for (int i = 0; i < count; i++) {
            PartitionRecord pb = b == null ? null : b.partition(i);
            PartitionRecord pa = a == null ? null : a.partition(i);
            if (!Objects.equals(pb, pa)) {
                out.add(new MetadataDelta.PartitionChanged(new TopicPartitionKey(id, i), pb, pa));
            }
        }
    }

    private static void diffOffsets(String group, Map<TopicPartitionKey, OffsetRecord> b,
            Map<TopicPartitionKey, OffsetRecord> a, List<MetadataDelta> out) {
        List<OffsetRecord> committed = new ArrayList<>();
        for (Map.Entry<TopicPartitionKey, OffsetRecord> e : a.entrySet()) {
            if (!e.getValue().equals(b.get(e.getKey()))) {
                committed.add(e.getValue());
            }
        }
        List<TopicPartitionKey> removed = new ArrayList<>();
        for (TopicPartitionKey k : b.keySet()) {
            if (!a.containsKey(k)) {
                removed.add(k);
            }
        }
        if (!committed.isEmpty()) {
            out.add(new MetadataDelta.OffsetsCommitted(group, committed));
        }
        if (!removed.isEmpty()) {
            out.add(new MetadataDelta.OffsetsDeleted(group, removed));
        }
    }
}
