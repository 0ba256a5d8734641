package io.sluice.broker.server.dataplane;

import io.grpc.stub.StreamObserver;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.internal.v1.ReplicationServiceGrpc;

/** The internal ReplicationService over gRPC: followers' long-polling ReplicaFetch. Thread-safe. */
final class ReplicationGrpcService extends ReplicationServiceGrpc.ReplicationServiceImplBase {
    private final DataPlane dataPlane;

    ReplicationGrpcService(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public void replicaFetch(ReplicaFetchRequest request, StreamObserver<ReplicaFetchResponse> observer) {
        dataPlane.replicaFetch(request, Answers.unary(observer));
    }
}
