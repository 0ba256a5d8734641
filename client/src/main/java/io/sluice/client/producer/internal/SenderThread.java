package io.sluice.client.producer.internal;

import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.DriverThread;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thin driver of a {@link Sender}. On close it keeps polling until nothing is pending or the
 * close deadline passes, then fails what is left and closes the network. Other threads talk to it
 * only through {@link #wakeup}, {@link #awaitPoll} and {@link #initiateClose}. Thread-safe.
 */
public final class SenderThread extends DriverThread {
    private final Sender sender;
    private final NetworkClient network;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Condition polled = pollLock.newCondition();
    private volatile long closeDeadlineMs = Long.MAX_VALUE;
    private volatile SluiceException closeError;
    private final Runnable afterShutdown;

    /** @param afterShutdown runs last on this thread (closing a transport the producer owns) */
    public SenderThread(Sender sender, NetworkClient network, Clock clock, String name, Runnable afterShutdown) {
        super(network.events(), clock, name);
        this.sender = sender;
        this.network = network;
        this.afterShutdown = afterShutdown;
    }

    @Override
    protected boolean keepRunning(boolean closeRequested) {
        return !closeRequested || (sender.hasPendingWork() && clock().monotonicMs() < closeDeadlineMs);
    }

    @Override
    protected long pollOnce(long nowMs) {
        sender.poll(nowMs);
        signalPolled();
        return Math.min(sender.nextPollMs(), closeDeadlineMs);
    }

    @Override
    protected void shutDown() {
        SluiceException reason = closeError != null ? closeError
                : new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the producer's sender stopped");
        sender.forceClose(reason);
        network.close();
        sender.forceClose(reason);
        signalPolled();
        afterShutdown.run();
    }

    private void signalPolled() {
        pollLock.lock();
        try {
            polled.signalAll();
        } finally {
            pollLock.unlock();
        }
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
        requestClose();
    }
}
