package io.sluice.metastore.controller;

import io.grpc.stub.StreamObserver;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetaStoreException;
import io.sluice.proto.internal.v1.AllocateProducerIdsRequest;
import io.sluice.proto.internal.v1.AllocateProducerIdsResponse;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerHeartbeatRequest;
import io.sluice.proto.internal.v1.BrokerHeartbeatResponse;
import io.sluice.proto.internal.v1.ControllerServiceGrpc;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.AddQuorumMemberRequest;
import io.sluice.proto.v1.AddQuorumMemberResponse;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import io.sluice.proto.v1.RemoveQuorumMemberRequest;
import io.sluice.proto.v1.RemoveQuorumMemberResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The internal gRPC {@code ControllerService}, served on every controller node's Sluice gRPC server.
 * Only the active controller acts; elsewhere every rpc answers NOT_CONTROLLER (with the Raft leader's
 * id where the response has a field for it, per item otherwise). Failures the controller cannot turn
 * into an answer (queue full, quorum lost) become the request's retriable error code. Thread-safe.
 */
public final class ControllerGrpcService extends ControllerServiceGrpc.ControllerServiceImplBase {
    private final ControllerDriver driver;
    private final MetaStore store;

    /** A service for the controller run by {@code driver} on the node of {@code store}. */
    public ControllerGrpcService(ControllerDriver driver, MetaStore store) {
        this.driver = driver;
        this.store = store;
    }

    private int leaderId() {
        return store.quorumInfo().leaderId();
    }

    private <Q, R> void serve(Q req, StreamObserver<R> out, BiFunction<QuorumController, Long, CompletableFuture<R>>
            call, Function<ErrorCode, R> error) {
        if (!driver.isActive()) {
            reply(out, error.apply(ErrorCode.ERROR_CODE_NOT_CONTROLLER));
            return;
        }
        driver.call(call).whenComplete((r, e) -> reply(out, e == null ? r : error.apply(codeOf(e))));
    }

    private static ErrorCode codeOf(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof MetaStoreException m ? m.errorCode() : ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR;
    }

    private static <R> void reply(StreamObserver<R> out, R response) {
        out.onNext(response);
        out.onCompleted();
    }

    @Override
    public void registerBroker(RegisterBrokerRequest req, StreamObserver<RegisterBrokerResponse> out) {
        serve(req, out, (c, now) -> c.handleRegisterBroker(req, now), code -> RegisterBrokerResponse.newBuilder()
                .setErrorCode(code).setControllerId(leaderId()).build());
    }

    @Override
    public void brokerHeartbeat(BrokerHeartbeatRequest req, StreamObserver<BrokerHeartbeatResponse> out) {
        serve(req, out, (c, now) -> c.handleBrokerHeartbeat(req, now), code -> BrokerHeartbeatResponse.newBuilder()
                .setErrorCode(code).setControllerId(leaderId()).build());
    }

    @Override
    public void alterPartition(AlterPartitionRequest req, StreamObserver<AlterPartitionResponse> out) {
        serve(req, out, (c, now) -> c.handleAlterPartition(req, now), code -> AlterPartitionResponse.newBuilder()
                .setErrorCode(code).build());
    }

    @Override
    public void allocateProducerIds(AllocateProducerIdsRequest req, StreamObserver<AllocateProducerIdsResponse> out) {
        serve(req, out, (c, now) -> c.handleAllocateProducerIds(req, now), code -> AllocateProducerIdsResponse
                .newBuilder().setErrorCode(code).setControllerId(leaderId()).build());
    }

    @Override
    public void createTopics(CreateTopicsRequest req, StreamObserver<CreateTopicsResponse> out) {
        serve(req, out, (c, now) -> c.handleCreateTopics(req, now), code -> AdminErrors.createTopics(req, code));
    }

    @Override
    public void deleteTopics(DeleteTopicsRequest req, StreamObserver<DeleteTopicsResponse> out) {
        serve(req, out, (c, now) -> c.handleDeleteTopics(req, now), code -> AdminErrors.deleteTopics(req, code));
    }

    @Override
    public void createPartitions(CreatePartitionsRequest req, StreamObserver<CreatePartitionsResponse> out) {
        serve(req, out, (c, now) -> c.handleCreatePartitions(req, now),
                code -> AdminErrors.createPartitions(req, code));
    }

    @Override
    public void incrementalAlterConfigs(IncrementalAlterConfigsRequest req,
            StreamObserver<IncrementalAlterConfigsResponse> out) {
        serve(req, out, (c, now) -> c.handleIncrementalAlterConfigs(req, now),
                code -> AdminErrors.alterConfigs(req, code));
    }

    @Override
    public void electLeaders(ElectLeadersRequest req, StreamObserver<ElectLeadersResponse> out) {
        serve(req, out, (c, now) -> c.handleElectLeaders(req, now), code -> ElectLeadersResponse.newBuilder()
                .setErrorCode(code).setErrorMessage(io.sluice.protocol.ErrorCodes.defaultMessage(code)).build());
    }

    @Override
    public void addQuorumMember(AddQuorumMemberRequest req, StreamObserver<AddQuorumMemberResponse> out) {
        if (!driver.isActive()) {
            reply(out, AddQuorumMemberResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_CONTROLLER).build());
            return;
        }
        store.addQuorumMember(req.getNodeId(), req.getRole(), req.hasRaftEndpoint() ? req.getRaftEndpoint() : null,
                req.hasClientEndpoint() ? req.getClientEndpoint() : null).whenComplete((r, e) -> {
                    MetaResult m = r != null ? r : quorumUnavailable(e);
                    reply(out, AddQuorumMemberResponse.newBuilder().setErrorCode(m.getErrorCode())
                            .setErrorMessage(m.getErrorMessage()).build());
                });
    }

    @Override
    public void removeQuorumMember(RemoveQuorumMemberRequest req, StreamObserver<RemoveQuorumMemberResponse> out) {
        if (!driver.isActive()) {
            reply(out, RemoveQuorumMemberResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_CONTROLLER)
                    .build());
            return;
        }
        store.removeQuorumMember(req.getNodeId()).whenComplete((r, e) -> {
            MetaResult m = r != null ? r : quorumUnavailable(e);
            reply(out, RemoveQuorumMemberResponse.newBuilder().setErrorCode(m.getErrorCode())
                    .setErrorMessage(m.getErrorMessage()).build());
        });
    }

    private static MetaResult quorumUnavailable(Throwable e) {
        return MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE)
                .setErrorMessage(String.valueOf(e)).build();
    }
}
