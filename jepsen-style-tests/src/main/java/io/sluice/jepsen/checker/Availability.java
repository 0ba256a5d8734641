package io.sluice.jepsen.checker;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How available the cluster was to clients: the outcomes of completed operations per {@code f},
 * and the longest stretch of the run in which no send succeeded.
 *
 * @param byF              outcomes per operation name (crash events are not operations)
 * @param longestNoSendMs  the longest window without an ok send, from the run's start (time 0) to
 *                         its last entry, in milliseconds
 * @param noSendFromMs     where that window starts, in milliseconds since the run's start
 * @param noSendToMs       where it ends
 */
public record Availability(SortedMap<String, Outcomes> byF, long longestNoSendMs, long noSendFromMs,
        long noSendToMs) {

    public Availability {
        byF = Collections.unmodifiableSortedMap(new TreeMap<>(byF));
    }

    /**
     * Completions of one kind of operation. An invocation that never completed (the history ended
     * or the client crashed first) counts as info.
     */
    public record Outcomes(long ok, long fail, long info) {
        /** The share of completions that were ok, from 0 to 1; 0 when there were none. */
        public double okShare() {
            long total = ok + fail + info;
            return total == 0 ? 0 : (double) ok / total;
        }
    }
}
