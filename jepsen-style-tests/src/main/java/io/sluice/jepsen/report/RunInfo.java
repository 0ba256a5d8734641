package io.sluice.jepsen.report;

import java.util.List;

/**
 * What the report says about the run besides its history and verdict. Immutable.
 *
 * @param seed          the schedule's seed
 * @param replayCommand the command that replays the run
 * @param nodes         cluster size
 * @param timeLimitMs   length of the fault phase
 * @param faults        the enabled fault kinds' names
 * @param network       how the nodes were placed on the network
 * @param notes         things the reader should know (faults skipped on this machine, ...)
 * @param problems      what went wrong besides anomalies (nodes that did not recover, failed steps)
 * @param nodeLogs      paths of the node logs, relative to the report
 */
public record RunInfo(long seed, String replayCommand, int nodes, long timeLimitMs, List<String> faults,
        String network, List<String> notes, List<String> problems, List<String> nodeLogs) {
    public RunInfo {
        faults = List.copyOf(faults);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
        nodeLogs = List.copyOf(nodeLogs);
    }
}
