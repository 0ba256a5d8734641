package io.sluice.client.producer.internal;

import io.sluice.client.errors.InterruptException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.common.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts for the producer's {@code buffer.memory}: every queued record reserves its size before
 * it is accepted and gives it back when its batch completes. A reservation that does not fit waits
 * up to {@code max.block.ms}; waiters are served first come, first served, so a large record is not
 * starved by a stream of small ones. Bytes are counted, not pooled: the JVM allocates the buffers.
 * Thread-safe.
 */
public final class BufferPool {
    private final long totalBytes;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Condition> waiters = new ArrayDeque<>();
    private long availableBytes;
    private boolean closed;

    public BufferPool(long totalBytes, Clock clock) {
        if (totalBytes <= 0) {
            throw new IllegalArgumentException("buffer memory must be positive");
        }
        this.totalBytes = totalBytes;
        this.availableBytes = totalBytes;
        this.clock = clock;
    }

    /**
     * Reserves {@code bytes}, waiting up to {@code maxBlockMs} for others to release enough.
     *
     * @throws SluiceTimeoutException when the memory did not become free in time
     * @throws IllegalArgumentException when {@code bytes} exceeds the whole pool
     * @throws IllegalStateException when the pool was closed while waiting
     */
    public void reserve(long bytes, long maxBlockMs) {
        if (bytes > totalBytes) {
            throw new IllegalArgumentException(bytes + " bytes exceed buffer.memory (" + totalBytes + ")");
        }
        lock.lock();
        try {
            if (waiters.isEmpty() && availableBytes >= bytes) {
                availableBytes -= bytes;
                return;
            }
            awaitTurn(bytes, maxBlockMs);
        } finally {
            lock.unlock();
        }
    }

    private void awaitTurn(long bytes, long maxBlockMs) {
        Condition mine = lock.newCondition();
        waiters.addLast(mine);
        long deadlineMs = clock.monotonicMs() + maxBlockMs;
        try {
            while (!closed && (waiters.peekFirst() != mine || availableBytes < bytes)) {
                long remainingMs = deadlineMs - clock.monotonicMs();
                if (remainingMs <= 0) {
                    throw new SluiceTimeoutException("could not allocate " + bytes + " bytes of buffer.memory within "
                            + maxBlockMs + " ms (max.block.ms); the producer is sending slower than records arrive");
                }
                mine.await(remainingMs, TimeUnit.MILLISECONDS);
            }
            if (closed) {
                throw new IllegalStateException("the producer is closed");
            }
            availableBytes -= bytes;
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } finally {
            waiters.remove(mine);
            Condition next = waiters.peekFirst();
            if (next != null) {
                next.signal();
            }
        }
    }

    /** Gives back {@code bytes} reserved earlier. */
    public void release(long bytes) {
        lock.lock();
        try {
            availableBytes = Math.min(totalBytes, availableBytes + bytes);
            Condition next = waiters.peekFirst();
            if (next != null) {
                next.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails every waiting and later blocked reservation; reservations that fit at once still succeed. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Condition c : waiters) {
                c.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes free now. */
    public long availableBytes() {
        lock.lock();
        try {
            return availableBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether some thread waits for memory (then batches are sent without lingering). */
    public boolean hasWaiters() {
        lock.lock();
        try {
            return !waiters.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The pool's size, {@code buffer.memory}. */
    public long totalBytes() {
        return totalBytes;
    }
}
