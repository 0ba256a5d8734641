package io.sluice.broker.server.dataplane;

import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;

/**
 * ConsumerService over gRPC: Fetch, long-polling without holding a handler thread (the answer is
 * sent by whichever thread completes the fetch). Thread-safe.
 */
final class ConsumerGrpcService extends ConsumerServiceGrpc.ConsumerServiceImplBase {
    private final DataPlane dataPlane;

    ConsumerGrpcService(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FetchResponse> observer) {
        dataPlane.fetch(request, Answers.unary(observer));
    }
}
