package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metadata invariants, checked after every apply on what the command changed
 * ({@link #checkUpdate}, O(changes)) and on a whole image after a snapshot load and in tests
 * ({@link #checkAll}, O(state)):
 * <ul>
 *   <li>leader ∈ ISR ⊆ replicas; replicas distinct; every ISR member is an ACTIVE broker, so a
 *       fenced or shutting-down broker leads nothing and is in no ISR;</li>
 *   <li>eligible leaders only while the ISR is smaller than the topic's own
 *       {@code min.insync.replicas} (1 if unset), distinct, outside the ISR, and only replicas;</li>
 *   <li>leader epochs, partition epochs, broker epochs and the producer-id counter never decrease;
 *       the cluster id never changes once set;</li>
 *   <li>partition {@code i} of a topic is at index {@code i}; topic names are unique; the
 *       broker→ISR index matches the partitions; offsets refer to existing partitions.</li>
 * </ul>
 * A violation is a bug: it throws {@link IllegalStateException}, which stops the node before it
 * serves a corrupt state. Stateless.
 */
public final class InvariantChecker {
    private InvariantChecker() {
    }

    /** Checks what one apply changed. */
    public static void checkUpdate(MetadataImage before, MetadataImage after, List<MetadataDelta> deltas) {
        if (!before.clusterId().isEmpty() && !before.clusterId().equals(after.clusterId())) {
            fail(after, "cluster id changed from " + before.clusterId() + " to " + after.clusterId());
        }
        if (after.nextProducerId() < before.nextProducerId()) {
            fail(after, "next producer id went back");
        }
        for (MetadataDelta d : deltas) {
            if (d instanceof MetadataDelta.PartitionChanged pc && pc.current() != null) {
                checkPartition(after, pc.current());
                checkEpochs(after, pc.previous(), pc.current());
            } else if (d instanceof MetadataDelta.BrokerChanged bc) {
                checkBroker(after, bc);
            }
        }
    }

    private static void checkBroker(MetadataImage image, MetadataDelta.BrokerChanged bc) {
        BrokerRecord now = image.broker(bc.brokerId());
        if ((now == null || now.getState() != BrokerState.BROKER_STATE_ACTIVE)
                && !image.partitionsInIsr(bc.brokerId()).isEmpty()) {
            fail(image, "broker " + bc.brokerId() + " is not active but in the ISR of "
                    + image.partitionsInIsr(bc.brokerId()));
        }
        if (bc.previous() != null && now != null && now.getBrokerEpoch() < bc.previous().getBrokerEpoch()) {
            fail(image, "broker " + bc.brokerId() + " epoch went back");
        }
    }

    private static void checkEpochs(MetadataImage image, PartitionRecord before, PartitionRecord after) {
        if (before == null) {
            return;
        }
        if (after.getLeaderEpoch() < before.getLeaderEpoch()
                || after.getPartitionEpoch() <= before.getPartitionEpoch()) {
            fail(image, "partition " + after.getTopicId() + "-" + after.getPartition() + " epochs did not grow");
        }
        if (after.getLeader() != before.getLeader() && after.getLeaderEpoch() == before.getLeaderEpoch()) {
            fail(image, "partition " + after.getTopicId() + "-" + after.getPartition()
                    + " changed leader without a new leader epoch");
        }
    }

    private static int minIsr(MetadataImage image, PartitionRecord p) {
        TopicImage topic = image.topic(p.getTopicId());
        return topic == null ? 1 : PartitionCommands.minIsr(topic.topic());
    }

    /** Checks one partition record against the brokers of {@code image}. */
    public static void checkPartition(MetadataImage image, PartitionRecord p) {
        String where = "partition " + p.getTopicId() + "-" + p.getPartition() + ": ";
        Set<Integer> replicas = new HashSet<>(p.getReplicasList());
        if (replicas.isEmpty() || replicas.size() != p.getReplicasCount()) {
            fail(image, where + "replicas empty or repeated " + p.getReplicasList());
        }
        if (new HashSet<>(p.getIsrList()).size() != p.getIsrCount() || !replicas.containsAll(p.getIsrList())) {
            fail(image, where + "ISR " + p.getIsrList() + " not a subset of replicas " + p.getReplicasList());
        }
        for (int r : p.getIsrList()) {
            if (!image.isActive(r)) {
                fail(image, where + "ISR member " + r + " is not an active broker");
            }
        }
        if (p.getLeader() != PartitionCommands.NO_LEADER && !p.getIsrList().contains(p.getLeader())) {
            fail(image, where + "leader " + p.getLeader() + " not in ISR " + p.getIsrList());
        }
        if (p.getEligibleLeadersCount() > 0) {
            int minIsr = minIsr(image, p);
            if (p.getIsrCount() >= minIsr || !replicas.containsAll(p.getEligibleLeadersList())
                    || p.getEligibleLeadersList().stream().anyMatch(p.getIsrList()::contains)
                    || new HashSet<>(p.getEligibleLeadersList()).size() != p.getEligibleLeadersCount()) {
                fail(image, where + "eligible leaders " + p.getEligibleLeadersList() + " with ISR " + p.getIsrList()
                        + " and min.insync.replicas " + minIsr);
            }
        }
        if (p.getLeaderEpoch() < 0 || p.getPartitionEpoch() < 0) {
            fail(image, where + "negative epoch");
        }
    }

    /** Checks a whole image. */
    public static void checkAll(MetadataImage image) {
        Map<Integer, Set<TopicPartitionKey>> isr = new TreeMap<>();
        Set<String> names = new HashSet<>();
        for (TopicImage t : image.topics().values()) {
            if (!names.add(t.name()) || !t.id().equals(image.topicIdsByName().get(t.name()))) {
                fail(image, "topic name " + t.name() + " is not uniquely indexed");
            }
            if (t.partitionCount() == 0) {
                fail(image, "topic " + t.name() + " has no partitions");
            }
            for (int i = 0; i < t.partitionCount(); i++) {
                PartitionRecord p = t.partition(i);
                if (p.getPartition() != i || !p.getTopicId().equals(t.id())) {
                    fail(image, "topic " + t.name() + " holds " + p.getTopicId() + "-" + p.getPartition() + " at " + i);
                }
                checkPartition(image, p);
                for (int r : p.getIsrList()) {
                    isr.computeIfAbsent(r, k -> new TreeSet<>()).add(new TopicPartitionKey(t.id(), i));
                }
            }
        }
        if (names.size() != image.topicIdsByName().size()) {
            fail(image, "topic name index has names of no topic");
        }
        if (!isr.equals(new TreeMap<>(image.isrIndex()))) {
            fail(image, "broker to ISR index does not match the partitions");
        }
        image.allOffsets().forEach((group, offsets) -> {
            for (OffsetRecord o : offsets.values()) {
                if (image.partition(o.getTopicId(), o.getPartition()) == null) {
                    fail(image, "group " + group + " has an offset for missing partition " + o.getTopicId());
                }
            }
        });
    }

    private static void fail(MetadataImage image, String message) {
        throw new IllegalStateException("metadata invariant broken at index " + image.lastAppliedIndex() + ": "
                + message);
    }
}
