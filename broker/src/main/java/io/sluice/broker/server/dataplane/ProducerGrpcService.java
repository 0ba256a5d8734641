package io.sluice.broker.server.dataplane;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import java.util.function.BiConsumer;

/**
 * ProducerService over gRPC. Produce answers once the request is done (acks=all without holding a
 * thread). ProduceStream handles many requests in flight on one stream ({@link ProduceStream}).
 * InitProducerId needs the producer-id blocks of the metadata quorum and is delegated to the
 * handler the node wiring supplies; without one it answers UNSUPPORTED_FEATURE. Thread-safe.
 */
public final class ProducerGrpcService extends ProducerServiceGrpc.ProducerServiceImplBase {
    private final DataPlane dataPlane;
    private final BiConsumer<InitProducerIdRequest, StreamObserver<InitProducerIdResponse>> initProducerId;

    ProducerGrpcService(DataPlane dataPlane) {
        this(dataPlane, ProducerGrpcService::producerIdsNotWired);
    }

    /** A service whose InitProducerId is answered by {@code initProducerId}. */
    public ProducerGrpcService(DataPlane dataPlane,
            BiConsumer<InitProducerIdRequest, StreamObserver<InitProducerIdResponse>> initProducerId) {
        this.dataPlane = dataPlane;
        this.initProducerId = initProducerId;
    }

    @Override
    public void produce(ProduceRequest request, StreamObserver<ProduceResponse> observer) {
        dataPlane.produce(request, Answers.unary(observer));
    }

    @Override
    public StreamObserver<ProduceRequest> produceStream(StreamObserver<ProduceResponse> observer) {
        return new ProduceStream(dataPlane, (ServerCallStreamObserver<ProduceResponse>) observer,
                dataPlane.config().produceStreamMaxInFlight());
    }

    @Override
    public void initProducerId(InitProducerIdRequest request, StreamObserver<InitProducerIdResponse> observer) {
        initProducerId.accept(request, observer);
    }

    private static void producerIdsNotWired(InitProducerIdRequest request,
            StreamObserver<InitProducerIdResponse> observer) {
        Answers.unary(observer).accept(InitProducerIdResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE)
                .setErrorMessage("this node does not allocate producer ids")
                .setProducerId(-1).setProducerEpoch(-1).build());
    }
}
