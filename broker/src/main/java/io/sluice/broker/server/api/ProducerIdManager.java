package io.sluice.broker.server.api;

import io.grpc.stub.StreamObserver;
import io.sluice.proto.internal.v1.AllocateProducerIdsRequest;
import io.sluice.proto.internal.v1.AllocateProducerIdsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Answers {@code InitProducerId}: hands out producer ids from a block the controller allocated to this
 * broker (blocks never overlap across brokers, so ids are unique cluster-wide without a round trip per
 * producer), asking for a new block when the current one runs out. A producer that already holds an id
 * and asks again gets the same id with the next epoch (its old epoch is fenced by the partitions'
 * producer state); past the largest epoch it gets a new id.
 *
 * <p>Thread-safe: ids are taken under a lock; at most one block request is in flight.
 */
public final class ProducerIdManager
        implements BiConsumer<InitProducerIdRequest, StreamObserver<InitProducerIdResponse>> {
    private final int brokerId;
    private final LongSupplier brokerEpoch;
    private final Function<AllocateProducerIdsRequest, CompletionStage<AllocateProducerIdsResponse>> allocate;
    private long nextId;
    private long blockEnd;
    private CompletableFuture<Void> refill;

    /**
     * @param brokerId    this broker's id
     * @param brokerEpoch its current broker epoch (-1 before registration)
     * @param allocate    the controller's AllocateProducerIds
     */
    public ProducerIdManager(int brokerId, LongSupplier brokerEpoch,
            Function<AllocateProducerIdsRequest, CompletionStage<AllocateProducerIdsResponse>> allocate) {
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.allocate = allocate;
    }

    @Override
    public void accept(InitProducerIdRequest request, StreamObserver<InitProducerIdResponse> observer) {
        init(request).whenComplete((response, error) -> {
            observer.onNext(error == null ? response : failure(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
                    "could not obtain producer ids from the controller: " + rootMessage(error)));
            observer.onCompleted();
        });
    }

    /** The answer to one InitProducerId request. */
    public CompletableFuture<InitProducerIdResponse> init(InitProducerIdRequest request) {
        if (!request.getTransactionalId().isEmpty()) {
            return CompletableFuture.completedFuture(failure(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE,
                    "transactional producers are not supported yet"));
        }
        if (request.getProducerId() >= 0) {
            if (request.getProducerEpoch() < 0) {
                return CompletableFuture.completedFuture(failure(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        "producer id " + request.getProducerId() + " needs its current epoch (>= 0)"));
            }
            if (request.getProducerEpoch() < Short.MAX_VALUE) {
                return CompletableFuture.completedFuture(success(request.getProducerId(),
                        request.getProducerEpoch() + 1));
            }
        } else if (request.getProducerId() != -1) {
            return CompletableFuture.completedFuture(failure(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    "producer id must be -1 or an id this cluster allocated, got " + request.getProducerId()));
        }
        return nextId().thenApply(id -> success(id, 0));
    }

    private CompletableFuture<Long> nextId() {
        CompletableFuture<Void> waitFor;
        boolean ask = false;
        synchronized (this) {
            if (nextId < blockEnd) {
                return CompletableFuture.completedFuture(nextId++);
            }
            if (refill == null) {
                refill = new CompletableFuture<>();
                ask = true;
            }
            waitFor = refill;
        }
        if (ask) {
            requestBlock(waitFor);
        }
        return waitFor.thenCompose(ignored -> nextId());
    }

    /** Asks the controller for a block; {@code done} completes (or fails) once it is usable. */
    private void requestBlock(CompletableFuture<Void> done) {
        AllocateProducerIdsRequest request = AllocateProducerIdsRequest.newBuilder()
                .setBrokerId(brokerId).setBrokerEpoch(brokerEpoch.getAsLong()).build();
        allocate.apply(request).whenComplete((response, error) -> {
            String failure = null;
            synchronized (this) {
                refill = null;
                if (error != null) {
                    failure = rootMessage(error);
                } else if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE || response.getSize() < 1) {
                    failure = response.getErrorCode() + ": " + response.getErrorMessage();
                } else {
                    nextId = response.getFirstProducerId();
                    blockEnd = response.getFirstProducerId() + response.getSize();
                }
            }
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException(failure, error));
            }
        });
    }

    private static InitProducerIdResponse success(long producerId, int epoch) {
        return InitProducerIdResponse.newBuilder().setProducerId(producerId).setProducerEpoch(epoch).build();
    }

    private static InitProducerIdResponse failure(ErrorCode code, String message) {
        return InitProducerIdResponse.newBuilder().setErrorCode(code).setErrorMessage(message)
                .setProducerId(-1).setProducerEpoch(-1).build();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
