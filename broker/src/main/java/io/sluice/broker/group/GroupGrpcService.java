package io.sluice.broker.group;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.sluice.broker.group.internal.ErrorResponses;
import io.sluice.broker.group.internal.GroupException;
import io.sluice.broker.group.internal.GroupListings;
import io.sluice.broker.group.internal.RequestValidator;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorRequest;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.ListGroupsResponse;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sluice.v1.GroupService} rpcs. FindCoordinator and ListGroups are answered by any broker
 * from local state; the others go to the {@link GroupCoordinator} through its driver, which answers
 * NOT_COORDINATOR when this node does not coordinate groups. Shape checks (group ids, sizes) are the
 * core's, so the same rules hold in simulations. Every failure that escapes the core (an overloaded or
 * stopped driver, an answer later than {@code answerTimeoutMs}, a bug) is mapped by one function,
 * {@link #answer}, to the rpc's answer with a stable code. Thread-safe.
 */
public final class GroupGrpcService implements GroupServiceGrpc.AsyncService, BindableService {
    private static final Logger LOG = LoggerFactory.getLogger(GroupGrpcService.class);
    private static final Context.Key<String> CLIENT_HOST = Context.key("sluice-group-client-host");

    private final GroupCoordinatorDriver driver;
    private final GroupStore store;
    private final CoordinatorLocator locator;
    private final long answerTimeoutMs;

    /**
     * @param answerTimeoutMs longest wait for the coordinator's answer before REQUEST_TIMED_OUT; keep it
     *                        above the config's {@code writeTimeoutMs}, so the core's own answer wins
     */
    public GroupGrpcService(GroupCoordinatorDriver driver, GroupStore store, CoordinatorLocator locator,
            long answerTimeoutMs) {
        this.driver = driver;
        this.store = store;
        this.locator = locator;
        this.answerTimeoutMs = answerTimeoutMs;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(GroupServiceGrpc.bindService(this), new ClientHostInterceptor());
    }

    @Override
    public void findCoordinator(FindCoordinatorRequest request, StreamObserver<FindCoordinatorResponse> observer) {
        answer(observer, CompletableFuture.supplyAsync(() -> findCoordinator(request), Runnable::run),
                (code, message) -> ErrorResponses.findCoordinator(request, code, message));
    }

    private FindCoordinatorResponse findCoordinator(FindCoordinatorRequest request) {
        RequestValidator.groupCount(request.getGroupIdsList());
        Optional<CoordinatorNode> node = locator.coordinator();
        FindCoordinatorResponse.Builder response = FindCoordinatorResponse.newBuilder();
        for (String groupId : request.getGroupIdsList()) {
            try {
                RequestValidator.groupId(groupId);
            } catch (GroupException e) {
                response.addCoordinators(ErrorResponses.coordinator(groupId, e.code(), e.getMessage()));
                continue;
            }
            response.addCoordinators(node.map(n -> Coordinator.newBuilder().setGroupId(groupId)
                    .setNodeId(n.nodeId()).setEndpoint(n.endpoint()).build())
                    .orElseGet(() -> ErrorResponses.coordinator(groupId,
                            ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, "no metadata leader is known yet")));
        }
        return response.build();
    }

    @Override
    public void consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest request,
            StreamObserver<ConsumerGroupHeartbeatResponse> observer) {
        String clientHost = CLIENT_HOST.get() == null ? "" : CLIENT_HOST.get();
        answer(observer, driver.submit((core, nowMs) -> core.handleHeartbeat(request, clientHost, nowMs)),
                (code, message) -> ErrorResponses.heartbeat(request, code, message));
    }

    @Override
    public void offsetCommit(OffsetCommitRequest request, StreamObserver<OffsetCommitResponse> observer) {
        answer(observer, driver.submit((core, nowMs) -> core.handleOffsetCommit(request, nowMs)),
                (code, message) -> ErrorResponses.offsetCommit(request, code, message));
    }

    @Override
    public void offsetFetch(OffsetFetchRequest request, StreamObserver<OffsetFetchResponse> observer) {
        answer(observer, driver.submit((core, nowMs) -> core.handleOffsetFetch(request, nowMs)),
                (code, message) -> ErrorResponses.offsetFetch(request, code, message));
    }

    @Override
    public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> observer) {
        answer(observer, CompletableFuture.supplyAsync(() -> GroupListings.list(request, store), Runnable::run),
                ErrorResponses::listGroups);
    }

    @Override
    public void describeGroups(DescribeGroupsRequest request, StreamObserver<DescribeGroupsResponse> observer) {
        answer(observer, driver.submit((core, nowMs) -> core.handleDescribeGroups(request, nowMs)),
                (code, message) -> ErrorResponses.describeGroups(request, code, message));
    }

    @Override
    public void deleteGroups(DeleteGroupsRequest request, StreamObserver<DeleteGroupsResponse> observer) {
        answer(observer, driver.submit((core, nowMs) -> core.handleDeleteGroups(request, nowMs)),
                (code, message) -> ErrorResponses.deleteGroups(request, code, message));
    }

    /**
     * Sends the answer, or, if {@code answer} failed or took longer than {@code answerTimeoutMs}, the
     * rpc's error answer with the code {@link ErrorResponses#codeFor} gives: the one place where
     * failures become codes.
     */
    private <T> void answer(StreamObserver<T> observer, CompletableFuture<T> answer,
            BiFunction<ErrorCode, String, T> errorAnswer) {
        answer.orTimeout(answerTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((response, failure) -> {
            T sent = response;
            if (failure != null) {
                ErrorCode code = ErrorResponses.codeFor(failure);
                if (code == ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR) {
                    LOG.error("group request failed unexpectedly", failure);
                }
                sent = errorAnswer.apply(code, ErrorResponses.messageFor(failure));
            }
            try {
                observer.onNext(sent);
                observer.onCompleted();
            } catch (RuntimeException e) {
                LOG.debug("could not answer a group request (the call was probably cancelled): {}", e.toString());
            }
        });
    }

    /** Puts the caller's host into the call's context, for DescribeGroups' client_host. */
    private static final class ClientHostInterceptor implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                ServerCallHandler<Q, A> next) {
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String host = remote instanceof InetSocketAddress inet ? inet.getHostString()
                    : remote == null ? "" : remote.toString();
            return Contexts.interceptCall(Context.current().withValue(CLIENT_HOST, host), call, headers, next);
        }
    }
}
