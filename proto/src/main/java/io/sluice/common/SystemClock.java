package io.sluice.common;

/** The real clock: the system's wall time and {@link System#nanoTime()}. */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long wallMs() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicMs() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public long monotonicNs() {
        return System.nanoTime();
    }

    @Override
    public void sleepMs(long durationMs) throws InterruptedException {
        Thread.sleep(durationMs);
    }
}
