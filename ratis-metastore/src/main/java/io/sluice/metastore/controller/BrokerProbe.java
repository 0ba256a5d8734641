package io.sluice.metastore.controller;

import io.sluice.proto.v1.Endpoint;
import java.util.concurrent.CompletableFuture;

/**
 * Asks whether a broker's process still exists, for the controller to fence a dead broker before its
 * session runs out. Only a refused connection counts as evidence: the host answered and nothing
 * listens on the broker's port. A paused process, a partitioned one or a slow one still accepts a
 * connection or does not answer at all, so it waits out its full session as before. Thread-safe.
 */
@FunctionalInterface
public interface BrokerProbe {
    /** What a probe found. */
    enum Answer {
        /** The connection was refused: no process listens on the broker's endpoint. */
        REFUSED,
        /** A connection was accepted. */
        REACHABLE,
        /** No answer in time, or another failure: proves nothing. */
        UNKNOWN
    }

    /** A probe that never proves anything, so only session expiry fences. */
    BrokerProbe NONE = endpoint -> CompletableFuture.completedFuture(Answer.UNKNOWN);

    /** Probes {@code endpoint}; the future never completes exceptionally. */
    CompletableFuture<Answer> probe(Endpoint endpoint);
}
