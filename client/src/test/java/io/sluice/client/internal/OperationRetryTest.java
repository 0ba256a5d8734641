package io.sluice.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.metadata.TestClusters;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.common.ManualClock;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.DescribeClusterRequest;
import io.sluice.proto.v1.DescribeClusterResponse;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.proto.v1.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Retry decisions of the shared operations, under a manual clock with a scripted transport. */
class OperationRetryTest {
    private final ManualClock clock = new ManualClock(0);
    private final FakeTransport transport = new FakeTransport();
    private final NetworkClient network = new NetworkClient(transport, new EventQueue());
    private final Backoff backoff = new Backoff(10, 100, new Random(3));
    private final MetadataManager metadata = new MetadataManager(List.of(new HostPort("a", 1), new HostPort("b", 1)),
            300_000, 1_000, backoff);
    private final OperationContext context = new OperationContext(network, metadata, new Coordinators(backoff, 1_000),
            backoff, 1_000);

    private void runUntilDone(Operation op, int maxRounds, long stepMs) {
        for (int i = 0; i < maxRounds; i++) {
            clock.advanceMs(stepMs);
            network.poll(clock.monotonicMs());
            metadata.poll(clock.monotonicMs(), network);
            if (op.poll(clock.monotonicMs(), context)) {
                return;
            }
            context.coordinators().poll(clock.monotonicMs(), network, metadata);
        }
    }

    private static SluiceException failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(SluiceException.class, e.getCause());
    }

    private RpcOperation<DescribeClusterRequest, DescribeClusterResponse, String> describe(long deadlineMs) {
        return new RpcOperation<>("describe", RpcOperation.anyNode(), AdminServiceGrpc.getDescribeClusterMethod(),
                DescribeClusterRequest::getDefaultInstance, r -> {
                    Errors.throwIfError(r.getErrorCode(), r.getErrorMessage());
                    return r.getClusterId();
                }, deadlineMs);
    }

    @Test
    void aRetriableAnswerIsRetriedAtAnotherNodeAfterBackoff() {
        transport.respondTo(MetadataServiceGrpc.getMetadataMethod(), (to, r) -> TestClusters.response(0, 1).build());
        List<HostPort> asked = new ArrayList<>();
        int[] calls = {0};
        transport.respondTo(AdminServiceGrpc.getDescribeClusterMethod(), (to, r) -> {
            asked.add(to);
            return calls[0]++ == 0
                    ? DescribeClusterResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE).build()
                    : DescribeClusterResponse.newBuilder().setClusterId("c").build();
        });
        var op = describe(10_000);
        runUntilDone(op, 50, 5);
        assertEquals("c", op.future().join());
        assertEquals(2, asked.size());
        assertNotEquals(asked.get(0), asked.get(1), "the retry went to the next node");
    }

    @Test
    void anUnreachableClusterTimesOutWithTheTransportErrorAsCause() {
        var op = describe(2_000);
        for (int i = 0; i < 400 && !op.future().isDone(); i++) {
            for (FakeTransport.Call c : transport.pendingCalls()) {
                c.fail(Status.UNAVAILABLE.withDescription("Connection refused"));
            }
            runUntilDone(op, 1, 10);
        }
        SluiceException e = failure(op.future());
        assertInstanceOf(SluiceTimeoutException.class, e);
        assertTrue(e.getMessage().contains("cannot reach") && e.getMessage().contains("Connection refused"),
                e.getMessage());
    }

    @Test
    void aNonRetriableAnswerFailsAtOnce() {
        transport.respondTo(AdminServiceGrpc.getDescribeClusterMethod(), (to, r) -> DescribeClusterResponse
                .newBuilder().setErrorCode(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE).build());
        var op = describe(10_000);
        runUntilDone(op, 5, 5);
        assertEquals(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE, failure(op.future()).errorCode());
        assertEquals(1, transport.allCalls().stream().filter(c -> c.method.endsWith("DescribeCluster")).count());
    }

    @Test
    void notCoordinatorLooksTheCoordinatorUpAgain() {
        int[] lookups = {0};
        transport.respondTo(GroupServiceGrpc.getFindCoordinatorMethod(), (to, r) -> {
            lookups[0]++;
            return FindCoordinatorResponse.newBuilder().addCoordinators(Coordinator.newBuilder().setGroupId("g")
                    .setEndpoint(Endpoint.newBuilder().setHost("a").setPort(1))).build();
        });
        int[] fetches = {0};
        transport.respondTo(GroupServiceGrpc.getOffsetFetchMethod(), (to, r) -> fetches[0]++ == 0
                ? OffsetFetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_COORDINATOR).build()
                : OffsetFetchResponse.getDefaultInstance());
        var op = GroupRequests.fetchCommitted("g", List.of(), 10_000);
        runUntilDone(op, 50, 5);
        assertEquals(Map.of(), op.future().join());
        assertEquals(2, lookups[0]);
    }

    @Test
    void leaderRoutedRequestsFollowTheHintAndFailFastOnUnknownTopics() {
        transport.respondTo(MetadataServiceGrpc.getMetadataMethod(), (to, r) -> {
            MetadataResponse.Builder b = TestClusters.response(2, 1).addTopics(TestClusters.topic("t", 1));
            return b.addTopics(TopicMetadata.newBuilder().setName("gone")
                    .setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)).build();
        });
        List<HostPort> asked = new ArrayList<>();
        transport.respondTo(AdminServiceGrpc.getListOffsetsMethod(), (to, r) -> {
            asked.add(to);
            ListOffsetsPartitionResponse.Builder p = ListOffsetsPartitionResponse.newBuilder().setPartition(0);
            if (to.host().equals("broker1")) {
                p.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER).setCurrentLeader(LeaderHint.newBuilder()
                        .setLeaderId(2).setLeaderEpoch(5).setEndpoint(Endpoint.newBuilder().setHost("broker2")
                                .setPort(9092)));
            } else {
                p.setOffset(42);
            }
            return ListOffsetsResponse.newBuilder().addTopics(ListOffsetsTopicResponse.newBuilder().setName("t")
                    .addPartitions(p)).build();
        });
        var op = ListOffsetsOperation.create(Map.of(new TopicPartition("t", 0),
                new ListOffsetsOperation.Query(OffsetSpec.OFFSET_SPEC_LATEST, 0)),
                IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED, 10_000);
        runUntilDone(op, 50, 5);
        assertEquals(42, op.future().join().get(new TopicPartition("t", 0)).offset());
        assertEquals(List.of("broker1", "broker2"), asked.stream().map(HostPort::host).toList());

        var gone = ListOffsetsOperation.create(Map.of(new TopicPartition("gone", 0),
                new ListOffsetsOperation.Query(OffsetSpec.OFFSET_SPEC_LATEST, 0)),
                IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED, 10_000);
        runUntilDone(gone, 50, 5);
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(gone.future()));
    }
}
