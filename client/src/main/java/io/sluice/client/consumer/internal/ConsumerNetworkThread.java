package io.sluice.client.consumer.internal;

import io.sluice.client.internal.DriverThread;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.common.Clock;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer's background thread: polls the {@link ConsumerCore} under the consumer's lock (so
 * heartbeats, fetches and commits go on while the application is busy between polls), and counts
 * and signals each round on {@code progressed} so that blocked application calls re-check.
 * Thread-safe.
 */
public final class ConsumerNetworkThread extends DriverThread {
    private final ConsumerCore core;
    private final ReentrantLock lock;
    private final Condition progressed;
    /** Rounds finished so far, counted under {@code lock}. */
    private long rounds;

    public ConsumerNetworkThread(ConsumerCore core, EventQueue events, ReentrantLock lock, Condition progressed,
            Clock clock, String name) {
        super(events, clock, name);
        this.core = core;
        this.lock = lock;
        this.progressed = progressed;
    }

    @Override
    protected long pollOnce(long nowMs) {
        lock.lock();
        try {
            core.poll(nowMs);
            rounds++;
            progressed.signalAll();
            return core.nextPollMs();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many rounds (and the shutdown) have finished; the caller holds the lock. A waiting
     * application thread compares it with the count it last saw, so that it never sleeps through a
     * round that finished between its look at the core and its wait.
     */
    public long rounds() {
        return rounds;
    }

    @Override
    protected void shutDown() {
        lock.lock();
        try {
            core.close();
            rounds++;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
