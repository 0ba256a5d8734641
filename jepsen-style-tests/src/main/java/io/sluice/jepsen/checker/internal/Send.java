package io.sluice.jepsen.checker.internal;

import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.TopicPartition;

/**
 * A send and what became of it.
 *
 * @param value           the unique value sent
 * @param process         the producing process
 * @param invokeIndex     index of the invocation
 * @param completionIndex index of the completion; for one that never came, the index of the crash
 *                        that ended it or, at the end of the history, the invocation's own
 * @param outcome         OK, FAIL, or INFO (also for a send that never completed)
 * @param partition       where it was written when OK, else null
 * @param offset          its offset when OK, else -1
 * @param completionNs    when it completed, nanoseconds since the run's start
 */
public record Send(String value, int process, long invokeIndex, long completionIndex, OpType outcome,
        TopicPartition partition, long offset, long completionNs) {

    /** Whether the cluster acknowledged it. */
    public boolean isOk() {
        return outcome == OpType.OK;
    }
}
