package io.sluice.client.internal;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.network.HostPort;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One request to a group's coordinator, retried until it succeeds, fails for good, or its deadline
 * passes: it waits for the coordinator to be known, builds the request anew for every attempt (so
 * a commit carries the member's current epoch), and hands the answer to an interpreter that
 * returns the result or throws the answer's error. Failures go through {@link RetryPolicy}: a
 * retriable one is retried after backoff (finding the coordinator again when the policy says so),
 * any other completes the future exceptionally. Not thread-safe.
 *
 * @param <Q> request type
 * @param <R> answer type
 * @param <T> result type
 */
public final class CoordinatorOperation<Q extends Message, R extends Message, T> implements Operation {
    /** Turns an answer into a result, or throws its error. */
    @FunctionalInterface
    public interface Interpreter<R, T> {
        T interpret(R response);
    }

    private final String description;
    private final String groupId;
    private final MethodDescriptor<Q, R> method;
    private final Supplier<Q> request;
    private final Interpreter<R, T> interpreter;
    private final long deadlineMs;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private boolean inFlight;
    private int attempts;
    private long retryAtMs;
    private long nowMs;
    private SluiceException lastError;

    public CoordinatorOperation(String description, String groupId, MethodDescriptor<Q, R> method,
            Supplier<Q> request, Interpreter<R, T> interpreter, long deadlineMs) {
        this.description = description;
        this.groupId = groupId;
        this.method = method;
        this.request = request;
        this.interpreter = interpreter;
        this.deadlineMs = deadlineMs;
    }

    /** Completes with the result, or the failure. */
    public CompletableFuture<T> future() {
        return future;
    }

    @Override
    public boolean poll(long now, OperationContext context) {
        this.nowMs = now;
        if (future.isDone()) {
            return true;
        }
        if (now >= deadlineMs) {
            SluiceException cause = lastError != null ? lastError : context.coordinators().lastError(groupId);
            String last = cause == null ? "" : "; last error: " + cause.getMessage();
            future.completeExceptionally(new SluiceTimeoutException(description + " for group '" + groupId
                    + "' did not finish in time" + last, cause));
            return true;
        }
        if (inFlight || now < retryAtMs) {
            return false;
        }
        HostPort coordinator = context.coordinators().coordinator(groupId);
        if (coordinator == null) {
            return false;
        }
        inFlight = true;
        long timeoutMs = Math.min(context.requestTimeoutMs(), Math.max(1, deadlineMs - now));
        context.network().send(coordinator, method, request.get(), now, timeoutMs,
                (response, error) -> handle(response, error, context));
        return false;
    }

    private void handle(R response, SluiceException error, OperationContext context) {
        inFlight = false;
        SluiceException failure = error;
        if (failure == null) {
            try {
                future.complete(interpreter.interpret(response));
                return;
            } catch (SluiceException e) {
                failure = e;
            }
        }
        RetryPolicy.Decision decision = RetryPolicy.decide(failure);
        if (!decision.retry()) {
            future.completeExceptionally(failure);
            return;
        }
        lastError = failure;
        if (decision.findCoordinator()) {
            context.coordinators().markUnknown(groupId);
        }
        attempts++;
        retryAtMs = nowMs + context.backoff().backoffMs(attempts);
    }

    @Override
    public long nextPollMs() {
        return future.isDone() ? Long.MAX_VALUE : inFlight ? deadlineMs : Math.min(deadlineMs, retryAtMs);
    }
}
