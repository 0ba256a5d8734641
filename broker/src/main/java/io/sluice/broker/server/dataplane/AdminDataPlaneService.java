package io.sluice.broker.server.dataplane;

import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;

/**
 * The data-plane part of AdminService: ListOffsets and DeleteRecords, served by partition leaders.
 * The other AdminService rpcs answer UNIMPLEMENTED here; the node wiring, which owns the
 * controller-facing admin calls, serves the whole service by extending this class (or by calling
 * {@link DataPlane#listOffsets} and {@link DataPlane#deleteRecords} from its own). Thread-safe.
 */
public class AdminDataPlaneService extends AdminServiceGrpc.AdminServiceImplBase {
    private final DataPlane dataPlane;

    public AdminDataPlaneService(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> observer) {
        Answers.unary(observer).accept(dataPlane.listOffsets(request));
    }

    @Override
    public void deleteRecords(DeleteRecordsRequest request, StreamObserver<DeleteRecordsResponse> observer) {
        dataPlane.deleteRecords(request, Answers.unary(observer));
    }
}
