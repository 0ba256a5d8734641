package io.sluice.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.PoolArenaMetric;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.protocol.TransportBuffers;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport contract of errors.proto, on a real server on loopback. */
class RpcServerTest {
    private RpcServer server;
    private ManagedChannel channel;

    /** Answers with the cluster id "test" and echoes how many topics were asked for as the version. */
    private static final class EchoMetadata extends MetadataServiceGrpc.MetadataServiceImplBase {
        @Override
        public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> answer) {
            answer.onNext(MetadataResponse.newBuilder().setClusterId("test")
                    .setMetadataVersion(request.getTopicsCount()).build());
            answer.onCompleted();
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = RpcServer.start("127.0.0.1", 0, new RpcServer.Limits(64 * 1024, 2, 16, 100),
                List.of(new EchoMetadata()), List.of());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private MetadataResponse metadata(MetadataRequest request) {
        return MetadataServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).metadata(request);
    }

    @Test
    void connectionsTakeTheirBuffersFromTheServersPool() throws Exception {
        // A pool of the test's own, without thread caches, so that every buffer the server takes counts.
        PooledByteBufAllocator pool = new PooledByteBufAllocator(true, 1, 1, 8192, TransportBuffers.CHUNK_MAX_ORDER,
                0, 0, false);
        RpcServer own = RpcServer.start("127.0.0.1", 0, new RpcServer.Limits(64 * 1024, 2, 16, 100),
                List.of(new EchoMetadata()), List.of(), pool);
        ManagedChannel toOwn = NettyChannelBuilder.forAddress("127.0.0.1", own.port()).usePlaintext().build();
        try {
            assertEquals("test", MetadataServiceGrpc.newBlockingStub(toOwn).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .metadata(MetadataRequest.newBuilder().addTopics("a").build()).getClusterId());
            long allocations = pool.metric().directArenas().stream().mapToLong(PoolArenaMetric::numAllocations).sum();
            assertTrue(allocations > 0, "the server allocated nothing from its pool");
        } finally {
            toOwn.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            own.close();
        }
    }

    @Test
    void oversizedRequestsAreRefusedAndTheServerKeepsServing() {
        MetadataRequest.Builder big = MetadataRequest.newBuilder();
        for (int i = 0; i < 10_000; i++) {
            big.addTopics("topic-with-a-long-name-" + i);
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> metadata(big.build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getMessage());
        assertEquals("test", metadata(MetadataRequest.newBuilder().addTopics("a").build()).getClusterId());
    }

    @Test
    void bytesThatAreNotTheRequestMessageGetAStatusAndTheServerKeepsServing() {
        MethodDescriptor<byte[], byte[]> raw = RawBytes.of(MetadataServiceGrpc.getMetadataMethod());
        byte[] garbage = {(byte) 0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2};
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(30,
                        TimeUnit.SECONDS), garbage));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("malformed request for sluice.v1.MetadataService/Metadata"), e.getMessage());
        assertEquals(2, metadata(MetadataRequest.newBuilder().addTopics("a").addTopics("b").build())
                .getMetadataVersion());
    }

    @Test
    void aTakenPortIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> RpcServer.start("127.0.0.1", server.port(),
                new RpcServer.Limits(64 * 1024, 1, 1, 1), List.of(new EchoMetadata()), List.of()));
        assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + server.port()), e.getMessage());
    }
}
