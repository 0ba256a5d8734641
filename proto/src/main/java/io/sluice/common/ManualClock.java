package io.sluice.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for deterministic tests and simulations. Sleeping advances
 * it. Thread-safe.
 */
public final class ManualClock implements Clock {
    private final AtomicLong nanos;
    private final long wallOriginMs;

    /** A clock whose wall time starts at {@code wallOriginMs} and monotonic time at 0. */
    public ManualClock(long wallOriginMs) {
        this.wallOriginMs = wallOriginMs;
        this.nanos = new AtomicLong();
    }

    /** Moves time forward by {@code ms}. */
    public void advanceMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time cannot go back: " + ms);
        }
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Override
    public long wallMs() {
        return wallOriginMs + monotonicMs();
    }

    @Override
    public long monotonicMs() {
        return nanos.get() / 1_000_000L;
    }

    @Override
    public long monotonicNs() {
        return nanos.get();
    }

    @Override
    public void sleepMs(long durationMs) {
        advanceMs(durationMs);
    }
}
