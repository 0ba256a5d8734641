package io.sluice.jepsen.checker.internal;

import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.TopicPartition;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * What happened to one client process, in the order of the history: the per-process checks
 * (poll order, send order) replay these. Only completions that may have had an effect appear (ok
 * and info); a definite failure changed nothing.
 */
public sealed interface ClientEvent {
    /** The process this happened to. */
    int process();

    /** The index of the history entry that completed it. */
    long index();

    /** The process's client was destroyed; a fresh one continues under the same number. */
    record Crash(int process, long index) implements ClientEvent {
    }

    /** An assign took effect (ok) or may have (info). */
    record Assigned(int process, long index, OpType outcome, Set<TopicPartition> partitions,
            boolean seekToBeginning) implements ClientEvent {
    }

    /** A subscribe took effect (ok) or may have (info). */
    record Subscribed(int process, long index, OpType outcome) implements ClientEvent {
    }

    /** A seek moved (or may have moved) these partitions' positions. */
    record Sought(int process, long index, OpType outcome, Set<TopicPartition> partitions)
            implements ClientEvent {
    }

    /**
     * A poll: ok with its records per partition (in the order returned) and the partitions a
     * rebalance touched during it, or info (it may have consumed records nobody saw).
     */
    record Polled(int process, long index, OpType outcome, SortedMap<TopicPartition, List<Read>> records,
            Set<TopicPartition> rebalanced, boolean isFinal) implements ClientEvent {
    }

    /** A send completed (ok, fail or info). */
    record Sent(Send send) implements ClientEvent {
        @Override
        public int process() {
            return send.process();
        }

        @Override
        public long index() {
            return send.completionIndex();
        }
    }
}
