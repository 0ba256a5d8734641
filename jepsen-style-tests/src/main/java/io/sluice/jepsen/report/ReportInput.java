package io.sluice.jepsen.report;

import io.sluice.jepsen.checker.CheckResult;
import io.sluice.jepsen.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * Everything a report shows. Immutable.
 *
 * @param run     the run's facts
 * @param history every entry of the history, nemesis entries included
 * @param result  the checker's verdict on it
 */
public record ReportInput(RunInfo run, List<Op> history, CheckResult result) {
    public ReportInput {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(result, "result");
        history = List.copyOf(history);
    }
}
