package io.sluice.client.admin.internal;

import io.sluice.client.admin.Results;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.RetryPolicy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The outcomes of a request over several items, gathered across attempts: each answer settles
 * some items (a value, or a final error) and leaves those with a retriable error pending, so the
 * next attempt asks only for them. Not thread-safe: one operation's state.
 *
 * @param <K> item key
 * @param <V> value of a success
 */
final class ItemResults<K, V> {
    private final Set<K> pending;
    private final Map<K, V> successes = new LinkedHashMap<>();
    private final Map<K, SluiceException> failures = new LinkedHashMap<>();
    private SluiceException lastRetriable;

    ItemResults(Collection<K> keys) {
        this.pending = new LinkedHashSet<>(keys);
    }

    /** The items still to ask for. */
    Set<K> pending() {
        return Set.copyOf(pending);
    }

    void succeed(K key, V value) {
        if (pending.remove(key)) {
            successes.put(key, value);
        }
    }

    /** Settles {@code key} with {@code error}, unless {@code retriable} and the policy says to retry. */
    void fail(K key, SluiceException error, boolean retriable) {
        if (!pending.contains(key)) {
            return;
        }
        if (retriable && RetryPolicy.decide(error).retry()) {
            lastRetriable = error;
            return;
        }
        pending.remove(key);
        failures.put(key, error);
    }

    /**
     * The results once nothing is pending.
     *
     * @throws SluiceException the last retriable error, so that the operation retries the pending items
     */
    Results<K, V> finishOrRetry() {
        if (!pending.isEmpty()) {
            throw lastRetriable;
        }
        return new Results<>(successes, failures);
    }
}
