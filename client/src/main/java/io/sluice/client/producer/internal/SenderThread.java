package io.sluice.client.producer.internal;

import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin driver of a {@link Sender}: one daemon thread that polls the sender, then waits until
 * its next scheduled work or until an answer or a wakeup arrives. On close it keeps polling until
 * nothing is pending or the close deadline passes, then fails what is left and closes the network.
 * Other threads talk to it only through {@link #wakeup}, {@link #awaitPoll} and
 * {@link #initiateClose}. Thread-safe.
 */
public final class SenderThread implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SenderThread.class);
    /** Longest idle wait, so a missed wakeup costs at most this much. */
    private static final long MAX_IDLE_WAIT_MS = 1_000;

    private final Sender sender;
    private final NetworkClient network;
    private final EventQueue events;
    private final Clock clock;
    private final Thread thread;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Condition polled = pollLock.newCondition();
    private volatile boolean closing;
    private volatile long closeDeadlineMs = Long.MAX_VALUE;
    private volatile SluiceException closeError;

    public SenderThread(Sender sender, NetworkClient network, Clock clock, String name) {
        this.sender = sender;
        this.network = network;
        this.events = network.events();
        this.clock = clock;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (!closing || (sender.hasPendingWork() && clock.monotonicMs() < closeDeadlineMs)) {
                long now = clock.monotonicMs();
                sender.poll(now);
                signalPolled();
                long waitMs = Math.min(MAX_IDLE_WAIT_MS, Math.max(0, sender.nextPollMs() - clock.monotonicMs()));
                if (closing) {
                    waitMs = Math.min(waitMs, Math.max(0, closeDeadlineMs - clock.monotonicMs()));
                }
                events.await(waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the producer's sender thread failed; pending records fail", e);
        } finally {
            shutDown();
        }
    }

    private void shutDown() {
        SluiceException reason = closeError != null ? closeError
                : new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the producer's sender stopped");
        sender.forceClose(reason);
        network.close();
        sender.forceClose(reason);
        signalPolled();
    }

    private void signalPolled() {
        pollLock.lock();
        try {
            polled.signalAll();
        } finally {
            pollLock.unlock();
        }
    }

    /** Makes the thread poll now (new records, a flush). */
    public void wakeup() {
        events.wakeup();
    }

    /** Waits up to {@code maxWaitMs} for the thread to finish one more poll. */
    public void awaitPoll(long maxWaitMs) throws InterruptedException {
        pollLock.lock();
        try {
            polled.await(maxWaitMs, TimeUnit.MILLISECONDS);
        } finally {
            pollLock.unlock();
        }
    }

    /**
     * Asks the thread to finish: it sends what is queued until {@code deadlineMs} (monotonic), then
     * fails the rest with {@code error}.
     */
    public void initiateClose(long deadlineMs, SluiceException error) {
        this.closeError = error;
        this.closeDeadlineMs = deadlineMs;
        this.closing = true;
        events.wakeup();
    }

    /** Waits for the thread to end: up to {@code maxWaitMs}, or for as long as it takes when 0. */
    public void join(long maxWaitMs) throws InterruptedException {
        thread.join(Math.max(0, maxWaitMs));
    }

    /** Whether the thread has ended. */
    public boolean isAlive() {
        return thread.isAlive();
    }
}
