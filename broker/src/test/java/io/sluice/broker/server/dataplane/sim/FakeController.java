package io.sluice.broker.server.dataplane.sim;

import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small stand-in for the metadata quorum and its controller, as the brokers see them: it holds
 * broker registrations and partition records, applies ISR changes conditionally on the partition
 * and leader epoch (as the real controller will), fences brokers whose heartbeats stop (dropping
 * them from ISRs and electing new leaders from the remaining ISR, never outside it), unfences them
 * when they heartbeat again, and keeps an ordered log of metadata deltas that each broker receives
 * in order (a restarted broker first gets the whole image). Single-threaded.
 */
final class FakeController {
    private final long sessionTimeoutMs;
    private final Map<Integer, BrokerRecord> brokers = new TreeMap<>();
    private final Map<Integer, Long> lastHeartbeatMs = new TreeMap<>();
    private final Map<TopicIdPartition, PartitionRecord> partitions = new LinkedHashMap<>();
    private final List<TopicInfo> topics = new ArrayList<>();
    private final List<MetadataDelta> log = new ArrayList<>();
    private final Map<Integer, Integer> delivered = new TreeMap<>();
    private long nextBrokerEpoch = 1;
    private int leaderChanges;
    private int isrChanges;

    FakeController(long sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    void createTopic(TopicInfo topic, List<List<Integer>> assignments) {
        topics.add(topic);
        MetadataDelta.Builder delta = MetadataDelta.builder().topic(topic);
        for (int p = 0; p < assignments.size(); p++) {
            List<Integer> replicas = assignments.get(p);
            List<Integer> live = replicas.stream().filter(this::isActive).toList();
            int leader = live.isEmpty() ? -1 : live.get(0);
            PartitionRecord record = PartitionRecord.newBuilder().setTopicId(topic.topicId()).setPartition(p)
                    .addAllReplicas(replicas).addAllIsr(live.isEmpty() ? replicas : live).setLeader(leader)
                    .setLeaderEpoch(0).setPartitionEpoch(0).build();
            partitions.put(new TopicIdPartition(topic.topicId(), p), record);
            delta.partition(record);
        }
        log.add(delta.build());
    }

    /** A broker (re)starts: the old incarnation is fenced first; the new one starts FENCED. */
    long register(int brokerId, long nowMs) {
        if (brokers.containsKey(brokerId) && isActive(brokerId)) {
            fence(brokerId);
        }
        long epoch = nextBrokerEpoch++;
        BrokerRecord record = BrokerRecord.newBuilder().setBrokerId(brokerId).setBrokerEpoch(epoch)
                .setIncarnationId("incarnation-" + epoch)
                .setEndpoint(Endpoint.newBuilder().setHost("sim").setPort(9000 + brokerId))
                .setState(BrokerState.BROKER_STATE_FENCED).build();
        brokers.put(brokerId, record);
        lastHeartbeatMs.put(brokerId, nowMs);
        log.add(MetadataDelta.builder().broker(record).build());
        delivered.put(brokerId, -1);
        return epoch;
    }

    /** A heartbeat from a broker that has applied the metadata up to now. */
    void heartbeat(int brokerId, long brokerEpoch, long nowMs) {
        BrokerRecord record = brokers.get(brokerId);
        if (record == null || record.getBrokerEpoch() != brokerEpoch) {
            return;
        }
        lastHeartbeatMs.put(brokerId, nowMs);
        if (record.getState() == BrokerState.BROKER_STATE_FENCED) {
            unfence(brokerId);
        }
    }

    /** Fences brokers whose session expired. */
    void tick(long nowMs) {
        for (Map.Entry<Integer, Long> e : lastHeartbeatMs.entrySet()) {
            if (isActive(e.getKey()) && nowMs - e.getValue() > sessionTimeoutMs) {
                fence(e.getKey());
            }
        }
    }

    private void fence(int brokerId) {
        MetadataDelta.Builder delta = MetadataDelta.builder();
        BrokerRecord fenced = brokers.get(brokerId).toBuilder().setState(BrokerState.BROKER_STATE_FENCED).build();
        brokers.put(brokerId, fenced);
        delta.broker(fenced);
        for (Map.Entry<TopicIdPartition, PartitionRecord> e : partitions.entrySet()) {
            PartitionRecord r = e.getValue();
            List<Integer> isr = new ArrayList<>(r.getIsrList());
            boolean changed = false;
            if (isr.contains(brokerId) && isr.size() > 1) {
                isr.remove(Integer.valueOf(brokerId));
                changed = true;
            }
            int leader = r.getLeader();
            int leaderEpoch = r.getLeaderEpoch();
            if (leader == brokerId) {
                leader = r.getReplicasList().stream().filter(b -> isr.contains(b) && b != brokerId && isActive(b))
                        .findFirst().orElse(-1);
                leaderEpoch++;
                leaderChanges++;
                changed = true;
            }
            if (changed) {
                update(e.getKey(), r.toBuilder().clearIsr().addAllIsr(isr).setLeader(leader).setLeaderEpoch(leaderEpoch)
                        .setPartitionEpoch(r.getPartitionEpoch() + 1).build(), delta);
            }
        }
        log.add(delta.build());
    }

    private void unfence(int brokerId) {
        MetadataDelta.Builder delta = MetadataDelta.builder();
        BrokerRecord active = brokers.get(brokerId).toBuilder().setState(BrokerState.BROKER_STATE_ACTIVE).build();
        brokers.put(brokerId, active);
        delta.broker(active);
        for (Map.Entry<TopicIdPartition, PartitionRecord> e : partitions.entrySet()) {
            PartitionRecord r = e.getValue();
            if (r.getLeader() < 0 && r.getIsrList().contains(brokerId)) {
                leaderChanges++;
                update(e.getKey(), r.toBuilder().setLeader(brokerId).setLeaderEpoch(r.getLeaderEpoch() + 1)
                        .setPartitionEpoch(r.getPartitionEpoch() + 1).build(), delta);
            }
        }
        log.add(delta.build());
    }

    private void update(TopicIdPartition id, PartitionRecord record, MetadataDelta.Builder delta) {
        partitions.put(id, record);
        delta.partition(record);
    }

    /** The AlterPartition rpc: conditional on broker epoch, leader epoch and partition epoch. */
    AlterPartitionResponse alterPartition(AlterPartitionRequest request) {
        BrokerRecord broker = brokers.get(request.getBrokerId());
        if (broker == null || broker.getBrokerEpoch() != request.getBrokerEpoch()) {
            return AlterPartitionResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH)
                    .setErrorMessage("stale broker epoch " + request.getBrokerEpoch()).build();
        }
        AlterPartitionResponse.Builder response = AlterPartitionResponse.newBuilder();
        MetadataDelta.Builder delta = MetadataDelta.builder();
        boolean changed = false;
        for (PartitionChangeRequest change : request.getPartitionsList()) {
            TopicIdPartition id = new TopicIdPartition(change.getTopicId(), change.getPartition());
            PartitionRecord r = partitions.get(id);
            ErrorCode code = check(request.getBrokerId(), change, r);
            if (code == ErrorCode.ERROR_CODE_NONE) {
                r = r.toBuilder().clearIsr().addAllIsr(change.getNewIsrList())
                        .setPartitionEpoch(r.getPartitionEpoch() + 1).build();
                update(id, r, delta);
                changed = true;
                isrChanges++;
            }
            response.addPartitions(PartitionChangeResult.newBuilder().setTopicId(change.getTopicId())
                    .setPartition(change.getPartition()).setErrorCode(code)
                    .setLeaderId(r == null ? -1 : r.getLeader()).setLeaderEpoch(r == null ? -1 : r.getLeaderEpoch())
                    .setPartitionEpoch(r == null ? -1 : r.getPartitionEpoch())
                    .addAllIsr(r == null ? List.of() : r.getIsrList()));
        }
        if (changed) {
            log.add(delta.build());
        }
        return response.build();
    }

    private ErrorCode check(int brokerId, PartitionChangeRequest change, PartitionRecord r) {
        if (r == null) {
            return ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (r.getLeader() != brokerId || change.getLeaderEpoch() != r.getLeaderEpoch()) {
            return ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH;
        }
        if (change.getPartitionEpoch() != r.getPartitionEpoch()) {
            return ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH;
        }
        Set<Integer> proposed = new HashSet<>(change.getNewIsrList());
        if (!proposed.contains(brokerId) || !r.getReplicasList().containsAll(proposed)) {
            return ErrorCode.ERROR_CODE_INVALID_REQUEST;
        }
        for (int member : proposed) {
            if (!r.getIsrList().contains(member) && !isActive(member)) {
                return ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA;
            }
        }
        return ErrorCode.ERROR_CODE_NONE;
    }

    /** Deltas a broker has not received yet, in order (the whole image first after a restart). */
    List<MetadataDelta> pendingFor(int brokerId) {
        int from = delivered.getOrDefault(brokerId, -1);
        List<MetadataDelta> out = new ArrayList<>();
        if (from < 0) {
            out.add(image());
        } else {
            out.addAll(log.subList(from, log.size()));
        }
        delivered.put(brokerId, log.size());
        return out;
    }

    boolean hasPendingFor(int brokerId) {
        int from = delivered.getOrDefault(brokerId, -1);
        return from < 0 || from < log.size();
    }

    private MetadataDelta image() {
        MetadataDelta.Builder image = MetadataDelta.builder().fullImage(true);
        brokers.values().forEach(image::broker);
        topics.forEach(image::topic);
        partitions.values().forEach(image::partition);
        return image.build();
    }

    boolean isActive(int brokerId) {
        BrokerRecord r = brokers.get(brokerId);
        return r != null && r.getState() == BrokerState.BROKER_STATE_ACTIVE;
    }

    PartitionRecord partition(TopicIdPartition id) {
        return partitions.get(id);
    }

    Map<TopicIdPartition, PartitionRecord> partitions() {
        return partitions;
    }

    long brokerEpoch(int brokerId) {
        return brokers.get(brokerId).getBrokerEpoch();
    }

    String stats() {
        return "leaderChanges=" + leaderChanges + " isrChanges=" + isrChanges;
    }
}
