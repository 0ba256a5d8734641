package io.sluice.client.internal.network;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The inbox of a single-threaded core: any thread may {@link #post} a task or {@link #wakeup} the
 * core; the core's thread runs the tasks in arrival order with {@link #runPending}, and its driver
 * thread waits for the next task with {@link #await}. In deterministic tests nobody waits: the test
 * posts (through a fake transport) and then polls the core. Thread-safe.
 */
public final class EventQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean woken;

    /** Queues {@code task} for the core's thread and wakes a waiting driver. */
    public void post(Runnable task) {
        lock.lock();
        try {
            tasks.addLast(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting (or the next) {@link #await} return at once. */
    public void wakeup() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs every queued task, including tasks queued while running; returns how many ran. */
    public int runPending() {
        int ran = 0;
        while (true) {
            List<Runnable> batch;
            lock.lock();
            try {
                if (tasks.isEmpty()) {
                    return ran;
                }
                batch = new ArrayList<>(tasks);
                tasks.clear();
            } finally {
                lock.unlock();
            }
            for (Runnable task : batch) {
                task.run();
                ran++;
            }
        }
    }

    /** Whether tasks are waiting. */
    public boolean hasPending() {
        lock.lock();
        try {
            return !tasks.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code maxWaitMs} of real time for a task or a wakeup (returns at once if one is
     * already there) and clears the wakeup.
     */
    public void await(long maxWaitMs) throws InterruptedException {
        lock.lock();
        try {
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMs));
            while (tasks.isEmpty() && !woken && remainingNs > 0) {
                remainingNs = changed.awaitNanos(remainingNs);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }
}
