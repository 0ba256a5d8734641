package io.sluice.client.consumer;

import io.sluice.client.consumer.internal.AppCallback;
import io.sluice.client.consumer.internal.ConsumerCore;
import io.sluice.client.consumer.internal.ConsumerNetworkThread;
import io.sluice.client.errors.InterruptException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.WakeupException;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How the consumer's application-facing methods reach the core: short critical sections under the
 * lock the background thread polls under ({@link #call}), waits outside them for the next round
 * of the background thread ({@link #await}, {@link #awaitProgress}), application-thread work run
 * outside the lock ({@link #runAppCallbacks}), {@code wakeup()}, and Kafka's single-thread guard
 * (a second thread using the consumer gets {@link ConcurrentModificationException}). Package
 * private: part of {@link SluiceConsumer}.
 */
final class ApplicationGate {
    private static final long MAX_WAIT_SLICE_MS = 1_000;

    private final ConsumerCore core;
    private final ConsumerNetworkThread thread;
    private final ReentrantLock lock;
    private final Condition progressed;
    private final Clock clock;
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final AtomicLong owner = new AtomicLong(-1);
    private int ownerDepth;
    /**
     * The background thread's round count when the owner thread's last {@link #awaitProgress}
     * returned; the caller looks at the core after that, so any later round may have news for it.
     * Read and written under the lock, by the owner thread only.
     */
    private long seenRound;

    ApplicationGate(ConsumerCore core, ConsumerNetworkThread thread, ReentrantLock lock, Condition progressed,
            Clock clock) {
        this.core = core;
        this.thread = thread;
        this.lock = lock;
        this.progressed = progressed;
        this.clock = clock;
    }

    /** Claims the consumer for the calling thread (re-entrant). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
    void acquire() {
        long id = Thread.currentThread().getId();
        if (owner.get() != id && !owner.compareAndSet(-1, id)) {
            throw new ConcurrentModificationException("a consumer is not safe for use by several threads at once");
        }
        ownerDepth++;
    }

    /** Gives the consumer back. */
    void release() {
        if (--ownerDepth == 0) {
            owner.set(-1);
        }
    }

    /** Runs {@code action} on the core under the lock. */
    <T> T call(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} on the core under the lock. */
    void call(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Throws {@link WakeupException} once after {@link #wakeup}. */
    void checkWakeup() {
        if (wakeupRequested.getAndSet(false)) {
            throw new WakeupException();
        }
    }

    /** Makes a blocking call in progress (or the next) throw {@link WakeupException}. */
    void wakeup() {
        wakeupRequested.set(true);
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, at most {@code maxWaitMs}, for a round of the background thread that finished after this
     * method last returned, or for {@code wakeup()}; returns at once when such a round has already
     * finished. Callers look at the core between two calls, so no round that could have changed what
     * they saw is slept through (the first call of a blocking method may return at once: one more
     * look). The count is not taken in {@link #call}, which other threads may use, and where a look
     * followed by another call would record a round the look did not see.
     *
     * <p>It does not wake the background thread: that thread runs by itself when an answer arrives
     * or its next work is due, so a caller wakes it only after changing what it works from. Waking it
     * on every pass made the two threads take turns without pause while the application waited:
     * 12,000 rounds in half a second of a {@code commitSync} with records buffered (where the old
     * test for buffered records never let the application thread sleep at all), and 6,000 of the
     * 7,000 rounds of reading 600,000 records from three brokers (docs/benchmarks.md, "Fewer rounds
     * of the consumer's background thread").
     */
    void awaitProgress(long maxWaitMs) {
        lock.lock();
        try {
            if (!wakeupRequested.get() && thread.rounds() == seenRound && maxWaitMs > 0) {
                progressed.await(Math.min(maxWaitMs, MAX_WAIT_SLICE_MS), TimeUnit.MILLISECONDS);
            }
            seenRound = thread.rounds();
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code future} until the monotonic {@code deadlineMs}; returns its value or throws its error. */
    <T> T await(CompletableFuture<T> future, long deadlineMs, String what) {
        thread.wakeup();
        while (!future.isDone()) {
            checkWakeup();
            long remaining = deadlineMs - clock.monotonicMs();
            if (remaining <= 0) {
                throw new SluiceTimeoutException(what + " did not finish in time");
            }
            awaitProgress(remaining);
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, String.valueOf(e.getCause()),
                            e.getCause());
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Runs queued application-thread work (listener, commit callbacks); rethrows the first failure. */
    void runAppCallbacks() {
        List<AppCallback> callbacks = call(core::takeAppCallbacks);
        RuntimeException first = null;
        for (AppCallback callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (!callbacks.isEmpty()) {
            thread.wakeup();
        }
        if (first != null) {
            throw first;
        }
    }
}
