package io.sluice.client.internal;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.network.HostPort;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One request, retried until it succeeds, fails for good, or its deadline passes: it waits for its
 * {@link Target} to name a node (any broker, or a group's coordinator once found), builds the
 * request anew for every attempt (so a commit carries the member's current epoch, and a request
 * over several items can leave out those already done), and hands the answer to an interpreter
 * that returns the result or throws the answer's error. Failures go through {@link RetryPolicy}:
 * a retriable one is retried after backoff (the target first reacts: another broker, a metadata
 * refresh, a new coordinator lookup), any other completes the future exceptionally. Not
 * thread-safe.
 *
 * @param <Q> request type
 * @param <R> answer type
 * @param <T> result type
 */
public final class RpcOperation<Q extends Message, R extends Message, T> implements Operation {
    /** Turns an answer into a result, or throws its error (a retriable one is retried). */
    @FunctionalInterface
    public interface Interpreter<R, T> {
        T interpret(R response);
    }

    /** Where the request goes, and what to do when sending there failed. */
    public interface Target {
        /** The node to send to now, or null to wait. */
        HostPort select(OperationContext context);

        /** Reacts to a retriable failure of the request sent to {@code node}, before the retry. */
        void onRetriableFailure(OperationContext context, RetryPolicy.Decision decision, HostPort node);

        /** Why the target cannot be reached, if it knows (for the timeout message); may be null. */
        SluiceException lastError(OperationContext context);

        /** For messages: what the request was sent to. */
        String describe();
    }

    /** Any broker: the least loaded known one, moving on after a failure. */
    public static Target anyNode() {
        return new Target() {
            @Override
            public HostPort select(OperationContext context) {
                return context.metadata().pickNode(context.network());
            }

            @Override
            public void onRetriableFailure(OperationContext context, RetryPolicy.Decision decision, HostPort node) {
                context.metadata().skipNode(node);
                if (decision.refreshMetadata()) {
                    context.metadata().requestUpdate();
                }
            }

            @Override
            public SluiceException lastError(OperationContext context) {
                return context.metadata().lastError();
            }

            @Override
            public String describe() {
                return "the cluster";
            }
        };
    }

    /** The coordinator of {@code groupId}, looked up again when the policy says so. */
    public static Target coordinator(String groupId) {
        return new Target() {
            @Override
            public HostPort select(OperationContext context) {
                return context.coordinators().coordinator(groupId);
            }

            @Override
            public void onRetriableFailure(OperationContext context, RetryPolicy.Decision decision, HostPort node) {
                if (decision.findCoordinator()) {
                    context.coordinators().markUnknown(groupId);
                }
            }

            @Override
            public SluiceException lastError(OperationContext context) {
                SluiceException e = context.coordinators().lastError(groupId);
                return e != null ? e : context.metadata().lastError();
            }

            @Override
            public String describe() {
                return "group '" + groupId + "'";
            }
        };
    }

    private final String description;
    private final Target target;
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

    public RpcOperation(String description, Target target, MethodDescriptor<Q, R> method, Supplier<Q> request,
            Interpreter<R, T> interpreter, long deadlineMs) {
        this.description = description;
        this.target = target;
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
            SluiceException cause = lastError != null ? lastError : target.lastError(context);
            String last = cause == null ? "" : "; last error: " + cause.getMessage();
            future.completeExceptionally(new SluiceTimeoutException(description + " for " + target.describe()
                    + " did not finish in time" + last, cause));
            return true;
        }
        if (inFlight || now < retryAtMs) {
            return false;
        }
        HostPort node = target.select(context);
        if (node == null) {
            return false;
        }
        inFlight = true;
        long timeoutMs = Math.min(context.requestTimeoutMs(), Math.max(1, deadlineMs - now));
        context.network().send(node, method, request.get(), now, timeoutMs,
                (response, error) -> handle(node, response, error, context));
        return false;
    }

    private void handle(HostPort node, R response, SluiceException error, OperationContext context) {
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
        target.onRetriableFailure(context, decision, node);
        attempts++;
        retryAtMs = nowMs + context.backoff().backoffMs(attempts);
    }

    @Override
    public void abort(SluiceException error) {
        future.completeExceptionally(error);
    }

    @Override
    public long nextPollMs() {
        return future.isDone() ? Long.MAX_VALUE : inFlight ? deadlineMs : Math.min(deadlineMs, retryAtMs);
    }
}
