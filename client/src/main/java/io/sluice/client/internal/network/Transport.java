package io.sluice.client.internal.network;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;

/**
 * How the SDK's cores reach brokers: unary calls named by their gRPC method, and the producer's
 * bidirectional {@code ProduceStream}. Listeners run on a transport thread, in {@link GrpcTransport}
 * the network I/O thread itself (or, in test fakes, on whatever thread completes the call), so they
 * must not block; {@link NetworkClient} moves every completion onto its core's thread, so cores
 * never see concurrency. {@link GrpcTransport} is the real one; tests use
 * a fake that records calls and lets the test answer them. Implementations are thread-safe.
 */
public interface Transport extends AutoCloseable {
    /** Receives the single outcome of a unary call. */
    interface ResponseListener<R> {
        /** The answer arrived. */
        void onResponse(R response);

        /** The call failed in transport (unreachable, cancelled, deadline, malformed, ...). */
        void onFailure(Throwable failure);
    }

    /** A started call that can still be abandoned. */
    @FunctionalInterface
    interface Cancellable {
        /** Abandons the call; its listener may still run with a failure. */
        void cancel();
    }

    /** The request side of an open produce stream. Used from one thread at a time. */
    interface ProduceStream {
        /** Writes one request; answers arrive through the stream's listener. */
        void send(ProduceRequest request);

        /** Half-closes the stream and abandons it; outstanding answers may still arrive or be lost. */
        void close();
    }

    /** Receives a produce stream's answers and its end. */
    interface ProduceStreamListener {
        /** One answer, matched to its request by correlation id. */
        void onResponse(ProduceResponse response);

        /** The stream ended: {@code cause} is null when the server completed it normally. */
        void onClosed(Throwable cause);
    }

    /**
     * Starts a unary call to {@code to}. The transport gives up by itself some time after
     * {@code timeoutMs} (a backstop; {@link NetworkClient} enforces the timeout on its own clock).
     */
    <Q extends Message, R extends Message> Cancellable call(HostPort to, MethodDescriptor<Q, R> method, Q request,
            long timeoutMs, ResponseListener<R> listener);

    /** Opens a {@code ProduceStream} to {@code to}. */
    ProduceStream openProduceStream(HostPort to, ProduceStreamListener listener);

    /** Closes every connection; later calls fail. */
    @Override
    void close();
}
