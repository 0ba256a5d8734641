package io.sluice.broker.server.api;

import io.grpc.stub.StreamObserver;
import io.sluice.broker.server.dataplane.DataPlane;
import io.sluice.metastore.ClusterDescriber;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.controller.ControllerClient;
import io.sluice.proto.v1.AddQuorumMemberRequest;
import io.sluice.proto.v1.AddQuorumMemberResponse;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.AlterConfigsResult;
import io.sluice.proto.v1.AlterPartitionReassignmentsRequest;
import io.sluice.proto.v1.AlterPartitionReassignmentsResponse;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreatePartitionsResult;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.DeleteTopicResult;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.DescribeClusterRequest;
import io.sluice.proto.v1.DescribeClusterResponse;
import io.sluice.proto.v1.DescribeConfigsRequest;
import io.sluice.proto.v1.DescribeConfigsResponse;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListPartitionReassignmentsRequest;
import io.sluice.proto.v1.ListPartitionReassignmentsResponse;
import io.sluice.proto.v1.RemoveQuorumMemberRequest;
import io.sluice.proto.v1.RemoveQuorumMemberResponse;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The public {@code AdminService} of a node. What the controller decides (topics, partitions,
 * configs, elections, reassignments, quorum membership) is forwarded to the active controller, which
 * answers once this node's metadata shows the change; configs are described from this node's metadata;
 * ListOffsets and DeleteRecords are served by the partition leaders' data plane; DescribeCluster from
 * the local metadata and quorum state.
 *
 * <p>A forwarded call whose outcome is unknown (the controller did not answer in time) is answered
 * REQUEST_TIMED_OUT for every item. Thread-safe; handlers never block.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
    private final MetaStore store;
    private final ControllerClient controller;
    private final DataPlane dataPlane;
    private final ConfigDescriber configs;

    public AdminGrpcService(MetaStore store, ControllerClient controller, DataPlane dataPlane,
            ConfigDescriber configs) {
        this.store = store;
        this.controller = controller;
        this.dataPlane = dataPlane;
        this.configs = configs;
    }

    @Override
    public void createTopics(CreateTopicsRequest request, StreamObserver<CreateTopicsResponse> observer) {
        forward(controller.createTopics(request), observer, message -> {
            CreateTopicsResponse.Builder out = CreateTopicsResponse.newBuilder();
            request.getTopicsList().forEach(t -> out.addTopics(CreateTopicResult.newBuilder().setName(t.getName())
                    .setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(message)));
            return out.build();
        });
    }

    @Override
    public void deleteTopics(DeleteTopicsRequest request, StreamObserver<DeleteTopicsResponse> observer) {
        forward(controller.deleteTopics(request), observer, message -> {
            DeleteTopicsResponse.Builder out = DeleteTopicsResponse.newBuilder();
            request.getTopicsList().forEach(name -> out.addTopics(DeleteTopicResult.newBuilder().setName(name)
                    .setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(message)));
            return out.build();
        });
    }

    @Override
    public void createPartitions(CreatePartitionsRequest request,
            StreamObserver<CreatePartitionsResponse> observer) {
        forward(controller.createPartitions(request), observer, message -> {
            CreatePartitionsResponse.Builder out = CreatePartitionsResponse.newBuilder();
            request.getTopicsList().forEach(t -> out.addTopics(CreatePartitionsResult.newBuilder()
                    .setName(t.getName()).setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT)
                    .setErrorMessage(message)));
            return out.build();
        });
    }

    @Override
    public void describeConfigs(DescribeConfigsRequest request, StreamObserver<DescribeConfigsResponse> observer) {
        observer.onNext(configs.describe(store.image(), request));
        observer.onCompleted();
    }

    @Override
    public void incrementalAlterConfigs(IncrementalAlterConfigsRequest request,
            StreamObserver<IncrementalAlterConfigsResponse> observer) {
        IncrementalAlterConfigsResponse refused = configs.refuseBrokerResources(request);
        if (refused != null) {
            observer.onNext(refused);
            observer.onCompleted();
            return;
        }
        forward(controller.incrementalAlterConfigs(request), observer, message -> {
            IncrementalAlterConfigsResponse.Builder out = IncrementalAlterConfigsResponse.newBuilder();
            request.getResourcesList().forEach(r -> out.addResults(AlterConfigsResult.newBuilder()
                    .setResource(r.getResource()).setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT)
                    .setErrorMessage(message)));
            return out.build();
        });
    }

    @Override
    public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> observer) {
        observer.onNext(dataPlane.listOffsets(request));
        observer.onCompleted();
    }

    @Override
    public void deleteRecords(DeleteRecordsRequest request, StreamObserver<DeleteRecordsResponse> observer) {
        dataPlane.deleteRecords(request, response -> {
            observer.onNext(response);
            observer.onCompleted();
        });
    }

    @Override
    public void describeCluster(DescribeClusterRequest request, StreamObserver<DescribeClusterResponse> observer) {
        observer.onNext(ClusterDescriber.describe(store, request.getIncludePartitionHealth()));
        observer.onCompleted();
    }

    @Override
    public void electLeaders(ElectLeadersRequest request, StreamObserver<ElectLeadersResponse> observer) {
        forward(controller.electLeaders(request), observer, message -> ElectLeadersResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(message).build());
    }

    @Override
    public void alterPartitionReassignments(AlterPartitionReassignmentsRequest request,
            StreamObserver<AlterPartitionReassignmentsResponse> observer) {
        observer.onNext(AlterPartitionReassignmentsResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE)
                .setErrorMessage("partition reassignment is not available in this version").build());
        observer.onCompleted();
    }

    @Override
    public void listPartitionReassignments(ListPartitionReassignmentsRequest request,
            StreamObserver<ListPartitionReassignmentsResponse> observer) {
        observer.onNext(ListPartitionReassignmentsResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE)
                .setErrorMessage("partition reassignment is not available in this version").build());
        observer.onCompleted();
    }

    @Override
    public void addQuorumMember(AddQuorumMemberRequest request, StreamObserver<AddQuorumMemberResponse> observer) {
        forward(controller.addQuorumMember(request), observer, message -> AddQuorumMemberResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(message).build());
    }

    @Override
    public void removeQuorumMember(RemoveQuorumMemberRequest request,
            StreamObserver<RemoveQuorumMemberResponse> observer) {
        forward(controller.removeQuorumMember(request), observer, message -> RemoveQuorumMemberResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(message).build());
    }

    /**
     * Sends the controller's answer on; when there is none (the controller could not be reached or did
     * not answer in time) the outcome is unknown, answered as a timeout built by {@code unknownOutcome}.
     */
    private static <R> void forward(CompletionStage<R> answer, StreamObserver<R> observer,
            Function<String, R> unknownOutcome) {
        answer.whenComplete((response, error) -> {
            observer.onNext(error == null ? response : unknownOutcome.apply(
                    "the active controller did not answer: " + describe(error)));
            observer.onCompleted();
        });
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
