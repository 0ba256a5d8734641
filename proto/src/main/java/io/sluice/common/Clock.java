package io.sluice.common;

/**
 * The only way Sluice code reads time or waits for it, so that cores can run under a
 * {@link ManualClock} in deterministic simulations. Implementations are thread-safe.
 */
public interface Clock {
    /** Wall-clock milliseconds since the epoch (record timestamps, commit times). */
    long wallMs();

    /** Monotonic milliseconds from an arbitrary origin (timeouts, sessions, lag). */
    long monotonicMs();

    /** Monotonic nanoseconds from an arbitrary origin (latency measurement). */
    long monotonicNs();

    /** Waits {@code durationMs}, or returns at once on a manual clock after advancing it. */
    void sleepMs(long durationMs) throws InterruptedException;
}
