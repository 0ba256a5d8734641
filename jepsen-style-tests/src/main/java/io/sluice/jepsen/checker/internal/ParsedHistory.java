package io.sluice.jepsen.checker.internal;

import io.sluice.jepsen.history.OpType;
import java.util.List;
import java.util.Map;

/**
 * A history as the checks need it: invocations paired with completions and the queue workload's
 * values decoded.
 *
 * @param entries     how many history entries there were
 * @param sends       every send by invocation order
 * @param sendByValue every send by its value
 * @param reads       every record read by ok polls, in history order
 * @param events      per-process events in history order
 * @param completions every operation's outcome (crashes excluded), in history order
 * @param finalPolls  how many ok polls were final reads
 * @param endNs       the time of the last entry, nanoseconds since the run's start
 */
public record ParsedHistory(int entries, List<Send> sends, Map<String, Send> sendByValue, List<Read> reads,
        List<ClientEvent> events, List<Completion> completions, int finalPolls, long endNs) {

    /** One operation's outcome. */
    public record Completion(String f, OpType outcome, long timeNs) {
    }
}
