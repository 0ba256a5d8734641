package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds {@link DelayedOperation}s until they can complete (Kafka's purgatory): each watches the
 * partitions it depends on, and is re-checked when one of them changes
 * ({@link #checkAndComplete}); a poll expires those whose deadline passed ({@link #poll}). Time is
 * whatever the caller passes in, so a simulation controls expiry.
 *
 * <p>An operation that completes by any path leaves every watch list and the timer at once, so a
 * busy partition's completed acks=all produces do not linger until their deadline.
 *
 * <p>Thread-safe. Operations are checked and completed outside the purgatory's lock (lock order:
 * operation, then purgatory), so completion may send answers and call into partitions.
 */
public final class Purgatory<T extends DelayedOperation> {
    private final String name;
    private final Map<TopicIdPartition, Set<T>> watchers = new HashMap<>();
    private final TreeSet<DelayedOperation> timers = new TreeSet<>(Comparator
            .comparingLong(DelayedOperation::deadlineMs).thenComparingLong(DelayedOperation::timerSequence));
    private long sequence;

    public Purgatory(String name) {
        this.name = name;
    }

    /**
     * Completes {@code op} now if it can; otherwise watches {@code keys} for it until it completes or
     * its deadline passes. Checks again after registering, so a change racing with the registration
     * is not missed.
     */
    public void tryCompleteElseWatch(T op, List<TopicIdPartition> keys) {
        if (op.tryComplete()) {
            return;
        }
        synchronized (this) {
            if (!op.watchedBy(this, keys, ++sequence)) {
                return;
            }
            for (TopicIdPartition key : keys) {
                watchers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(op);
            }
            timers.add(op);
        }
        op.tryComplete();
    }

    /** Re-checks the operations watching {@code key}; returns how many completed. */
    public int checkAndComplete(TopicIdPartition key) {
        List<T> candidates;
        synchronized (this) {
            Set<T> watching = watchers.get(key);
            if (watching == null) {
                return 0;
            }
            candidates = new ArrayList<>(watching);
        }
        int completed = 0;
        for (T op : candidates) {
            if (!op.isCompleted() && op.tryComplete()) {
                completed++;
            }
        }
        return completed;
    }

    /**
     * Completes every operation whose deadline is at or before {@code nowMs}.
     *
     * @return the earliest deadline still pending, or {@code Long.MAX_VALUE}
     */
    public long poll(long nowMs) {
        List<DelayedOperation> expired;
        synchronized (this) {
            if (timers.isEmpty() || timers.first().deadlineMs() > nowMs) {
                return timers.isEmpty() ? Long.MAX_VALUE : timers.first().deadlineMs();
            }
            expired = new ArrayList<>();
            while (!timers.isEmpty() && timers.first().deadlineMs() <= nowMs) {
                expired.add(timers.pollFirst());
            }
        }
        for (DelayedOperation op : expired) {
            op.forceComplete();
        }
        synchronized (this) {
            return timers.isEmpty() ? Long.MAX_VALUE : timers.first().deadlineMs();
        }
    }

    /** Completes everything (shutdown). */
    public void completeAll() {
        List<DelayedOperation> all;
        synchronized (this) {
            all = new ArrayList<>(timers);
        }
        all.forEach(DelayedOperation::forceComplete);
    }

    /** Operations waiting. */
    public synchronized int size() {
        return timers.size();
    }

    /** Called by an operation that completed: drops it from the watch lists and the timer. */
    synchronized void forget(DelayedOperation op) {
        timers.remove(op);
        for (TopicIdPartition key : op.keys()) {
            Set<T> watching = watchers.get(key);
            if (watching != null) {
                watching.remove(op);
                if (watching.isEmpty()) {
                    watchers.remove(key);
                }
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "Purgatory[" + name + ", waiting=" + timers.size() + ", keys=" + watchers.size() + "]";
    }
}
