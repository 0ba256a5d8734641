package io.sluice.client.internal;

import io.sluice.client.errors.SluiceException;

/**
 * A request, or a few, that a core drives to completion with retries: each {@link #poll} sends
 * what is due and reports whether the operation has finished (its future is then complete,
 * successfully or not). Polled only from the core's thread; not thread-safe.
 */
public interface Operation {
    /** Does what is due at {@code nowMs}; true once finished. */
    boolean poll(long nowMs, OperationContext context);

    /** When this operation next needs a poll without an answer arriving, or {@code Long.MAX_VALUE}. */
    long nextPollMs();

    /** Ends the operation with {@code error} unless it has finished (its client is closing). */
    void abort(SluiceException error);
}
