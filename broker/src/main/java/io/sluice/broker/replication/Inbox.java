package io.sluice.broker.replication;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off from other threads to a poll-driven core: answers from the network, metadata
 * changes, controller decisions are posted here as tasks and run by the core's own thread when it
 * next calls {@link #drain}. A simulation posts and drains on one thread and so decides the order.
 *
 * <p>Thread-safe: any thread may {@link #post}; one thread drains and waits.
 */
public final class Inbox {
    /** Work for the core, run with the time of the poll that runs it. */
    @FunctionalInterface
    public interface Task {
        void run(long nowMs);
    }

    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition posted = lock.newCondition();
    private boolean signalled;

    /** Queues a task and wakes the core's thread if it waits. */
    public void post(Task task) {
        tasks.add(task);
        wakeup();
    }

    /** Wakes the waiting core thread without a task (for example after a state change it must see). */
    public void wakeup() {
        lock.lock();
        try {
            signalled = true;
            posted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the tasks queued so far (not those they post themselves: those wait for the next drain,
     * so one drain always ends).
     *
     * @return the number of tasks run
     */
    public int drain(long nowMs) {
        int limit = tasks.size();
        int ran = 0;
        Task task;
        while (ran < limit && (task = tasks.poll()) != null) {
            task.run(nowMs);
            ran++;
        }
        return ran;
    }

    /** Whether tasks are waiting. */
    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /**
     * Blocks the driver thread until a task is posted, {@link #wakeup} is called, or
     * {@code timeoutMs} passes. Only thin driver threads call this; cores never block.
     */
    public void awaitWork(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
            while (!signalled && tasks.isEmpty() && remainingNs > 0) {
                remainingNs = posted.awaitNanos(remainingNs);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }
}
