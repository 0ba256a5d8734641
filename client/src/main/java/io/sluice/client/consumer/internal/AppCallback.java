package io.sluice.client.consumer.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Work that must run on the application's thread (a rebalance listener method, an async-commit
 * callback), queued by the core and run by the consumer facade during {@code poll}. {@code done}
 * completes when it ran (exceptionally if it threw), which lets the core go on.
 *
 * @param description what it is, for logs
 * @param action      the work
 * @param done        completed after the work ran
 */
public record AppCallback(String description, Runnable action, CompletableFuture<Void> done) {
    /** Runs the work and completes {@code done}; rethrows what the work threw. */
    public void run() {
        try {
            action.run();
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            throw e;
        }
    }
}
