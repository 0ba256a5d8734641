package io.sluice.client.consumer.internal;

import io.sluice.client.internal.network.EventQueue;
import io.sluice.common.Clock;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's background thread: polls the {@link ConsumerCore} under the consumer's lock (so
 * heartbeats, fetches and commits go on while the application is busy between polls), signals
 * {@code progressed} after each round so that blocked application calls re-check, and otherwise
 * waits until the core's next scheduled work, an answer, or a wakeup. Thread-safe.
 */
public final class ConsumerNetworkThread implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerNetworkThread.class);
    private static final long MAX_IDLE_WAIT_MS = 1_000;

    private final ConsumerCore core;
    private final EventQueue events;
    private final ReentrantLock lock;
    private final Condition progressed;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closing;

    public ConsumerNetworkThread(ConsumerCore core, EventQueue events, ReentrantLock lock, Condition progressed,
            Clock clock, String name) {
        this.core = core;
        this.events = events;
        this.lock = lock;
        this.progressed = progressed;
        this.clock = clock;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                long waitMs;
                lock.lock();
                try {
                    long now = clock.monotonicMs();
                    core.poll(now);
                    progressed.signalAll();
                    waitMs = Math.min(MAX_IDLE_WAIT_MS, Math.max(0, core.nextPollMs() - clock.monotonicMs()));
                } finally {
                    lock.unlock();
                }
                events.await(waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the consumer's background thread failed", e);
        } finally {
            lock.lock();
            try {
                core.close();
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Makes the thread poll now. */
    public void wakeup() {
        events.wakeup();
    }

    /** Whether the thread still runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread and waits up to {@code maxWaitMs} for it. */
    public void close(long maxWaitMs) throws InterruptedException {
        closing = true;
        events.wakeup();
        thread.join(Math.max(1, maxWaitMs));
    }
}
