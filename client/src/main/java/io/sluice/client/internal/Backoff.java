package io.sluice.client.internal;

import java.util.Random;

/**
 * Exponential retry backoff with jitter: the n-th retry waits {@code initialMs * 2^(n-1)}, at most
 * {@code maxMs}, each wait moved by up to 20% either way so that clients that failed together do
 * not retry together. The randomness is injected (seeded in simulations). Not thread-safe: one
 * per core.
 */
public final class Backoff {
    private static final double JITTER = 0.2;

    private final long initialMs;
    private final long maxMs;
    private final Random random;

    public Backoff(long initialMs, long maxMs, Random random) {
        if (initialMs < 0 || maxMs < 0) {
            throw new IllegalArgumentException("backoff must be >= 0");
        }
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public long backoffMs(int attempt) {
        if (initialMs == 0) {
            return 0;
        }
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        double base = Math.min((double) maxMs, initialMs * Math.pow(2, exponent));
        double jitter = 1 + JITTER * (2 * random.nextDouble() - 1);
        return Math.max(0, Math.min(maxMs, Math.round(base * jitter)));
    }

    /** The first wait, without jitter. */
    public long initialMs() {
        return initialMs;
    }
}
