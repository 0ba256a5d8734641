package io.sluice.client.perf.internal;

import io.sluice.common.Clock;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a point in monotonic time; how a paced load generator keeps to its schedule. The real
 * one parks the thread (sub-millisecond waits at rates like 10,000 records/s); tests pass one that
 * moves a manual clock instead.
 */
@FunctionalInterface
public interface Pacer {
    /** Returns once the clock reads {@code targetNs} or later (at once if it already does). */
    void awaitNs(long targetNs) throws InterruptedException;

    /** Parks the calling thread until {@code clock} reaches the target. */
    static Pacer parking(Clock clock) {
        return targetNs -> {
            for (long left = targetNs - clock.monotonicNs(); left > 0; left = targetNs - clock.monotonicNs()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while pacing");
                }
            }
        };
    }
}
