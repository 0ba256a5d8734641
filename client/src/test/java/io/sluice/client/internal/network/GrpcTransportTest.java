package io.sluice.client.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.buffer.PoolArenaMetric;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.sluice.client.testing.FakeBroker;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.protocol.TransportBuffers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcTransportTest {
    @Test
    void channelsTakeTheirBuffersFromTheTransportsPool() throws Exception {
        PooledByteBufAllocator pool = new PooledByteBufAllocator(true, 1, 1, 8192, TransportBuffers.CHUNK_MAX_ORDER,
                0, 0, false);
        try (FakeBroker broker = FakeBroker.start();
                GrpcTransport transport = new GrpcTransport(64 << 20, pool)) {
            CompletableFuture<MetadataResponse> answer = new CompletableFuture<>();
            transport.call(HostPort.parse(broker.address()), MetadataServiceGrpc.getMetadataMethod(),
                    MetadataRequest.newBuilder().setAllTopics(true).build(), 10_000,
                    new Transport.ResponseListener<MetadataResponse>() {
                        @Override
                        public void onResponse(MetadataResponse response) {
                            answer.complete(response);
                        }

                        @Override
                        public void onFailure(Throwable failure) {
                            answer.completeExceptionally(failure);
                        }
                    });
            assertEquals("fake-cluster", answer.get(30, TimeUnit.SECONDS).getClusterId());
            long allocations = pool.metric().directArenas().stream().mapToLong(PoolArenaMetric::numAllocations).sum();
            assertTrue(allocations > 0, "the channel allocated nothing from the transport's pool");
        }
    }
}
