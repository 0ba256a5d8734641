package io.sluice.broker.server.dataplane;

import static io.sluice.broker.server.dataplane.ProduceApiTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.partition.TestBatches;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.broker.server.RawBytes;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data-plane services over real gRPC on loopback: three brokers replicating over ReplicaFetch. */
class GrpcDataPlaneTest {
    private static final long WAIT_S = 30;

    private GrpcCluster cluster;
    private String topicId;

    @BeforeEach
    void start() throws Exception {
        cluster = new GrpcCluster(3, 8);
        topicId = cluster.createTopic("events", 2, 3, 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    private static ProducerServiceGrpc.ProducerServiceBlockingStub producer(ManagedChannel channel) {
        return ProducerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS);
    }

    private static FetchResponse fetch(ManagedChannel channel, long offset, int maxWaitMs) {
        return ConsumerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                .fetch(FetchRequest.newBuilder().setMaxWaitMs(maxWaitMs).setMinBytes(1)
                        .addTopics(FetchTopic.newBuilder().setTopic("events").addPartitions(FetchPartition
                                .newBuilder().setPartition(0).setFetchOffset(offset).setCurrentLeaderEpoch(-1)))
                        .build());
    }

    @Test
    void acksAllProduceIsReplicatedEverywhereAndReadableWithFetchAndListOffsets() throws Exception {
        ManagedChannel leader = cluster.channel(1);
        AtomicReference<FetchResponse> longPoll = new AtomicReference<>();
        CountDownLatch polled = new CountDownLatch(1);
        Thread consumer = new Thread(() -> {
            longPoll.set(fetch(cluster.channel(1), 0, 20_000));
            polled.countDown();
        });
        consumer.start();
        ProduceResponse response = producer(leader).produce(request(1, Acks.ACKS_ALL, 20_000, "events", 0,
                TestBatches.batch("a", "b", "c")));
        PartitionProduceResponse p = response.getTopics(0).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, p.getErrorCode(), p.getErrorMessage());
        assertEquals(0, p.getBaseOffset());
        assertTrue(polled.await(WAIT_S, TimeUnit.SECONDS), "the long-polling fetch was answered by the append");
        consumer.join();
        assertEquals(List.of("a", "b", "c"), TestBatches.values(longPoll.get().getTopics(0).getPartitions(0)
                .getRecords().asReadOnlyByteBuffer()));
        for (int broker = 1; broker <= 3; broker++) {
            InMemoryLog log = cluster.nodes.get(broker).disk.get(new TopicIdPartition(topicId, 0));
            assertEquals(List.of("a", "b", "c"), TestBatches.values(log.read(0, 1 << 20, Long.MAX_VALUE, true)
                    .records()), "broker " + broker + " has the acknowledged batch");
        }
        long latest = AdminServiceGrpc.newBlockingStub(leader).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                .listOffsets(ListOffsetsRequest.newBuilder().addTopics(ListOffsetsTopic.newBuilder().setName("events")
                        .addPartitions(ListOffsetsPartition.newBuilder().setPartition(0)
                                .setSpec(OffsetSpec.OFFSET_SPEC_LATEST).setCurrentLeaderEpoch(-1))).build())
                .getTopics(0).getPartitions(0).getOffset();
        assertEquals(3, latest);
    }

    @Test
    void waitingFetchesHoldNoHandlerThread() throws Exception {
        int fetches = 16;
        CountDownLatch answered = new CountDownLatch(fetches);
        ConsumerServiceGrpc.ConsumerServiceStub async = ConsumerServiceGrpc.newStub(cluster.channel(1))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        for (int i = 0; i < fetches; i++) {
            async.fetch(FetchRequest.newBuilder().setMaxWaitMs(50_000).setMinBytes(1).addTopics(FetchTopic.newBuilder()
                    .setTopic("events").addPartitions(FetchPartition.newBuilder().setPartition(0).setFetchOffset(0)
                            .setCurrentLeaderEpoch(-1))).build(), new StreamObserver<>() {
                                @Override
                                public void onNext(FetchResponse response) {
                                    answered.countDown();
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                }
                            });
        }
        PartitionProduceResponse p = producer(cluster.channel(1)).produce(request(1, Acks.ACKS_ALL, 20_000, "events",
                0, TestBatches.batch("x"))).getTopics(0).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, p.getErrorCode(), "served while " + fetches + " fetches wait on a "
                + "4-thread handler pool");
        assertTrue(answered.await(WAIT_S, TimeUnit.SECONDS), "every waiting fetch got the batch");
    }

    @Test
    void produceStreamPipelinesManyRequestsAndMatchesAnswersByCorrelationId() throws Exception {
        int requests = 200;
        Map<Long, ProduceResponse> answers = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        StreamObserver<ProduceRequest> stream = ProducerServiceGrpc.newStub(cluster.channel(1))
                .withDeadlineAfter(60, TimeUnit.SECONDS).produceStream(new StreamObserver<>() {
                    @Override
                    public void onNext(ProduceResponse response) {
                        answers.put(response.getCorrelationId(), response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (long id = 0; id < requests; id++) {
            stream.onNext(request(id, id % 2 == 0 ? Acks.ACKS_ALL : Acks.ACKS_LEADER, 20_000, "events", 0,
                    TestBatches.batch("v" + id)));
        }
        stream.onCompleted();
        assertTrue(done.await(60, TimeUnit.SECONDS), "the stream completed after the last answer");
        assertNull(failure.get());
        assertEquals(requests, answers.size());
        for (long id = 0; id < requests; id++) {
            PartitionProduceResponse p = answers.get(id).getTopics(0).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, p.getErrorCode(), p.getErrorMessage());
            assertEquals(id, p.getBaseOffset(), "one partition's batches are appended in arrival order");
        }
    }

    @Test
    void malformedAndInvalidRequestsAreRefusedAndTheBrokerKeepsItsDataAndServes() {
        ManagedChannel channel = cluster.channel(1);
        assertEquals(ErrorCode.ERROR_CODE_NONE, producer(channel).produce(request(1, Acks.ACKS_ALL, 20_000, "events",
                0, TestBatches.batch("kept"))).getTopics(0).getPartitions(0).getErrorCode());
        MethodDescriptor<byte[], byte[]> raw = RawBytes.of(ProducerServiceGrpc.getProduceMethod());
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0x22;
            garbage[1 % garbage.length] = (byte) 0xff;
            try {
                byte[] answer = ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(
                        WAIT_S, TimeUnit.SECONDS), garbage);
                ProduceResponse parsed = ProduceResponse.parseFrom(answer);
                assertTrue(parsed.getErrorCode() != ErrorCode.ERROR_CODE_NONE || parsed.getTopicsCount() == 0
                        || parsed.getTopics(0).getPartitions(0).getErrorCode() != ErrorCode.ERROR_CODE_NONE,
                        "random bytes never produce a record");
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        StatusRuntimeException tooBig = assertThrows(StatusRuntimeException.class, () -> producer(channel).produce(
                request(2, Acks.ACKS_ALL, 0, "events", 0, TestBatches.batch("x".repeat(17 << 20)))));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
        FetchResponse negative = ConsumerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_S,
                TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().addTopics(FetchTopic.newBuilder().setTopic("events")
                .addPartitions(FetchPartition.newBuilder().setPartition(0).setFetchOffset(-3))).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, negative.getErrorCode());
        assertEquals(List.of("kept"), TestBatches.values(fetch(channel, 0, 0).getTopics(0).getPartitions(0)
                .getRecords().asReadOnlyByteBuffer()), "nothing stored changed");
        assertEquals(1, producer(channel).produce(request(3, Acks.ACKS_ALL, 20_000, "events", 0,
                TestBatches.batch("after"))).getTopics(0).getPartitions(0).getBaseOffset(), "still serving");
    }

    @Test
    void afterTheLeaderStopsTheNewLeaderServesAndFollowersReplicateFromIt() throws Exception {
        assertEquals(ErrorCode.ERROR_CODE_NONE, producer(cluster.channel(1)).produce(request(1, Acks.ACKS_ALL,
                20_000, "events", 0, TestBatches.batch("before"))).getTopics(0).getPartitions(0).getErrorCode());
        cluster.stop(1);
        cluster.publish(cluster.record(topicId, 0).toBuilder().setLeader(2).setLeaderEpoch(1).clearIsr().addIsr(2)
                .addIsr(3).setPartitionEpoch(cluster.record(topicId, 0).getPartitionEpoch() + 1).build());
        PartitionProduceResponse p = producer(cluster.channel(2)).produce(request(2, Acks.ACKS_ALL, 20_000,
                "events", 0, TestBatches.batch("after"))).getTopics(0).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, p.getErrorCode(), p.getErrorMessage());
        assertEquals(1, p.getBaseOffset());
        InMemoryLog follower = cluster.nodes.get(3).disk.get(new TopicIdPartition(topicId, 0));
        assertEquals(List.of("before", "after"), TestBatches.values(follower.read(0, 1 << 20, Long.MAX_VALUE, true)
                .records()));
    }
}
