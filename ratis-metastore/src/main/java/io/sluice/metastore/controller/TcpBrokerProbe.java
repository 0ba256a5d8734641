package io.sluice.metastore.controller;

import io.sluice.proto.v1.Endpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link BrokerProbe} that opens a TCP connection to the broker's client endpoint and closes it at
 * once. {@link ConnectException} (connection refused) answers REFUSED; a connection answers
 * REACHABLE; a timeout or any other failure answers UNKNOWN. The blocking connect runs on the given
 * executor. Thread-safe.
 */
public final class TcpBrokerProbe implements BrokerProbe {
    private final Executor executor;
    private final int connectTimeoutMs;

    /** Probes on {@code executor}, giving up after {@code connectTimeoutMs}. */
    public TcpBrokerProbe(Executor executor, int connectTimeoutMs) {
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException("connectTimeoutMs must be positive");
        }
        this.executor = executor;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public CompletableFuture<Answer> probe(Endpoint endpoint) {
        try {
            return CompletableFuture.supplyAsync(() -> connect(endpoint), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Answer.UNKNOWN);
        }
    }

    private Answer connect(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), connectTimeoutMs);
            return Answer.REACHABLE;
        } catch (ConnectException e) {
            return isRefused(e) ? Answer.REFUSED : Answer.UNKNOWN;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return Answer.UNKNOWN;
        }
    }

    /** A refusal, not an unreachable network or host (which {@link ConnectException} also reports). */
    private static boolean isRefused(ConnectException e) {
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("refused");
    }
}
