package io.sluice.client.producer.internal;

import io.sluice.client.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The sender's per-partition ordering state: how many batches of each partition are in flight,
 * which sequence number comes next, and which stamped batches are still unresolved (sent, no
 * definitive answer yet), in send order. It enforces the rules that keep a partition's batches in
 * send order across retries:
 * <ul>
 *   <li>at most {@code maxInFlightPerPartition} batches of a partition are in flight;</li>
 *   <li>a batch that was sent before (a retry) goes only when nothing else of its partition is in
 *       flight, and retries sit at the front of the deque in send order, so they go out again in
 *       their original order before any newer batch;</li>
 *   <li>with idempotence, a batch gets its sequence number at its first send, in send order, and
 *       keeps it for every retry, so the broker can drop a duplicate of an append whose answer was
 *       lost;</li>
 *   <li>with idempotence, a new batch is stamped only while fewer than
 *       {@code maxInFlightPerPartition} (at most 5) batches were stamped since the oldest
 *       unresolved one. The broker remembers the last 5 batches per producer and partition, so a
 *       retry of any unresolved batch is still recognised as a duplicate however many of the
 *       batches behind it were acknowledged meanwhile (answers on a stream may come out of
 *       order).</li>
 * </ul>
 * Not thread-safe: the sender thread owns it.
 */
final class SequenceTracker {
    private static final class PartitionState {
        int nextSequence;
        int inFlight;
        final LinkedHashSet<ProducerBatch> unresolved = new LinkedHashSet<>();
        /** Batches stamped since the oldest unresolved one, in stamping order (resolved ones included). */
        final ArrayDeque<ProducerBatch> window = new ArrayDeque<>();
    }

    private final boolean idempotent;
    private final int maxInFlightPerPartition;
    private final Map<TopicPartition, PartitionState> states = new HashMap<>();
    private long nextSendOrder;

    SequenceTracker(boolean idempotent, int maxInFlightPerPartition) {
        this.idempotent = idempotent;
        this.maxInFlightPerPartition = maxInFlightPerPartition;
    }

    private PartitionState state(TopicPartition tp) {
        return states.computeIfAbsent(tp, k -> new PartitionState());
    }

    /**
     * Whether {@code batch}, the first queued batch of its partition, may be sent now.
     *
     * @param freshAllowed whether never-sent batches may go (false without a producer id, or while
     *                     an epoch bump waits)
     * @param holdRefused  whether stamped batches the broker certainly refused must wait (an epoch
     *                     bump will give them new sequence numbers)
     */
    boolean canSend(ProducerBatch batch, boolean freshAllowed, boolean holdRefused) {
        PartitionState s = state(batch.topicPartition());
        if (s.inFlight >= maxInFlightPerPartition) {
            return false;
        }
        if (batch.sendOrder >= 0) {
            if (holdRefused && batch.hasSequence() && !batch.possiblyAppended) {
                return false;
            }
            return s.inFlight == 0 && (batch.hasSequence() || freshAllowed);
        }
        return freshAllowed && (!idempotent || s.window.size() < maxInFlightPerPartition);
    }

    /** Records that {@code batch} is being sent; stamps it at its first idempotent send. */
    void onSend(ProducerBatch batch, long producerId, short epoch) {
        PartitionState s = state(batch.topicPartition());
        if (batch.sendOrder < 0) {
            batch.sendOrder = nextSendOrder++;
        }
        if (idempotent && !batch.hasSequence()) {
            batch.stamp(producerId, epoch, s.nextSequence);
            s.nextSequence = advance(s.nextSequence, batch.recordCount());
            s.unresolved.add(batch);
            s.window.addLast(batch);
        }
        s.inFlight++;
        batch.inFlight = true;
        batch.attempts++;
    }

    private static int advance(int sequence, int records) {
        long next = (long) sequence + records;
        return (int) (next > Integer.MAX_VALUE ? next - Integer.MAX_VALUE - 1 : next);
    }

    /** Records that an attempt of {@code batch} got its outcome. */
    void onAttemptDone(ProducerBatch batch) {
        if (batch.inFlight) {
            batch.inFlight = false;
            state(batch.topicPartition()).inFlight--;
        }
    }

    /** Records that {@code batch} completed for good (acknowledged or failed). */
    void onResolved(ProducerBatch batch) {
        PartitionState s = state(batch.topicPartition());
        s.unresolved.remove(batch);
        while (!s.window.isEmpty() && !s.unresolved.contains(s.window.peekFirst())) {
            s.window.pollFirst();
        }
    }

    /** Whether no earlier stamped batch of the partition is still unresolved. */
    boolean isFirstUnresolved(ProducerBatch batch) {
        LinkedHashSet<ProducerBatch> unresolved = state(batch.topicPartition()).unresolved;
        return unresolved.isEmpty() || unresolved.iterator().next() == batch;
    }

    /** Batches in flight, all partitions. */
    int inFlight() {
        int n = 0;
        for (PartitionState s : states.values()) {
            n += s.inFlight;
        }
        return n;
    }

    /**
     * Whether an epoch bump may happen now: nothing in flight and no queued stamped batch whose
     * outcome is unknown (those must be resolved under the old epoch first).
     */
    boolean readyForEpochBump(List<ProducerBatch> queued) {
        if (inFlight() > 0) {
            return false;
        }
        settleRefusals();
        for (ProducerBatch b : queued) {
            if (b.hasSequence() && b.possiblyAppended) {
                return false;
            }
        }
        return true;
    }

    /**
     * Within a partition and epoch the broker appends in sequence order, so once a batch is certainly
     * not in the log (every attempt refused), no later batch of that partition can be either: their
     * unknown outcomes are settled as refused. Only batches not in flight are considered.
     */
    void settleRefusals() {
        for (PartitionState s : states.values()) {
            boolean refusedSeen = false;
            for (ProducerBatch b : s.unresolved) {
                if (b.inFlight) {
                    continue;
                }
                if (refusedSeen) {
                    b.possiblyAppended = false;
                } else if (!b.possiblyAppended) {
                    refusedSeen = true;
                }
            }
        }
    }

    /** After an epoch bump: every partition starts at sequence 0, queued batches lose their stamps. */
    void resetSequences(List<ProducerBatch> queued) {
        for (PartitionState s : states.values()) {
            s.nextSequence = 0;
            s.unresolved.clear();
            s.window.clear();
        }
        for (ProducerBatch b : queued) {
            b.clearStamp();
        }
    }

    /** The next sequence number of {@code tp} (for tests and diagnostics). */
    int nextSequence(TopicPartition tp) {
        return state(tp).nextSequence;
    }
}
