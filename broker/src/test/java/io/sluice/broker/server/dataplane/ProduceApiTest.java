package io.sluice.broker.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.partition.TestBatches;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.FetcherConfig;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.TopicProduceData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Produce through the data plane of three in-process brokers: acks, waiting, errors, validation. */
class ProduceApiTest {
    private static final LogConfig SMALL_BATCHES = new LogConfig(1 << 20, Long.MAX_VALUE, -1, -1, 200, false,
            LogConfig.FlushPolicy.PAGE_CACHE, 1000, 4096);

    private TestCluster cluster;
    private String topicId;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3, DataPlaneConfig.DEFAULT.withMaxPartitionsPerRequest(4).withReplication(
                ReplicationConfig.DEFAULT.withFetcher(new FetcherConfig(100, 1, 1 << 20, 1 << 20, 20, 100))
                        .withReplicaLagTimeMaxMs(200).withIntervals(20, 100)));
        topicId = cluster.createTopic("events", 2, 3, new TopicSettings(SMALL_BATCHES, 2));
    }

    static ProduceRequest request(long correlationId, Acks acks, int timeoutMs, String topic, int partition,
            ByteBuffer batch) {
        return ProduceRequest.newBuilder().setCorrelationId(correlationId).setAcks(acks).setTimeoutMs(timeoutMs)
                .addTopics(TopicProduceData.newBuilder().setTopic(topic).addPartitions(PartitionProduceData.newBuilder()
                        .setPartition(partition).setRecords(ByteString.copyFrom(batch.duplicate()))))
                .build();
    }

    /** Drops every replica fetch of brokers 2 and 3 from now on. */
    private void silenceFollowers() {
        cluster.silenced.add(2);
        cluster.silenced.add(3);
    }

    private ProduceResponse produce(int broker, ProduceRequest request, long maxMs) {
        return cluster.await(answer -> cluster.brokers.get(broker).produce(request, answer), maxMs);
    }

    private static PartitionProduceResponse only(ProduceResponse response) {
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
        return response.getTopics(0).getPartitions(0);
    }

    @Test
    void acksAllAnswersOnceEveryIsrMemberHasTheBatch() {
        ProduceResponse response = produce(1, request(7, Acks.ACKS_ALL, 5_000, "events", 0,
                TestBatches.batch("a", "b")), 2_000);
        assertEquals(7, response.getCorrelationId());
        assertEquals(0, only(response).getBaseOffset());
        for (int broker = 1; broker <= 3; broker++) {
            assertEquals(2, cluster.partition(broker, topicId, 0).logEndOffset(), "broker " + broker);
        }
        assertTrue(cluster.partition(1, topicId, 0).highWatermark() >= 2);
    }

    @Test
    void unsetAcksMeansAllAndAcksNoneAnswersWithoutOffsets() {
        assertEquals(0, only(produce(1, request(1, Acks.ACKS_UNSPECIFIED, 5_000, "events", 0,
                TestBatches.batch("a")), 2_000)).getBaseOffset());
        PartitionProduceResponse none = only(produce(1, request(2, Acks.ACKS_NONE, 0, "events", 0,
                TestBatches.batch("b")), 0));
        assertEquals(-1, none.getBaseOffset());
        assertEquals(2, cluster.partition(1, topicId, 0).logEndOffset(), "appended all the same");
        assertEquals(2, only(produce(1, request(3, Acks.ACKS_LEADER, 0, "events", 0,
                TestBatches.batch("c")), 0)).getBaseOffset());
    }

    @Test
    void acksAllTimesOutWithAnUnknownOutcomeWhenFollowersDoNotFetch() {
        silenceFollowers();
        ProduceResponse response = produce(1, request(1, Acks.ACKS_ALL, 100, "events", 0, TestBatches.batch("a")),
                1_000);
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, only(response).getErrorCode());
        assertEquals(-1, only(response).getBaseOffset());
        assertEquals(1, cluster.partition(1, topicId, 0).logEndOffset(), "the batch is on the leader: outcome unknown");
    }

    @Test
    void belowMinIsrAcksAllIsRefusedAndNothingIsAppended() {
        silenceFollowers();
        cluster.step(600);
        assertEquals(List.of(1), cluster.record(topicId, 0).getIsrList(), "the stuck followers left the ISR");
        PartitionProduceResponse refused = only(produce(1, request(1, Acks.ACKS_ALL, 1_000, "events", 0,
                TestBatches.batch("a")), 100));
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, refused.getErrorCode());
        assertEquals(0, cluster.partition(1, topicId, 0).logEndOffset());
        assertEquals(0, only(produce(1, request(2, Acks.ACKS_LEADER, 0, "events", 0, TestBatches.batch("b")), 0))
                .getBaseOffset());
        cluster.step(100);
        assertEquals(0, cluster.partition(1, topicId, 0).highWatermark(), "the ISR below min.insync.replicas "
                + "holds the high watermark");
        cluster.silenced.clear();
        cluster.step(600);
        assertEquals(3, cluster.record(topicId, 0).getIsrCount(), "caught-up followers rejoined");
        assertEquals(1, cluster.partition(1, topicId, 0).highWatermark());
    }

    @Test
    void theIsrShrinkingAfterTheAppendIsReported() {
        silenceFollowers();
        ProduceResponse response = produce(1, request(1, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("a")),
                2_000);
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, only(response).getErrorCode());
    }

    @Test
    void aLeaderChangeAnswersPendingProducesAsTimedOutWithTheNewLeader() {
        silenceFollowers();
        AtomicReference<ProduceResponse> answer = new AtomicReference<>();
        cluster.brokers.get(1).produce(request(1, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("a")),
                answer::set);
        assertNull(answer.get());
        cluster.publish(cluster.record(topicId, 0).toBuilder().setLeader(2).setLeaderEpoch(1)
                .setPartitionEpoch(9).build());
        PartitionProduceResponse p = only(answer.get());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, p.getErrorCode(), p.getErrorMessage());
        assertEquals(2, p.getCurrentLeader().getLeaderId());
        assertEquals(1, p.getCurrentLeader().getLeaderEpoch());
        assertEquals("broker-2", p.getCurrentLeader().getEndpoint().getHost());
    }

    @Test
    void badPartitionsGetTheirOwnCodesAndTheRestIsWritten() {
        ByteBuffer corrupt = TestBatches.batch("x");
        corrupt.put(corrupt.limit() - 1, (byte) 0x7f);
        ProduceRequest request = ProduceRequest.newBuilder().setCorrelationId(3).setAcks(Acks.ACKS_LEADER)
                .addTopics(TopicProduceData.newBuilder().setTopic("events")
                        .addPartitions(partition(0, TestBatches.batch("ok")))
                        .addPartitions(partition(1, corrupt)))
                .addTopics(TopicProduceData.newBuilder().setTopic("nope").addPartitions(partition(0,
                        TestBatches.batch("x"))))
                .build();
        ProduceResponse response = produce(1, request, 0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getTopics(0).getPartitions(0).getErrorCode());
        PartitionProduceResponse notLeader = response.getTopics(0).getPartitions(1);
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER, notLeader.getErrorCode(), "partition 1 is led by broker 2");
        assertEquals(2, notLeader.getCurrentLeader().getLeaderId());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, response.getTopics(1).getPartitions(0)
                .getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_CORRUPT_BATCH, only(produce(2, request(4, Acks.ACKS_LEADER, 0, "events", 1,
                corrupt), 0)).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_BATCH_TOO_LARGE, only(produce(1, request(5, Acks.ACKS_LEADER, 0, "events",
                0, TestBatches.batch("x".repeat(300))), 0)).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_BATCH, only(produce(1, request(6, Acks.ACKS_LEADER, 0, "events", 0,
                ByteBuffer.wrap(new byte[] {1, 2, 3})), 0)).getErrorCode());
        assertEquals(1, cluster.partition(1, topicId, 0).logEndOffset(), "only the good batch was stored");
    }

    private static PartitionProduceData partition(int partition, ByteBuffer batch) {
        return PartitionProduceData.newBuilder().setPartition(partition)
                .setRecords(ByteString.copyFrom(batch.duplicate())).build();
    }

    @Test
    void malformedRequestsAreRefusedWholeWithStableCodes() {
        ProduceRequest duplicate = ProduceRequest.newBuilder().setCorrelationId(9).setAcks(Acks.ACKS_LEADER)
                .addTopics(TopicProduceData.newBuilder().setTopic("events")
                        .addPartitions(partition(0, TestBatches.batch("a")))
                        .addPartitions(partition(0, TestBatches.batch("b"))))
                .build();
        ProduceResponse refused = produce(1, duplicate, 0);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, refused.getErrorCode());
        assertEquals(9, refused.getCorrelationId());
        assertTrue(refused.getErrorMessage().contains("more than once"), refused.getErrorMessage());
        assertEquals(0, refused.getTopicsCount());
        TopicProduceData.Builder many = TopicProduceData.newBuilder().setTopic("events");
        for (int p = 0; p < 5; p++) {
            many.addPartitions(partition(p, TestBatches.batch("a")));
        }
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, produce(1, ProduceRequest.newBuilder().addTopics(many)
                .build(), 0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, produce(1, request(1, Acks.ACKS_ALL, -5, "events", 0,
                TestBatches.batch("a")), 0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, produce(1, request(1, Acks.ACKS_ALL, 0, "", 0,
                TestBatches.batch("a")), 0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, produce(1, ProduceRequest.newBuilder().setAcksValue(42)
                .build(), 0).getErrorCode());
        assertEquals(0, cluster.partition(1, topicId, 0).logEndOffset(), "nothing was written");
    }

    @Test
    void aStoppedBrokerAnswersPendingWritesAsTimedOutAndRefusesNewOnes() {
        silenceFollowers();
        AtomicReference<ProduceResponse> answer = new AtomicReference<>();
        cluster.brokers.get(1).produce(request(1, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("a")),
                answer::set);
        cluster.brokers.get(1).close();
        assertNotNull(answer.get());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, only(answer.get()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NODE_NOT_READY, produce(1, request(2, Acks.ACKS_ALL, 0, "events", 0,
                TestBatches.batch("b")), 0).getErrorCode());
    }
}
