package io.sluice.broker.server.dataplane;

import static io.sluice.broker.server.dataplane.ProduceApiTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.partition.TestBatches;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.FetcherConfig;
import io.sluice.proto.internal.v1.ReplicaFetchPartition;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.DeleteRecordsPartition;
import io.sluice.proto.v1.DeleteRecordsPartitionResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.DeleteRecordsTopic;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.proto.v1.ProduceResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetch, replica fetch, ListOffsets and DeleteRecords through the data plane of three brokers. */
class FetchApiTest {
    private TestCluster cluster;
    private String topicId;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3, DataPlaneConfig.DEFAULT.withReplication(ReplicationConfig.DEFAULT
                .withFetcher(new FetcherConfig(100, 1, 1 << 20, 1 << 20, 20, 100)).withReplicaLagTimeMaxMs(300)
                .withIntervals(20, 100)));
        topicId = cluster.createTopic("events", 2, 3, TopicSettings.DEFAULT);
    }

    private void produce(String... values) {
        ProduceResponse r = cluster.await(a -> cluster.brokers.get(1).produce(request(1, Acks.ACKS_ALL, 5_000,
                "events", 0, TestBatches.batch(values)), a), 2_000);
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getTopics(0).getPartitions(0).getErrorCode());
    }

    private FetchResponse fetch(FetchRequest request, long maxMs) {
        return cluster.<FetchResponse>await(answer -> cluster.brokers.get(1).fetch(request, answer), maxMs);
    }

    private DeleteRecordsResponse delete(DeleteRecordsRequest request, long maxMs) {
        return cluster.<DeleteRecordsResponse>await(answer -> cluster.brokers.get(1).deleteRecords(request, answer),
                maxMs);
    }

    private static FetchRequest fetch(int maxWaitMs, int minBytes, int maxBytes, FetchPartition... partitions) {
        return FetchRequest.newBuilder().setMaxWaitMs(maxWaitMs).setMinBytes(minBytes).setMaxBytes(maxBytes)
                .addTopics(FetchTopic.newBuilder().setTopic("events").addAllPartitions(List.of(partitions))).build();
    }

    private static FetchPartition at(int partition, long offset) {
        return FetchPartition.newBuilder().setPartition(partition).setFetchOffset(offset).setCurrentLeaderEpoch(-1)
                .build();
    }

    @Test
    void aFetchWaitsForDataUpToMaxWaitAndReturnsWholeBatchesBelowTheHighWatermark() {
        AtomicReference<FetchResponse> answer = new AtomicReference<>();
        cluster.brokers.get(1).fetch(fetch(10_000, 1, 0, at(0, 0)), answer::set);
        cluster.step(50);
        assertNull(answer.get(), "nothing to read yet: the fetch waits");
        produce("a", "b");
        FetchPartitionResponse p = answer.get().getTopics(0).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, p.getErrorCode());
        assertEquals(List.of("a", "b"), TestBatches.values(p.getRecords().asReadOnlyByteBuffer()));
        assertEquals(2, p.getHighWatermark());
        assertEquals(2, p.getLastStableOffset());
        FetchResponse expired = fetch(fetch(100, 1, 0, at(0, 2)), 1_000);
        assertEquals(0, expired.getTopics(0).getPartitions(0).getRecords().size(), "answered empty at max_wait_ms");
        FetchResponse inside = fetch(fetch(0, 0, 0, at(0, 1)), 0);
        assertEquals(List.of(0L, 1L), TestBatches.offsets(inside.getTopics(0).getPartitions(0).getRecords()
                .asReadOnlyByteBuffer()), "a batch is returned whole from its start");
    }

    @Test
    void byteBoundsKeepTheFirstBatchForProgress() {
        produce("a");
        produce("b");
        FetchResponse one = fetch(fetch(0, 0, 1, at(0, 0)), 0);
        assertEquals(List.of("a"), TestBatches.values(one.getTopics(0).getPartitions(0).getRecords()
                .asReadOnlyByteBuffer()));
        FetchPartition small = at(0, 0).toBuilder().setPartitionMaxBytes(1).build();
        FetchResponse perPartition = fetch(fetch(0, 0, 0, small), 0);
        assertEquals(1, TestBatches.values(perPartition.getTopics(0).getPartitions(0).getRecords()
                .asReadOnlyByteBuffer()).size());
        FetchResponse all = fetch(fetch(0, 0, 0, at(0, 0)), 0);
        assertEquals(List.of("a", "b"), TestBatches.values(all.getTopics(0).getPartitions(0).getRecords()
                .asReadOnlyByteBuffer()));
    }

    @Test
    void partitionErrorsAnswerAtOnceWithTheirCodes() {
        produce("a");
        FetchResponse response = fetch(fetch(10_000, 1, 0, at(0, 5),
                at(1, 0)), 0);
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, response.getTopics(0).getPartitions(0).getErrorCode());
        FetchPartitionResponse notLeader = response.getTopics(0).getPartitions(1);
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER, notLeader.getErrorCode());
        assertEquals(2, notLeader.getCurrentLeader().getLeaderId());
        FetchPartition stale = at(0, 0).toBuilder().setCurrentLeaderEpoch(0).build();
        cluster.publish(cluster.record(topicId, 0).toBuilder().setLeaderEpoch(1).setPartitionEpoch(5).build());
        FetchResponse fenced = fetch(fetch(0, 0, 0, stale), 0);
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, fenced.getTopics(0).getPartitions(0).getErrorCode());
    }

    @Test
    void invalidFetchesAreRefusedWhole() {
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, fetch(
                fetch(0, 0, 0, at(0, -1)), 0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, fetch(
                fetch(60_001, 0, 0, at(0, 0)), 0).getErrorCode());
        FetchResponse duplicate = fetch(fetch(0, 0, 0, at(0, 0),
                at(0, 3)), 0);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, duplicate.getErrorCode());
        assertTrue(duplicate.getErrorMessage().contains("more than once"), duplicate.getErrorMessage());
    }

    @Test
    void replicaFetchesFromAnOldIncarnationAreRefused() {
        ReplicaFetchRequest stale = ReplicaFetchRequest.newBuilder().setReplicaId(2).setBrokerEpoch(3)
                .addPartitions(ReplicaFetchPartition.newBuilder().setTopicId(topicId).setPartition(0)
                        .setCurrentLeaderEpoch(0).setLastFetchedEpoch(-1)).build();
        ReplicaFetchResponse refused = cluster.await(a -> cluster.brokers.get(1).replicaFetch(stale, a), 0);
        assertEquals(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, refused.getErrorCode());
        ReplicaFetchResponse self = cluster.await(a -> cluster.brokers.get(1).replicaFetch(stale.toBuilder()
                .setReplicaId(1).build(), a), 0);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, self.getErrorCode());
        ReplicaFetchResponse unknown = cluster.await(a -> cluster.brokers.get(1).replicaFetch(stale.toBuilder()
                .setBrokerEpoch(12).setPartitions(0, stale.getPartitions(0).toBuilder().setTopicId("nope")).build(),
                a), 0);
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, unknown.getPartitions(0).getErrorCode());
    }

    @Test
    void listOffsetsAnswersFromTheLeader() {
        produce("a", "b", "c");
        ListOffsetsRequest request = ListOffsetsRequest.newBuilder().addTopics(ListOffsetsTopic.newBuilder()
                .setName("events")
                .addPartitions(ListOffsetsPartition.newBuilder().setPartition(0).setSpec(OffsetSpec.OFFSET_SPEC_LATEST)
                        .setCurrentLeaderEpoch(-1))
                .addPartitions(ListOffsetsPartition.newBuilder().setPartition(1)
                        .setSpec(OffsetSpec.OFFSET_SPEC_EARLIEST).setCurrentLeaderEpoch(-1))).build();
        List<ListOffsetsPartitionResponse> answers = cluster.brokers.get(1).listOffsets(request).getTopics(0)
                .getPartitionsList();
        assertEquals(3, answers.get(0).getOffset());
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER, answers.get(1).getErrorCode());
        ListOffsetsRequest unset = ListOffsetsRequest.newBuilder().addTopics(ListOffsetsTopic.newBuilder()
                .setName("events").addPartitions(ListOffsetsPartition.newBuilder().setPartition(0))).build();
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, cluster.brokers.get(1).listOffsets(unset).getTopics(0)
                .getPartitions(0).getErrorCode());
    }

    @Test
    void deleteRecordsWaitsForTheFollowersLogStart() {
        produce("a", "b", "c");
        DeleteRecordsRequest request = DeleteRecordsRequest.newBuilder().setTimeoutMs(5_000)
                .addTopics(DeleteRecordsTopic.newBuilder().setName("events").addPartitions(DeleteRecordsPartition
                        .newBuilder().setPartition(0).setOffset(2))).build();
        DeleteRecordsPartitionResponse deleted = delete(request, 3_000).getTopics(0).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, deleted.getErrorCode(), deleted.getErrorMessage());
        assertEquals(2, deleted.getLowWatermark());
        for (int broker = 1; broker <= 3; broker++) {
            assertEquals(2, cluster.partition(broker, topicId, 0).logStartOffset(), "broker " + broker);
        }
        DeleteRecordsRequest beyond = request.toBuilder().setTopics(0, request.getTopics(0).toBuilder()
                .setPartitions(0, DeleteRecordsPartition.newBuilder().setPartition(0).setOffset(9))).build();
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, delete(beyond, 0).getTopics(0).getPartitions(0)
                .getErrorCode());
        cluster.silenced.add(2);
        DeleteRecordsRequest all = request.toBuilder().setTimeoutMs(100).setTopics(0, request.getTopics(0)
                .toBuilder().setPartitions(0, DeleteRecordsPartition.newBuilder().setPartition(0).setOffset(-1)))
                .build();
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, delete(all, 1_000).getTopics(0).getPartitions(0)
                .getErrorCode());
    }
}
