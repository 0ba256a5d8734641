package io.sluice.broker.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.partition.InMemoryReplicaStateStore;
import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.MemoryLogs;
import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.partition.TestBatches;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.SystemClock;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ProduceResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver thread: metadata reaches the core, the core runs, and stopping closes the data plane. */
class DataPlaneDriverTest {
    private static final String TOPIC_ID = "33333333-0000-4000-8000-000000000000";

    @Test
    void appliesMetadataOnItsThreadServesAndClosesTheDataPlaneWhenStopped() throws Exception {
        MemoryLogs logs = new MemoryLogs();
        DataPlane dataPlane = DataPlane.create(1, SystemClock.INSTANCE, DataPlaneConfig.DEFAULT,
                new ReplicaManager.Services(logs, new InMemoryReplicaStateStore(),
                        (leader, request, timeout, callback) -> { }, request -> new CompletableFuture<>()));
        DataPlaneDriver driver = DataPlaneDriver.start(dataPlane, SystemClock.INSTANCE, "data-plane-test");
        try {
            driver.applyMetadata(MetadataDelta.builder().topic(new TopicInfo(TOPIC_ID, "t", TopicSettings.DEFAULT))
                    .partition(PartitionRecord.newBuilder().setTopicId(TOPIC_ID).setPartition(0).addReplicas(1)
                            .addIsr(1).setLeader(1).build()).build()).get(30, TimeUnit.SECONDS);
            assertInstanceOf(LeaderRole.class, dataPlane.replicaManager().partition(new TopicIdPartition(TOPIC_ID, 0))
                    .orElseThrow().role());
            CompletableFuture<ProduceResponse> answer = new CompletableFuture<>();
            dataPlane.produce(ProduceApiTest.request(1, Acks.ACKS_ALL, 10_000, "t", 0, TestBatches.batch("a")),
                    answer::complete);
            assertEquals(ErrorCode.ERROR_CODE_NONE, answer.get(30, TimeUnit.SECONDS).getTopics(0).getPartitions(0)
                    .getErrorCode());
        } finally {
            driver.close();
        }
        assertTrue(dataPlane.isClosed());
        ExecutionException late = assertThrows(ExecutionException.class, () -> driver.applyMetadata(
                MetadataDelta.builder().build()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, late.getCause());
    }
}
