package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Metadata application: loading, persisting epochs before switching, deletions, lookups, checkpoints. */
class ReplicaManagerTest {
    private static final String TOPIC_ID = "22222222-0000-4000-8000-000000000000";
    private static final TopicIdPartition P0 = new TopicIdPartition(TOPIC_ID, 0);
    private static final TopicIdPartition P1 = new TopicIdPartition(TOPIC_ID, 1);

    private final ManualClock clock = new ManualClock(0);
    private final List<String> events = new ArrayList<>();
    private ReplicaManager manager;

    /** A store that notes, at every save, the role each partition had when the save happened; saves may take time. */
    private final class RecordingStore implements ReplicaStateStore {
        private final InMemoryReplicaStateStore inner = new InMemoryReplicaStateStore();
        private long saveDelayMs;

        @Override
        public Map<TopicIdPartition, ReplicaCheckpoint> load() {
            return inner.load();
        }

        @Override
        public void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
            ReplicaCheckpoint p0 = checkpoints.get(P0);
            String role = manager == null ? "none" : manager.partition(P0).map(p -> p.role().getClass().getSimpleName())
                    .orElse("none");
            events.add("save epoch=" + (p0 == null ? "-" : p0.leaderEpoch()) + " while " + role);
            clock.advanceMs(saveDelayMs);
            inner.save(checkpoints);
        }
    }

    private final RecordingStore store = new RecordingStore();
    private final List<AlterPartitionRequest> proposals = new ArrayList<>();

    private final MemoryLogs logs = new MemoryLogs();
    private final Map<TopicIdPartition, InMemoryLog> disk = logs.logs();

    private ReplicaManager start() {
        manager = new ReplicaManager(1, clock, ReplicationConfig.DEFAULT, new ReplicaManager.Services(logs, store,
                (leader, request, timeout, callback) -> { }, request -> {
                    proposals.add(request);
                    return new CompletableFuture<>();
                }), PartitionListener.NONE);
        return manager;
    }

    private static PartitionRecord record(int partition, int leader, int epoch, List<Integer> replicas) {
        return PartitionRecord.newBuilder().setTopicId(TOPIC_ID).setPartition(partition).addAllReplicas(replicas)
                .addAllIsr(replicas).setLeader(leader).setLeaderEpoch(epoch).setPartitionEpoch(epoch).build();
    }

    private static MetadataDelta.Builder topic() {
        return MetadataDelta.builder()
                .broker(BrokerRecord.newBuilder().setBrokerId(2).setBrokerEpoch(5)
                        .setState(BrokerState.BROKER_STATE_ACTIVE)
                        .setEndpoint(Endpoint.newBuilder().setHost("b2").setPort(9092)).build())
                .topic(new TopicInfo(TOPIC_ID, "orders", TopicSettings.DEFAULT));
    }

    @Test
    void closingStopsReplicasCheckpointsAndClosesLogs() {
        start().applyMetadata(topic().partition(record(0, 1, 2, List.of(1))).build(), 0);
        manager.partition(P0).orElseThrow().appendAsLeader(TestBatches.batch("a"), true);
        manager.close();
        assertTrue(manager.isClosed());
        assertEquals(new ReplicaCheckpoint(2, 1), store.load().get(P0));
        assertInstanceOf(OfflineRole.class, manager.partition(P0).orElseThrow().role());
        assertEquals(ErrorCode.ERROR_CODE_NODE_NOT_READY, assertThrows(PartitionException.class,
                () -> manager.partitionForClient("orders", 0)).errorCode());
        assertThrows(RuntimeException.class, () -> disk.get(P0).read(0, 1, 1, true), "the log was closed");
    }

    @Test
    void aNewEpochIsPersistedBeforeTheReplicaSwitches() {
        start().applyMetadata(topic().partition(record(0, 1, 3, List.of(1, 2))).build(), 0);
        assertEquals(List.of("save epoch=3 while OfflineRole"), events);
        assertInstanceOf(LeaderRole.class, manager.partition(P0).orElseThrow().role());
        manager.applyMetadata(MetadataDelta.builder().partition(record(0, 2, 4, List.of(1, 2))).build(), 0);
        assertEquals("save epoch=4 while LeaderRole", events.get(1));
        assertEquals(new FollowerRole(2, 4, 4), manager.partition(P0).orElseThrow().role());
    }

    @Test
    void severalChangesOfAPartitionInOneDeltaEndInTheLastState() {
        start().applyMetadata(topic().partition(record(0, 1, 3, List.of(1, 2)))
                .partition(record(0, 2, 4, List.of(1, 2))).build(), 0);
        assertEquals(new FollowerRole(2, 4, 4), manager.partition(P0).orElseThrow().role());
        assertEquals(List.of("save epoch=4 while OfflineRole"), events);
    }

    @Test
    void lookupsRefuseWithTheRightCodeAndHint() {
        start().applyMetadata(topic().partition(record(0, 1, 0, List.of(1, 2)))
                .partition(record(1, 2, 7, List.of(2, 3))).build(), 0);
        assertEquals(P0, manager.partitionForClient("orders", 0).id());
        PartitionException unknown = assertThrows(PartitionException.class, () -> manager.partitionForClient("x", 0));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, unknown.errorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, assertThrows(PartitionException.class,
                () -> manager.partitionForClient("orders", 5)).errorCode());
        PartitionException elsewhere = assertThrows(PartitionException.class, () -> manager.partitionForClient(
                "orders", 1));
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER, elsewhere.errorCode());
        assertEquals(2, elsewhere.leaderId());
        assertEquals(7, elsewhere.leaderEpoch());
        assertEquals("b2", manager.brokerEndpoint(2).orElseThrow().getHost());
        manager.applyMetadata(MetadataDelta.builder().partition(record(1, -1, 8, List.of(2, 3))).build(), 0);
        assertEquals(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, assertThrows(PartitionException.class,
                () -> manager.partitionForClient("orders", 1)).errorCode());
    }

    @Test
    void replicasMovedAwayDeletedTopicsAndStraysAreDeleted() {
        disk.put(new TopicIdPartition("99999999-0000-4000-8000-000000000000", 0), new InMemoryLog(LogConfig.DEFAULT));
        start().applyMetadata(topic().fullImage(true).partition(record(0, 1, 0, List.of(1, 2)))
                .partition(record(1, 1, 0, List.of(1, 2))).build(), 0);
        assertEquals(List.of(new TopicIdPartition("99999999-0000-4000-8000-000000000000", 0)), logs.deleted(),
                "a log the image does not assign here is a stray");
        manager.applyMetadata(MetadataDelta.builder().partition(record(1, 2, 1, List.of(2, 3))).build(), 0);
        assertTrue(logs.deleted().contains(P1), "the replica moved off this broker");
        assertTrue(manager.partition(P1).isEmpty());
        manager.applyMetadata(MetadataDelta.builder().deleteTopic(TOPIC_ID).build(), 0);
        assertTrue(logs.deleted().contains(P0));
        assertTrue(manager.topicId("orders").isEmpty());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, assertThrows(PartitionException.class,
                () -> manager.partitionForClient("orders", 0)).errorCode());
    }

    @Test
    void highWatermarksAreCheckpointedAndARestartStartsFromThem() {
        start().applyMetadata(topic().partition(record(0, 1, 2, List.of(1))).build(), 0);
        Partition leader = manager.partition(P0).orElseThrow();
        leader.appendAsLeader(TestBatches.batch("a", "b"), true);
        manager.poll(clock.monotonicMs());
        assertEquals(new ReplicaCheckpoint(2, 2), store.load().get(P0));
        // A crash: the process (this manager) is gone, the log and the state store stay.
        ReplicaManager restarted = start();
        restarted.applyMetadata(topic().partition(record(0, 1, 1, List.of(1))).build(), 0);
        assertInstanceOf(OfflineRole.class, restarted.partition(P0).orElseThrow().role(),
                "epoch 1 is older than the persisted epoch 2: ignored");
        assertEquals(2, restarted.partition(P0).orElseThrow().highWatermark());
        restarted.applyMetadata(MetadataDelta.builder().partition(record(0, 1, 3, List.of(1))).build(), 0);
        assertInstanceOf(LeaderRole.class, restarted.partition(P0).orElseThrow().role());
    }

    @Test
    void followersGetTheirWholeLagAllowanceWhenApplyingMetadataIsSlow() {
        store.saveDelayMs = 10_000; // a slow fsync on a busy machine
        start();
        manager.applyMetadata(topic().partition(record(0, 1, 1, List.of(1, 2))).build(), clock.monotonicMs());
        long lag = ReplicationConfig.DEFAULT.replicaLagTimeMaxMs();
        clock.advanceMs(lag - 1_000);
        manager.poll(clock.monotonicMs());
        assertEquals(List.of(), proposals, "broker 2 dropped before it had replica.lag.time.max.ms to fetch");
        clock.advanceMs(ReplicationConfig.DEFAULT.isrCheckIntervalMs());
        manager.poll(clock.monotonicMs());
        assertEquals(1, proposals.size(), "broker 2 never fetched: it leaves the ISR once the allowance is over");
    }
}
