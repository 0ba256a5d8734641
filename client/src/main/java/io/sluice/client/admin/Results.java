package io.sluice.client.admin;

import io.sluice.client.errors.SluiceException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of an operation over several items (topics, groups): each item succeeded with a
 * value or failed with its own error. Unlike Kafka's map of futures, the whole answer is here at
 * once. Immutable.
 *
 * @param <K> item key (a topic name, a group id)
 * @param <V> value of a success ({@link Void} when there is none)
 */
public final class Results<K, V> {
    private final Map<K, V> successes;
    private final Map<K, SluiceException> failures;

    public Results(Map<K, V> successes, Map<K, SluiceException> failures) {
        this.successes = Collections.unmodifiableMap(new LinkedHashMap<>(successes));
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** The items that succeeded, with their values (null values for {@link Void}). */
    public Map<K, V> successes() {
        return successes;
    }

    /** The items that failed, with their errors. */
    public Map<K, SluiceException> failures() {
        return failures;
    }

    /** Whether every item succeeded. */
    public boolean allSucceeded() {
        return failures.isEmpty();
    }

    /**
     * The value of {@code key}.
     *
     * @throws SluiceException the item's error
     * @throws IllegalArgumentException when the key was not part of the operation
     */
    public V get(K key) {
        SluiceException e = failures.get(key);
        if (e != null) {
            throw e;
        }
        if (!successes.containsKey(key)) {
            throw new IllegalArgumentException("no result for " + key);
        }
        return successes.get(key);
    }

    /** Every value, or the first item's error. */
    public Map<K, V> allOrThrow() {
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
        return successes;
    }

    @Override
    public String toString() {
        return "Results[successes=" + successes.keySet() + ", failures=" + failures + "]";
    }
}
