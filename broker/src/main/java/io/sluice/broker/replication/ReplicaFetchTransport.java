package io.sluice.broker.replication;

import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;

/**
 * Carries a follower's replica fetches to a leader broker: gRPC between nodes
 * ({@link GrpcReplicaFetchTransport}), an in-memory network in simulations.
 *
 * <p>Thread-safe. The callback runs exactly once per {@link #send}, on any thread (the fetcher hands
 * it to its core through an {@link Inbox}); a transport that cannot deliver may also never call it,
 * in which case the fetcher's own timeout abandons the request.
 */
public interface ReplicaFetchTransport extends AutoCloseable {
    /** The answer, or why there is none. */
    interface Callback {
        void onResponse(ReplicaFetchResponse response);

        void onFailure(Throwable error);
    }

    /** Sends {@code request} to broker {@code leaderId}, giving up after {@code timeoutMs}. */
    void send(int leaderId, ReplicaFetchRequest request, long timeoutMs, Callback callback);

    /** Releases connections; later sends fail. */
    @Override
    default void close() {
    }
}
