package io.sluice.broker.server.dataplane.internal;

import java.util.function.BooleanSupplier;

/**
 * A long-polling fetch (a consumer's, or a follower's) waiting for data: re-checked when a watched
 * partition changes (high watermark or role for consumers, log end or role for followers), answered
 * with what is readable then, or at its deadline with whatever there is. A follower's progress was
 * recorded when its fetch arrived; completing only reads. Thread-safe through
 * {@link DelayedOperation}.
 */
final class DelayedRead extends DelayedOperation {
    private final BooleanSupplier ready;
    private final Runnable answer;

    /**
     * @param ready  whether to answer now (new data, or a partition changed leadership)
     * @param answer reads and sends the answer
     */
    DelayedRead(long deadlineMs, BooleanSupplier ready, Runnable answer) {
        super(deadlineMs);
        this.ready = ready;
        this.answer = answer;
    }

    @Override
    protected boolean canComplete() {
        return ready.getAsBoolean();
    }

    @Override
    protected void onComplete() {
        answer.run();
    }
}
