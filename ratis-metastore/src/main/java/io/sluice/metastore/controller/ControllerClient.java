package io.sluice.metastore.controller;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.common.Clock;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetaStoreException;
import io.sluice.metastore.QuorumInfo;
import io.sluice.metastore.internal.Endpoints;
import io.sluice.proto.internal.v1.AllocateProducerIdsRequest;
import io.sluice.proto.internal.v1.AllocateProducerIdsResponse;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerHeartbeatRequest;
import io.sluice.proto.internal.v1.BrokerHeartbeatResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.ControllerServiceGrpc;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.AddQuorumMemberRequest;
import io.sluice.proto.v1.AddQuorumMemberResponse;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreatePartitionsResult;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteTopicResult;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import io.sluice.proto.v1.RemoveQuorumMemberRequest;
import io.sluice.proto.v1.RemoveQuorumMemberResponse;
import io.sluice.protocol.TransportBuffers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A broker's client of the active controller's {@code ControllerService}. It finds the controller
 * from the node's own copy of the quorum (the Raft leader's id → that member's Sluice endpoint from
 * the Raft configuration, or failing that the endpoint the same node id registered as a broker), and
 * retries with exponential backoff on NOT_CONTROLLER, NODE_NOT_READY, an unknown leader and gRPC
 * UNAVAILABLE/DEADLINE_EXCEEDED, until the request's deadline; then the future fails with a
 * {@link MetaStoreException} (REQUEST_TIMED_OUT). Channels are cached per endpoint. Thread-safe.
 */
public final class ControllerClient implements AutoCloseable {
    /**
     * Retry settings.
     *
     * @param requestTimeoutMs overall deadline of one call, retries included
     * @param attemptTimeoutMs deadline of one attempt
     * @param initialBackoffMs first wait before a retry; doubles up to {@code maxBackoffMs}
     * @param maxBackoffMs     longest wait between attempts
     */
    public record Options(long requestTimeoutMs, long attemptTimeoutMs, long initialBackoffMs, long maxBackoffMs) {
        /** 30 s per call, 5 s per attempt, backoff 50 ms doubling to 1 s. */
        public static Options defaults() {
            return new Options(30_000, 5_000, 50, 1_000);
        }
    }

    /** One rpc on an async stub. */
    @FunctionalInterface
    private interface Rpc<Q, R> {
        void call(ControllerServiceGrpc.ControllerServiceStub stub, Q request, StreamObserver<R> observer);
    }

    private final MetaStore store;
    private final Clock clock;
    private final Options options;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private boolean closed;

    /** A client that locates the controller through {@code store}. */
    public ControllerClient(MetaStore store, Clock clock, Options options) {
        this.store = store;
        this.clock = clock;
        this.options = options;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "controller-client-" + store.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** The active controller's Sluice endpoint as this node knows it, or null. */
    public Endpoint controllerEndpoint() {
        QuorumInfo q = store.quorumInfo();
        Endpoint e = q.leaderClientEndpoint();
        if (e == null && q.leaderId() >= 0) {
            BrokerRecord b = store.image().broker(q.leaderId());
            e = b == null ? null : b.getEndpoint();
        }
        return e;
    }

    public CompletableFuture<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::registerBroker, req,
                r -> retriable(r.getErrorCode()));
    }

    public CompletableFuture<BrokerHeartbeatResponse> brokerHeartbeat(BrokerHeartbeatRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::brokerHeartbeat, req,
                r -> retriable(r.getErrorCode()));
    }

    public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::alterPartition, req,
                r -> retriable(r.getErrorCode()));
    }

    public CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(AllocateProducerIdsRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::allocateProducerIds, req,
                r -> retriable(r.getErrorCode()));
    }

    /**
     * Forwards CreateTopics; like every forwarded admin call it completes once this node's image
     * reflects the change (a linearizable read after the controller's answer), so a Metadata call on
     * this broker right after sees it.
     */
    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest req) {
        return visibleLocally(call(ControllerServiceGrpc.ControllerServiceStub::createTopics, req,
                r -> allRetriable(r.getTopicsList(), CreateTopicResult::getErrorCode)));
    }

    /** Completes with {@code answer} once the local image caught up with the leader (best effort). */
    private <R> CompletableFuture<R> visibleLocally(CompletableFuture<R> answer) {
        return answer.thenCompose(r -> store.readLinearizable().handle((image, e) -> r));
    }

    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest req) {
        return visibleLocally(call(ControllerServiceGrpc.ControllerServiceStub::deleteTopics, req,
                r -> allRetriable(r.getTopicsList(), DeleteTopicResult::getErrorCode)));
    }

    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest req) {
        return visibleLocally(call(ControllerServiceGrpc.ControllerServiceStub::createPartitions, req,
                r -> allRetriable(r.getTopicsList(), CreatePartitionsResult::getErrorCode)));
    }

    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest req) {
        return visibleLocally(call(ControllerServiceGrpc.ControllerServiceStub::incrementalAlterConfigs, req,
                r -> allRetriable(r.getResultsList(), x -> x.getErrorCode())));
    }

    public CompletableFuture<ElectLeadersResponse> electLeaders(ElectLeadersRequest req) {
        return visibleLocally(call(ControllerServiceGrpc.ControllerServiceStub::electLeaders, req,
                r -> retriable(r.getErrorCode())));
    }

    public CompletableFuture<AddQuorumMemberResponse> addQuorumMember(AddQuorumMemberRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::addQuorumMember, req,
                r -> retriable(r.getErrorCode()));
    }

    public CompletableFuture<RemoveQuorumMemberResponse> removeQuorumMember(RemoveQuorumMemberRequest req) {
        return call(ControllerServiceGrpc.ControllerServiceStub::removeQuorumMember, req,
                r -> retriable(r.getErrorCode()));
    }

    private static boolean retriable(ErrorCode code) {
        return code == ErrorCode.ERROR_CODE_NOT_CONTROLLER || code == ErrorCode.ERROR_CODE_NODE_NOT_READY;
    }

    private static <T> boolean allRetriable(List<T> items, Function<T, ErrorCode> code) {
        return !items.isEmpty() && items.stream().allMatch(i -> retriable(code.apply(i)));
    }

    private <Q, R> CompletableFuture<R> call(Rpc<Q, R> rpc, Q request, Predicate<R> retry) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(rpc, request, retry, result, clock.monotonicMs() + options.requestTimeoutMs(),
                options.initialBackoffMs());
        return result;
    }

    private <Q, R> void attempt(Rpc<Q, R> rpc, Q request, Predicate<R> retry, CompletableFuture<R> result,
            long deadlineMs, long backoffMs) {
        Endpoint endpoint = controllerEndpoint();
        ManagedChannel channel = endpoint == null ? null : channel(endpoint);
        if (channel == null) {
            retryLater(rpc, request, retry, result, deadlineMs, backoffMs, "no active controller is known");
            return;
        }
        ControllerServiceGrpc.ControllerServiceStub stub = ControllerServiceGrpc.newStub(channel)
                .withDeadlineAfter(options.attemptTimeoutMs(), TimeUnit.MILLISECONDS);
        rpc.call(stub, request, new StreamObserver<R>() {
            @Override
            public void onNext(R value) {
                if (retry.test(value)) {
                    retryLater(rpc, request, retry, result, deadlineMs, backoffMs, "not the controller");
                } else {
                    result.complete(value);
                }
            }

            @Override
            public void onError(Throwable t) {
                Status.Code code = Status.fromThrowable(t).getCode();
                if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                        || code == Status.Code.UNIMPLEMENTED) {
                    retryLater(rpc, request, retry, result, deadlineMs, backoffMs, t.toString());
                } else {
                    result.completeExceptionally(new StatusRuntimeException(Status.fromThrowable(t)));
                }
            }

            @Override
            public void onCompleted() {
                // the value arrived in onNext
            }
        });
    }

    private <Q, R> void retryLater(Rpc<Q, R> rpc, Q request, Predicate<R> retry, CompletableFuture<R> result,
            long deadlineMs, long backoffMs, String why) {
        if (clock.monotonicMs() + backoffMs > deadlineMs) {
            result.completeExceptionally(new MetaStoreException(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
                    "no answer from the active controller before the deadline: " + why, null));
            return;
        }
        try {
            scheduler.schedule(() -> attempt(rpc, request, retry, result, deadlineMs,
                    Math.min(options.maxBackoffMs(), backoffMs * 2)), backoffMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new MetaStoreException(ErrorCode.ERROR_CODE_NODE_NOT_READY,
                    "the controller client is closed", e));
        }
    }

    private synchronized ManagedChannel channel(Endpoint e) {
        if (closed) {
            return null;
        }
        return channels.computeIfAbsent(Endpoints.text(e), k -> TransportBuffers
                .plaintextChannel(e.getHost(), e.getPort()).build());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            channels.values().forEach(ManagedChannel::shutdownNow);
            channels.clear();
        }
        scheduler.shutdownNow();
    }
}
