package io.sluice.client.internal.network;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.protocol.TransportBuffers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link Transport}: one plaintext gRPC channel per broker address (HTTP/2, so every call
 * and stream to a broker shares one connection), created on first use and kept until
 * {@link #close}. gRPC reconnects a channel by itself after a failure. Unary calls carry a gRPC
 * deadline a little after the request timeout, as a backstop behind {@link NetworkClient}'s own.
 * Thread-safe.
 */
public final class GrpcTransport implements Transport {
    /** How far past the request timeout gRPC's own deadline lies. */
    static final long DEADLINE_GRACE_MS = 5_000;
    private static final long SHUTDOWN_WAIT_MS = 5_000;

    private final ConcurrentHashMap<HostPort, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final int maxInboundMessageBytes;
    private final ByteBufAllocator buffers;
    private volatile boolean closed;

    /**
     * HTTP/2 receive window a connection starts with (gRPC's default is 1 MiB, then grows it by
     * measuring bandwidth-delay): a fetch answer of a few MiB no longer waits for window updates on
     * its way in. Consumer fetch throughput rose from 61-72 to 88-97 thousand 1 KiB records/s on the
     * 2-core box (docs/benchmarks.md).
     */
    private static final int INITIAL_RECEIVE_WINDOW_BYTES = 8 << 20;

    /** @param maxInboundMessageBytes the largest answer accepted (fetch answers can be large) */
    public GrpcTransport(int maxInboundMessageBytes) {
        this(maxInboundMessageBytes, TransportBuffers.POOL);
    }

    /** A transport whose channels take their buffers from {@code buffers} (tests watch a pool of their own). */
    GrpcTransport(int maxInboundMessageBytes, ByteBufAllocator buffers) {
        this.maxInboundMessageBytes = maxInboundMessageBytes;
        this.buffers = buffers;
    }

    /**
     * A connection to {@code to}, made on first use. Answers are handled on gRPC's network thread
     * ({@code directExecutor}): every listener here only posts to the client's event queue, so the
     * hop through gRPC's default executor was one more thread wake-up per answer. Leaving that hop
     * out cut the CPU of {@code perf produce} by 3-16% and of {@code perf consume} by 8-21% on the
     * 2-core box (docs/benchmarks.md, "One thread hop less per answer").
     */
    private ManagedChannel channel(HostPort to) {
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
        return channels.computeIfAbsent(to, address -> TransportBuffers
                .plaintextChannel(address.host(), address.port(), buffers)
                .directExecutor()
                .maxInboundMessageSize(maxInboundMessageBytes)
                .initialFlowControlWindow(INITIAL_RECEIVE_WINDOW_BYTES)
                .build());
    }

    @Override
    public <Q extends Message, R extends Message> Cancellable call(HostPort to, MethodDescriptor<Q, R> method,
            Q request, long timeoutMs, ResponseListener<R> listener) {
        ClientCall<Q, R> call = channel(to).newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutMs + DEADLINE_GRACE_MS, TimeUnit.MILLISECONDS));
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<R>() {
            @Override
            public void onNext(R value) {
                listener.onResponse(value);
            }

            @Override
            public void onError(Throwable t) {
                listener.onFailure(t);
            }

            @Override
            public void onCompleted() {
                // the answer was delivered by onNext
            }
        });
        return () -> call.cancel("abandoned by the client", null);
    }

    @Override
    public ProduceStream openProduceStream(HostPort to, ProduceStreamListener listener) {
        ClientCall<ProduceRequest, ProduceResponse> call =
                channel(to).newCall(ProducerServiceGrpc.getProduceStreamMethod(), CallOptions.DEFAULT);
        StreamObserver<ProduceRequest> requests = ClientCalls.asyncBidiStreamingCall(call,
                new StreamObserver<ProduceResponse>() {
                    @Override
                    public void onNext(ProduceResponse value) {
                        listener.onResponse(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        listener.onClosed(t);
                    }

                    @Override
                    public void onCompleted() {
                        listener.onClosed(null);
                    }
                });
        return new ProduceStream() {
            @Override
            public void send(ProduceRequest request) {
                requests.onNext(request);
            }

            @Override
            public void close() {
                call.cancel("produce stream abandoned by the client", null);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        List<ManagedChannel> all = new ArrayList<>(channels.values());
        channels.clear();
        for (ManagedChannel channel : all) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : all) {
            try {
                channel.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
