package io.sluice.broker.server.dataplane;

import io.sluice.broker.partition.InMemoryReplicaStateStore;
import io.sluice.broker.partition.MemoryLogs;
import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.ReplicaFetchTransport;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A few brokers of the real data plane on one thread and a manual clock, for API tests: messages
 * between them are queued and delivered by {@link #step}, a minimal controller applies ISR changes
 * conditionally and publishes every change to all brokers at once. Replica fetches of brokers in
 * {@link #silenced} are dropped.
 */
final class TestCluster {
    static final int STEP_MS = 5;

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final Map<Integer, DataPlane> brokers = new TreeMap<>();
    final Map<Integer, MemoryLogs> disks = new TreeMap<>();
    final Map<TopicIdPartition, PartitionRecord> records = new TreeMap<>((a, b) -> a.toString()
            .compareTo(b.toString()));
    final Set<Integer> silenced = new HashSet<>();
    private final Deque<Runnable> network = new ArrayDeque<>();
    private final List<BrokerRecord> brokerRecords = new ArrayList<>();

    TestCluster(int brokerCount, DataPlaneConfig config) {
        for (int id = 1; id <= brokerCount; id++) {
            int brokerId = id;
            MemoryLogs logs = new MemoryLogs();
            disks.put(id, logs);
            DataPlane broker = DataPlane.create(id, clock, config, new ReplicaManager.Services(logs,
                    new InMemoryReplicaStateStore(), transport(brokerId), this::alterPartition));
            broker.setBrokerEpoch(10 + id);
            brokers.put(id, broker);
            brokerRecords.add(BrokerRecord.newBuilder().setBrokerId(id).setBrokerEpoch(10 + id)
                    .setEndpoint(Endpoint.newBuilder().setHost("broker-" + id).setPort(9000 + id))
                    .setState(BrokerState.BROKER_STATE_ACTIVE).build());
        }
    }

    private ReplicaFetchTransport transport(int from) {
        return (leaderId, request, timeoutMs, callback) -> network.add(() -> {
            if (!silenced.contains(from)) {
                brokers.get(leaderId).replicaFetch(request, response -> network.add(
                        () -> callback.onResponse(response)));
            }
        });
    }

    private CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest request) {
        CompletableFuture<AlterPartitionResponse> answer = new CompletableFuture<>();
        network.add(() -> {
            AlterPartitionResponse.Builder response = AlterPartitionResponse.newBuilder();
            for (PartitionChangeRequest change : request.getPartitionsList()) {
                TopicIdPartition id = new TopicIdPartition(change.getTopicId(), change.getPartition());
                PartitionRecord r = records.get(id);
                ErrorCode code = r.getLeaderEpoch() != change.getLeaderEpoch()
                        ? ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH
                        : r.getPartitionEpoch() != change.getPartitionEpoch()
                        ? ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH : ErrorCode.ERROR_CODE_NONE;
                if (code == ErrorCode.ERROR_CODE_NONE) {
                    r = r.toBuilder().clearIsr().addAllIsr(change.getNewIsrList())
                            .setPartitionEpoch(r.getPartitionEpoch() + 1).build();
                    publish(r);
                }
                response.addPartitions(PartitionChangeResult.newBuilder().setTopicId(change.getTopicId())
                        .setPartition(change.getPartition()).setErrorCode(code).setLeaderId(r.getLeader())
                        .setLeaderEpoch(r.getLeaderEpoch()).setPartitionEpoch(r.getPartitionEpoch())
                        .addAllIsr(r.getIsrList()));
            }
            answer.complete(response.build());
        });
        return answer;
    }

    /** Creates a topic whose partition p is led by broker (p mod n) + 1, replicas in order from there. */
    String createTopic(String name, int partitions, int replicationFactor, TopicSettings settings) {
        String topicId = String.format("%08x-0000-4000-8000-000000000000", name.hashCode());
        MetadataDelta.Builder delta = MetadataDelta.builder().fullImage(true).topic(new TopicInfo(topicId, name,
                settings));
        brokerRecords.forEach(delta::broker);
        for (int p = 0; p < partitions; p++) {
            List<Integer> replicas = new ArrayList<>();
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add((p + r) % brokers.size() + 1);
            }
            PartitionRecord record = PartitionRecord.newBuilder().setTopicId(topicId).setPartition(p)
                    .addAllReplicas(replicas).addAllIsr(replicas).setLeader(replicas.get(0)).setLeaderEpoch(0)
                    .setPartitionEpoch(0).build();
            records.put(new TopicIdPartition(topicId, p), record);
            delta.partition(record);
        }
        brokers.values().forEach(b -> b.applyMetadata(delta.build()));
        return topicId;
    }

    /** Changes a partition record (a leader change bumps the leader epoch) and tells every broker. */
    void publish(PartitionRecord record) {
        records.put(new TopicIdPartition(record.getTopicId(), record.getPartition()), record);
        MetadataDelta delta = MetadataDelta.builder().partition(record).build();
        brokers.values().forEach(b -> b.applyMetadata(delta));
    }

    /** Moves time forward by {@code ms}, delivering messages and polling every broker each step. */
    void step(long ms) {
        for (long t = 0; t < ms; t += STEP_MS) {
            deliver();
            clock.advanceMs(STEP_MS);
            brokers.values().forEach(b -> b.poll(clock.monotonicMs()));
            deliver();
        }
    }

    private void deliver() {
        for (int i = 0; i < 10_000 && !network.isEmpty(); i++) {
            network.poll().run();
        }
    }

    /** Calls an API and steps until it answers (at most {@code maxMs}); null if it did not. */
    <T> T await(Consumer<Consumer<T>> call, long maxMs) {
        AtomicReference<T> answer = new AtomicReference<>();
        call.accept(answer::set);
        for (long waited = 0; answer.get() == null && waited < maxMs; waited += STEP_MS) {
            step(STEP_MS);
        }
        return answer.get();
    }

    Partition partition(int brokerId, String topicId, int partition) {
        return brokers.get(brokerId).replicaManager().partition(new TopicIdPartition(topicId, partition))
                .orElseThrow();
    }

    PartitionRecord record(String topicId, int partition) {
        return records.get(new TopicIdPartition(topicId, partition));
    }
}
