package io.sluice.client.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads of one load generator run: a fixed number, started one by one, awaited together (so
 * the caller can print progress between waits); the first failure of any of them is kept to be
 * rethrown. Thread-safe.
 */
final class LoadThreads {
    /** A thread's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch done;
    private final int capacity;

    /** Room for {@code count} threads; {@link #awaitAll} returns true once that many have ended. */
    LoadThreads(int count) {
        this.done = new CountDownLatch(count);
        this.capacity = count;
    }

    /** Starts a daemon thread running {@code body}. */
    synchronized void start(String name, Body body) {
        if (threads.size() >= capacity) {
            throw new IllegalStateException("all " + capacity + " threads were started already");
        }
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                done.countDown();
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Waits up to {@code maxWaitMs} for every thread; true when all have ended. */
    boolean awaitAll(long maxWaitMs) throws InterruptedException {
        return done.await(maxWaitMs, TimeUnit.MILLISECONDS);
    }

    /** Interrupts every thread (a run cut short). */
    synchronized void interruptAll() {
        threads.forEach(Thread::interrupt);
    }

    /** Rethrows the first failure of a thread, if any. */
    void rethrowFailure() {
        Exception e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
