package io.sluice.client.internal;

import io.sluice.client.internal.network.EventQueue;
import io.sluice.common.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin thread that drives a poll-driven core: poll, then wait on the core's
 * {@link EventQueue} until the next scheduled work (at most a second), an answer, or a wakeup;
 * on the way out, {@link #shutDown}. The core's logic stays single-threaded and testable without
 * this class. Subclasses decide when to stop ({@link #keepRunning}). Thread-safe.
 */
public abstract class DriverThread implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverThread.class);
    private static final long MAX_IDLE_WAIT_MS = 1_000;

    private final EventQueue events;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closing;

    protected DriverThread(EventQueue events, Clock clock, String name) {
        this.events = events;
        this.clock = clock;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** One round of the core's work; returns the monotonic time of its next scheduled work. */
    protected abstract long pollOnce(long nowMs);

    /** Runs once, on this thread, after the loop ended (normally or not). */
    protected abstract void shutDown();

    /** Whether to go on; by default until {@link #close} was asked for. */
    protected boolean keepRunning(boolean closeRequested) {
        return !closeRequested;
    }

    /** The clock the loop runs on. */
    protected Clock clock() {
        return clock;
    }

    public final void start() {
        thread.start();
    }

    @Override
    public final void run() {
        try {
            while (keepRunning(closing)) {
                long next = pollOnce(clock.monotonicMs());
                events.await(Math.min(MAX_IDLE_WAIT_MS, Math.max(0, next - clock.monotonicMs())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{} failed", thread.getName(), e);
        } finally {
            shutDown();
        }
    }

    /** Makes the thread poll now. */
    public final void wakeup() {
        events.wakeup();
    }

    /** Whether the caller runs on this driver's thread (for example inside a callback it runs). */
    public final boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    /** Whether the thread still runs. */
    public final boolean isAlive() {
        return thread.isAlive();
    }

    /** Asks the loop to end (see {@link #keepRunning}) without waiting. */
    protected final void requestClose() {
        closing = true;
        events.wakeup();
    }

    /** Asks the loop to end and waits up to {@code maxWaitMs} for the thread (0: as long as it takes). */
    public void close(long maxWaitMs) throws InterruptedException {
        requestClose();
        join(maxWaitMs);
    }

    /** Waits for the thread to end: up to {@code maxWaitMs}, or as long as it takes when 0. */
    public final void join(long maxWaitMs) throws InterruptedException {
        thread.join(Math.max(0, maxWaitMs));
    }
}
