package io.sluice.broker.replication;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.internal.v1.ReplicationServiceGrpc;
import io.sluice.proto.v1.Endpoint;
import io.sluice.protocol.AliasingParser;
import io.sluice.protocol.TransportBuffers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@link ReplicaFetchTransport} over gRPC: one plaintext channel per leader broker, created on first
 * use from the broker's endpoint in the metadata and replaced when that endpoint changes. Each fetch
 * is an async unary ReplicationService.ReplicaFetch call with a deadline.
 *
 * <p>Answers are parsed and handed to the callback on gRPC's network thread ({@code directExecutor}):
 * the fetcher's callback only posts to its inbox, so the hop through gRPC's default executor was one
 * more thread wake-up per answer, as it was in the client before. gRPC's transparent retry is off:
 * the fetcher retries a failed fetch itself, after its back-off, so the retry layer's buffering per
 * call bought nothing.
 *
 * <p>Thread-safe.
 */
public final class GrpcReplicaFetchTransport implements ReplicaFetchTransport {
    /**
     * HTTP/2 receive window a connection to a leader starts with, instead of gRPC's 1 MiB, so that a
     * replica fetch answer of several partitions does not wait for window updates (as the client's
     * {@code GrpcTransport} does for fetch answers).
     */
    private static final int INITIAL_RECEIVE_WINDOW_BYTES = 8 << 20;
    /** Answers parsed with their batches left in the received array, not copied out of it. */
    private static final MethodDescriptor<ReplicaFetchRequest, ReplicaFetchResponse> REPLICA_FETCH =
            AliasingParser.forResponses(ReplicationServiceGrpc.getReplicaFetchMethod());

    private final IntFunction<Optional<Endpoint>> endpoints;
    private final int maxInboundMessageBytes;
    private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Connection(Endpoint endpoint, ManagedChannel channel) {
    }

    /**
     * @param endpoints              where each broker id listens now (from the broker records)
     * @param maxInboundMessageBytes the largest answer accepted; at least the fetch's max bytes
     *                               plus framing
     */
    public GrpcReplicaFetchTransport(IntFunction<Optional<Endpoint>> endpoints, int maxInboundMessageBytes) {
        this.endpoints = endpoints;
        this.maxInboundMessageBytes = maxInboundMessageBytes;
    }

    @Override
    public void send(int leaderId, ReplicaFetchRequest request, long timeoutMs, Callback callback) {
        ManagedChannel channel;
        try {
            channel = channelFor(leaderId);
        } catch (RuntimeException e) {
            callback.onFailure(e);
            return;
        }
        ClientCalls.asyncUnaryCall(channel.newCall(REPLICA_FETCH,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)), request,
                new StreamObserver<ReplicaFetchResponse>() {
                    @Override
                    public void onNext(ReplicaFetchResponse response) {
                        callback.onResponse(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        callback.onFailure(error);
                    }

                    @Override
                    public void onCompleted() {
                        // onNext already delivered the single answer.
                    }
                });
    }

    private synchronized ManagedChannel channelFor(int leaderId) {
        if (closed) {
            throw new IllegalStateException("the replica fetch transport is closed");
        }
        Endpoint endpoint = endpoints.apply(leaderId).orElseThrow(() ->
                new IllegalStateException("no endpoint known for broker " + leaderId));
        Connection current = connections.get(leaderId);
        if (current != null && current.endpoint().equals(endpoint)) {
            return current.channel();
        }
        Connection fresh = new Connection(endpoint, TransportBuffers
                .plaintextChannel(endpoint.getHost(), endpoint.getPort())
                .directExecutor()
                .disableRetry()
                .maxInboundMessageSize(maxInboundMessageBytes)
                .initialFlowControlWindow(INITIAL_RECEIVE_WINDOW_BYTES)
                .build());
        Connection previous = connections.put(leaderId, fresh);
        if (previous != null) {
            previous.channel().shutdown();
        }
        return fresh.channel();
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection : connections.values()) {
            connection.channel().shutdownNow();
        }
        for (Connection connection : connections.values()) {
            try {
                connection.channel().awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        connections.clear();
    }
}
