package io.sluice.jepsen.checker;

import io.sluice.jepsen.checker.internal.AvailabilityMeter;
import io.sluice.jepsen.checker.internal.ConsumerChecks;
import io.sluice.jepsen.checker.internal.Findings;
import io.sluice.jepsen.checker.internal.HistoryParser;
import io.sluice.jepsen.checker.internal.LogChecks;
import io.sluice.jepsen.checker.internal.ParsedHistory;
import io.sluice.jepsen.checker.internal.ProducerChecks;
import io.sluice.jepsen.checker.internal.Read;
import io.sluice.jepsen.checker.internal.Send;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.TopicPartition;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks a queue-workload history for the anomalies of {@link AnomalyKind}. Pure: reads only its
 * argument, so a recorded history can be re-checked at any time. The format and every definition
 * are in {@code docs/chaos.md}.
 */
public final class Checker {
    private Checker() {
    }

    /**
     * Checks a history.
     *
     * @param ops the entries in recorded order (indices increasing)
     * @throws HistoryFormatException if the history breaks the format
     */
    public static CheckResult check(List<Op> ops) {
        ParsedHistory history = HistoryParser.parse(ops);
        Findings findings = new Findings();
        LogChecks log = new LogChecks(history, findings);
        log.run();
        new ConsumerChecks(log::knownOffsets, findings).run(history.events());
        new ProducerChecks(findings).run(history.events());
        return new CheckResult(findings.reports(), AvailabilityMeter.measure(history), summarize(history));
    }

    private static CheckResult.Summary summarize(ParsedHistory history) {
        long ok = 0;
        long failed = 0;
        TreeSet<TopicPartition> partitions = new TreeSet<>();
        for (Send send : history.sends()) {
            if (send.isOk()) {
                ok++;
                partitions.add(send.partition());
            } else if (send.outcome() == OpType.FAIL) {
                failed++;
            }
        }
        for (Read read : history.reads()) {
            partitions.add(read.partition());
        }
        return new CheckResult.Summary(history.entries(), ok, failed, history.sends().size() - ok - failed,
                history.reads().size(), history.finalPolls(), partitions.stream().map(Object::toString).toList());
    }
}
