package io.sluice.client.internal.metadata;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.network.HostPort;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.protocol.ErrorCodes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable snapshot of what a client knows about the cluster: brokers, and for each topic it
 * asked about, its id and partitions (leader, leader epoch, replicas, ISR). Safe to read from any
 * thread; updates make a new snapshot ({@link #merge}, {@link #withLeader}).
 *
 * <p>Leader epochs never go back: when an answer from a lagging broker names an older leader epoch
 * for a partition than the snapshot has (learnt from a newer answer or a leader hint), the newer
 * leader is kept.
 */
public final class Cluster {
    /** A broker. */
    public record Broker(int id, HostPort address, String rack, BrokerState state) {
        /** Whether requests may be sent to it. */
        public boolean usable() {
            return state != BrokerState.BROKER_STATE_FENCED;
        }
    }

    /** A partition's placement and leadership; {@code leaderId} is -1 without a leader. */
    public record Partition(TopicPartition topicPartition, int leaderId, int leaderEpoch, List<Integer> replicas,
            List<Integer> isr, List<Integer> offlineReplicas) {
    }

    /** A topic the client knows; partitions are in index order. */
    public record Topic(String name, String topicId, List<Partition> partitions) {
    }

    private static final Cluster EMPTY = new Cluster("", -1, Map.of(), Map.of(), Map.of(), -1);

    private final String clusterId;
    private final int controllerId;
    private final Map<Integer, Broker> brokers;
    private final Map<String, Topic> topics;
    private final Map<String, ErrorCode> topicErrors;
    private final long version;

    private Cluster(String clusterId, int controllerId, Map<Integer, Broker> brokers, Map<String, Topic> topics,
            Map<String, ErrorCode> topicErrors, long version) {
        this.clusterId = clusterId;
        this.controllerId = controllerId;
        this.brokers = Collections.unmodifiableMap(brokers);
        this.topics = Collections.unmodifiableMap(topics);
        this.topicErrors = Collections.unmodifiableMap(topicErrors);
        this.version = version;
    }

    /** Knows nothing. */
    public static Cluster empty() {
        return EMPTY;
    }

    /**
     * This snapshot updated by {@code response}: brokers replaced, topics in the answer replaced
     * (keeping newer leader epochs), other topics kept.
     */
    public Cluster merge(MetadataResponse response) {
        Map<Integer, Broker> newBrokers = new TreeMap<>();
        for (BrokerMetadata b : response.getBrokersList()) {
            newBrokers.put(b.getBrokerId(), new Broker(b.getBrokerId(), HostPort.of(b.getEndpoint()), b.getRack(),
                    b.getState()));
        }
        Map<String, Topic> newTopics = new HashMap<>(topics);
        Map<String, ErrorCode> newErrors = new HashMap<>(topicErrors);
        for (TopicMetadata t : response.getTopicsList()) {
            if (t.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                newTopics.remove(t.getName());
                newErrors.put(t.getName(), t.getErrorCode());
                continue;
            }
            newErrors.remove(t.getName());
            newTopics.put(t.getName(), toTopic(t, topics.get(t.getName())));
        }
        return new Cluster(response.getClusterId(), response.getControllerId(), newBrokers, newTopics, newErrors,
                Math.max(version, response.getMetadataVersion()));
    }

    private static Topic toTopic(TopicMetadata t, Topic previous) {
        List<Partition> partitions = new ArrayList<>(t.getPartitionsCount());
        for (PartitionMetadata p : t.getPartitionsList()) {
            Partition fresh = new Partition(new TopicPartition(t.getName(), p.getPartition()), p.getLeaderId(),
                    p.getLeaderEpoch(), List.copyOf(p.getReplicasList()), List.copyOf(p.getIsrList()),
                    List.copyOf(p.getOfflineReplicasList()));
            Partition old = previous != null && previous.topicId.equals(t.getTopicId())
                    && p.getPartition() < previous.partitions.size() ? previous.partitions.get(p.getPartition()) : null;
            partitions.add(old != null && old.leaderEpoch > fresh.leaderEpoch ? old : fresh);
        }
        partitions.sort((a, b) -> Integer.compare(a.topicPartition.partition(), b.topicPartition.partition()));
        return new Topic(t.getName(), t.getTopicId(), List.copyOf(partitions));
    }

    /**
     * This snapshot with {@code tp} led by {@code leaderId} at {@code leaderEpoch} (a leader hint),
     * unless it already knows that epoch or a newer one. An unknown leader address is added.
     */
    public Cluster withLeader(TopicPartition tp, int leaderId, int leaderEpoch, HostPort leaderAddress) {
        Topic topic = topics.get(tp.topic());
        if (topic == null || tp.partition() >= topic.partitions.size()) {
            return this;
        }
        Partition old = topic.partitions.get(tp.partition());
        boolean stale = leaderEpoch < 0 ? old.leaderId >= 0 : old.leaderEpoch >= leaderEpoch;
        if (stale) {
            return this;
        }
        List<Partition> partitions = new ArrayList<>(topic.partitions);
        partitions.set(tp.partition(), new Partition(tp, leaderId, Math.max(leaderEpoch, old.leaderEpoch),
                old.replicas, old.isr, old.offlineReplicas));
        Map<String, Topic> newTopics = new HashMap<>(topics);
        newTopics.put(tp.topic(), new Topic(topic.name, topic.topicId, List.copyOf(partitions)));
        Map<Integer, Broker> newBrokers = new TreeMap<>(brokers);
        if (leaderAddress != null && !newBrokers.containsKey(leaderId)) {
            newBrokers.put(leaderId, new Broker(leaderId, leaderAddress, "", BrokerState.BROKER_STATE_ACTIVE));
        }
        return new Cluster(clusterId, controllerId, newBrokers, newTopics, topicErrors, version);
    }

    /** The cluster id, empty before the first answer. */
    public String clusterId() {
        return clusterId;
    }

    /** The active controller's id, -1 if unknown. */
    public int controllerId() {
        return controllerId;
    }

    /** The metadata version of the newest answer merged, -1 before the first. */
    public long version() {
        return version;
    }

    /** Every known broker by id. */
    public Map<Integer, Broker> brokers() {
        return brokers;
    }

    /** The topic, if known. */
    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** Names of every known topic. */
    public Set<String> topicNames() {
        return topics.keySet();
    }

    /** The error the last answer gave for {@code name} (e.g. UNKNOWN_TOPIC_OR_PARTITION), if any. */
    public Optional<ErrorCode> topicError(String name) {
        return Optional.ofNullable(topicErrors.get(name));
    }

    /**
     * The failure of a wait of {@code waitedMs} ({@code setting}) for {@code topic} to appear in the
     * metadata, with the cluster's own answer for it as the cause when there was one (so that a
     * command can say "no such topic" rather than "no answer").
     */
    public SluiceTimeoutException topicNotFound(String topic, long waitedMs, String setting) {
        String message = "topic '" + topic + "' was not found in the cluster's metadata within " + waitedMs
                + " ms (" + setting + ")";
        return topicError(topic)
                .map(code -> new SluiceTimeoutException(message + " (" + ErrorCodes.shortName(code) + ")",
                        Errors.toException(code, "the cluster's metadata answers for topic '" + topic + "'")))
                .orElseGet(() -> new SluiceTimeoutException(message));
    }

    /** The name of the topic with this id, if known. */
    public Optional<String> topicName(String topicId) {
        for (Topic t : topics.values()) {
            if (t.topicId.equals(topicId)) {
                return Optional.of(t.name);
            }
        }
        return Optional.empty();
    }

    /** The topic's partition count, or -1 if the topic is unknown. */
    public int partitionCount(String topic) {
        Topic t = topics.get(topic);
        return t == null ? -1 : t.partitions.size();
    }

    /** The partition, if known. */
    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(find(tp));
    }

    /** The partition's leader epoch, or -1 if the partition is unknown (no allocation: the producer's drain). */
    public int leaderEpoch(TopicPartition tp) {
        Partition p = find(tp);
        return p == null ? -1 : p.leaderEpoch;
    }

    /**
     * Whether partition {@code partition} of {@code topic} has a known leader that is usable (as in
     * {@link #availablePartitions}), without building the list: the producer asks for every record.
     */
    public boolean hasUsableLeader(String topic, int partition) {
        Topic t = topics.get(topic);
        return t != null && partition >= 0 && partition < t.partitions.size()
                && leaderUsable(t.partitions.get(partition));
    }

    private boolean leaderUsable(Partition p) {
        Broker b = brokers.get(p.leaderId);
        return b != null && b.usable();
    }

    private Partition find(TopicPartition tp) {
        Topic t = topics.get(tp.topic());
        return t == null || tp.partition() >= t.partitions.size() ? null : t.partitions.get(tp.partition());
    }

    /** The partition's leader if it has one and the broker is known and usable. */
    public Optional<Broker> leader(TopicPartition tp) {
        return partition(tp).map(p -> brokers.get(p.leaderId)).filter(Broker::usable);
    }

    /** Partitions of {@code topic} that have a usable leader, in index order. */
    public List<Partition> availablePartitions(String topic) {
        Topic t = topics.get(topic);
        if (t == null) {
            return List.of();
        }
        List<Partition> out = new ArrayList<>();
        for (Partition p : t.partitions) {
            if (leaderUsable(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
