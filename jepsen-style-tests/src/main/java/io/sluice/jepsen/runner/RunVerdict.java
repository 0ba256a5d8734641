package io.sluice.jepsen.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.CheckResult;
import io.sluice.jepsen.checker.Checker;
import io.sluice.jepsen.checker.HistoryFormatException;
import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.report.HtmlReport;
import io.sluice.jepsen.report.ReportInput;
import io.sluice.jepsen.report.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The end of a run: checks the recorded history with the {@link Checker}, writes
 * {@code result.json} (the checker's result plus a {@code run} section: seed, command, network,
 * notes, problems, the overall verdict) and {@code report.html}, deletes the nodes' data after a
 * valid run unless asked to keep it, and prints the verdict with the report's path last. Used once.
 */
final class RunVerdict {
    private final ChaosOptions options;
    private final ChaosRunner.Environment environment;
    private final Path dir;
    private final RunLog log;

    RunVerdict(ChaosOptions options, ChaosRunner.Environment environment, Path dir, RunLog log) {
        this.options = options;
        this.environment = environment;
        this.dir = dir;
        this.log = log;
    }

    ChaosRunner.Outcome conclude(String network, List<String> notes, List<String> problems, boolean setupFailed,
            List<String> nodeLogs) throws IOException {
        Path historyFile = dir.resolve("history.jsonl");
        if (!Files.exists(historyFile)) {
            problems.forEach(p -> environment.err().println("sluice chaos: " + p));
            environment.err().println("sluice chaos: no history was recorded; node logs and harness.log are in " + dir);
            return new ChaosRunner.Outcome(ChaosRunner.SETUP_FAILED, dir, null);
        }
        List<Op> ops;
        CheckResult result;
        try {
            ops = HistoryLog.read(historyFile);
            result = Checker.check(ops);
        } catch (IOException | UncheckedIOException | HistoryFormatException | IllegalArgumentException e) {
            environment.err().println("sluice chaos: the history in " + historyFile + " cannot be checked: "
                    + e.getMessage());
            return new ChaosRunner.Outcome(ChaosRunner.SETUP_FAILED, dir, null);
        }
        boolean valid = result.valid() && problems.isEmpty() && !setupFailed;
        int exitCode = setupFailed ? ChaosRunner.SETUP_FAILED : valid ? ChaosRunner.VALID : ChaosRunner.INVALID;
        ObjectNode json = result.toJson();
        json.set("run", runJson(network, notes, problems, valid, exitCode));
        Files.writeString(dir.resolve("result.json"), json.toPrettyString() + "\n", StandardCharsets.UTF_8);
        Path report = dir.resolve("report.html");
        HtmlReport.write(report, new ReportInput(new RunInfo(options.seed(), options.replayCommand(), options.nodes(),
                options.timeLimitMs(), options.faults().stream().map(FaultKind::wireName).toList(), network, notes,
                problems, nodeLogs), ops, result));
        if (valid && !options.keepData()) {
            deleteNodeData();
        }
        printVerdict(result, problems, valid);
        environment.out().println("report: " + report);
        return new ChaosRunner.Outcome(exitCode, dir, report);
    }

    private ObjectNode runJson(String network, List<String> notes, List<String> problems, boolean valid,
            int exitCode) {
        ObjectNode run = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        run.put("seed", options.seed());
        run.put("command", options.replayCommand());
        run.put("nodes", options.nodes());
        run.put("timeLimitMs", options.timeLimitMs());
        ArrayNode faults = run.putArray("faults");
        options.faults().forEach(f -> faults.add(f.wireName()));
        run.put("network", network);
        notes.forEach(run.putArray("notes")::add);
        problems.forEach(run.putArray("problems")::add);
        run.put("valid", valid);
        run.put("exitCode", exitCode);
        return run;
    }

    private void printVerdict(CheckResult result, List<String> problems, boolean valid) {
        if (result.valid()) {
            log.accept("checker: no anomaly (" + result.summary().sendsOk() + " sends acknowledged, "
                    + result.summary().recordsRead() + " records read)");
        } else {
            StringBuilder found = new StringBuilder("checker: ANOMALIES");
            result.found().forEach(k -> found.append(' ').append(k.wireName()).append(" (")
                    .append(result.anomaly(k).count()).append(')'));
            log.accept(found.toString());
        }
        problems.forEach(p -> log.accept("problem: " + p));
        log.accept(valid ? "verdict: valid" : "verdict: INVALID");
        log.accept("replay with: " + options.replayCommand());
    }

    private void deleteNodeData() throws IOException {
        for (int id = 1; id <= options.nodes(); id++) {
            Path data = dir.resolve("n" + id).resolve("data");
            if (!Files.exists(data)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(data)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        log.accept("node data deleted (a valid run); --keep-data keeps it");
    }
}
