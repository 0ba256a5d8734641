package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.List;

/**
 * An answer that waits for partition state to change (an acks=all produce for the high watermark, a
 * long-polling fetch for data) or for its deadline, in a {@link Purgatory}. Completes exactly once:
 * when {@link #canComplete} says so on a re-check, when it expires, or when it is cancelled;
 * completion builds the answer from the state at that moment and sends it.
 *
 * <p>Thread-safe: checks are serialized on the operation; completion happens once whichever thread
 * gets there first.
 */
public abstract class DelayedOperation {
    private final long deadlineMs;
    private boolean completed;
    private Purgatory<?> owner;
    private List<TopicIdPartition> keys = List.of();
    private long timerSequence;

    protected DelayedOperation(long deadlineMs) {
        this.deadlineMs = deadlineMs;
    }

    public long deadlineMs() {
        return deadlineMs;
    }

    public final synchronized boolean isCompleted() {
        return completed;
    }

    /**
     * Whether the answer can be sent now. Called under the operation's monitor; may record
     * progress (e.g. which partitions are done) in the operation.
     */
    protected abstract boolean canComplete();

    /** Builds and sends the answer from the current state (after a successful check, expiry or cancel). */
    protected abstract void onComplete();

    /** Re-checks; completes if it can. Returns whether the operation is (now) completed. */
    public final boolean tryComplete() {
        synchronized (this) {
            if (completed) {
                return true;
            }
            if (!canComplete()) {
                return false;
            }
        }
        return forceComplete();
    }

    /** Completes now whatever the state (expiry, cancellation, shutdown). Returns false if it already was. */
    public final boolean forceComplete() {
        Purgatory<?> from;
        synchronized (this) {
            if (completed) {
                return false;
            }
            completed = true;
            onComplete();
            from = owner;
        }
        if (from != null) {
            from.forget(this);
        }
        return true;
    }

    /** Registers the purgatory that watches this operation; false if it completed meanwhile. */
    synchronized boolean watchedBy(Purgatory<?> purgatory, List<TopicIdPartition> watchedKeys, long sequence) {
        if (completed) {
            return false;
        }
        owner = purgatory;
        keys = List.copyOf(watchedKeys);
        timerSequence = sequence;
        return true;
    }

    List<TopicIdPartition> keys() {
        return keys;
    }

    long timerSequence() {
        return timerSequence;
    }
}
