package io.sluice.jepsen.report;

import static io.sluice.jepsen.report.internal.Markup.escape;
import static io.sluice.jepsen.report.internal.Markup.number;
import static io.sluice.jepsen.report.internal.Markup.percent;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.checker.AnomalyReport;
import io.sluice.jepsen.checker.Availability;
import io.sluice.jepsen.checker.CheckResult;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.report.internal.Charts;
import io.sluice.jepsen.report.internal.FaultBar;
import io.sluice.jepsen.report.internal.OpPoint;
import io.sluice.jepsen.report.internal.Palette;
import io.sluice.jepsen.report.internal.TimeAxis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a chaos run's report: one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external assets; well-formed XML, so tests can parse it). Sections: verdict, run facts and the
 * replay command, the fault timeline above latency and throughput plots on one time axis,
 * anomalies with examples, availability, the faults as a table, and links to the node logs.
 * Stateless.
 */
public final class HtmlReport {
    private static final int EXAMPLES_SHOWN = 3;
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;max-width:1000px}
            h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;
            text-align:left;vertical-align:top;font-size:13px}th{background:#f4f4f4}
            pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px;margin:4px 0}
            .verdict{padding:10px 14px;font-size:16px;font-weight:600;border-radius:4px}
            .valid{background:#e6f4ea;color:#1e6b32}.invalid{background:#fde8e8;color:#9b1c1c}
            .found td{background:#fff4f4}.legend span{display:inline-block;margin-right:14px;font-size:13px}
            .swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
            svg text{font-size:11px;font-family:system-ui,sans-serif}.caption{font-size:12px;color:#555}
            """;

    private HtmlReport() {
    }

    /** Writes the report to a file, replacing it. */
    public static void write(Path file, ReportInput input) throws IOException {
        Files.writeString(file, render(input), StandardCharsets.UTF_8);
    }

    /** The report's HTML. */
    public static String render(ReportInput input) {
        List<Op> history = input.history();
        double endS = history.stream().mapToLong(Op::timeNs).max().orElse(0) / 1e9;
        TimeAxis axis = new TimeAxis(endS);
        List<FaultBar> bars = FaultBar.read(history, axis.endS());
        int[] incomplete = new int[1];
        List<OpPoint> points = OpPoint.read(history, incomplete);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Sluice chaos run, seed ")
                .append(input.run().seed()).append("</title><style>").append(CSS).append("</style></head><body>\n");
        html.append("<h1>Sluice chaos run — seed ").append(input.run().seed()).append("</h1>\n");
        verdict(html, input.result(), input.run());
        facts(html, input);
        html.append("<h2>Faults, latency and throughput</h2>\n");
        html.append(Charts.timeline(bars, FaultBar.finalHeals(history), axis));
        html.append(Charts.latency(points, bars, axis));
        latencyLegend(html, points, incomplete[0]);
        html.append(Charts.throughput(points, bars, axis));
        throughputLegend(html, points);
        anomalies(html, input.result());
        availability(html, input.result().availability());
        faultTable(html, bars);
        logs(html, input.run());
        return html.append("</body></html>\n").toString();
    }

    private static void verdict(StringBuilder html, CheckResult result, RunInfo run) {
        boolean valid = result.valid() && run.problems().isEmpty();
        String text = valid ? "Valid: the checker found no anomaly and the cluster recovered."
                : "Invalid: " + (result.valid() ? "no anomaly, but the run had problems" : result.found().stream()
                        .map(k -> k.wireName() + " (" + result.anomaly(k).count() + ")")
                        .collect(Collectors.joining(", ")));
        html.append("<p class=\"verdict ").append(valid ? "valid" : "invalid").append("\">").append(escape(text))
                .append("</p>\n");
        list(html, "Problems", run.problems());
        list(html, "Notes", run.notes());
    }

    private static void list(StringBuilder html, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        html.append("<p><strong>").append(title).append(":</strong></p><ul>\n");
        items.forEach(item -> html.append("<li>").append(escape(item)).append("</li>\n"));
        html.append("</ul>\n");
    }

    private static void facts(StringBuilder html, ReportInput input) {
        RunInfo run = input.run();
        CheckResult.Summary summary = input.result().summary();
        long nemesisEntries = input.history().stream().filter(NemesisOps::isNemesis).count();
        html.append("<table>\n");
        row(html, "seed", Long.toString(run.seed()));
        row(html, "nodes", Integer.toString(run.nodes()));
        row(html, "time limit", number(run.timeLimitMs() / 1000.0) + " s");
        row(html, "faults enabled", String.join(", ", run.faults()));
        row(html, "network", run.network());
        row(html, "history", summary.entries() + " entries (" + nemesisEntries + " of the nemesis)");
        row(html, "sends", summary.sendsOk() + " ok, " + summary.sendsFailed() + " failed, " + summary.sendsUnknown()
                + " unknown");
        row(html, "records read", summary.recordsRead() + " (" + summary.finalPolls() + " final polls)");
        row(html, "partitions", String.join(", ", summary.partitions()));
        html.append("</table>\n<p>Replay this run (same seed, same schedule):</p>\n<pre>")
                .append(escape(run.replayCommand())).append("</pre>\n");
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static void latencyLegend(StringBuilder html, List<OpPoint> points, int incomplete) {
        html.append("<p class=\"legend\">");
        for (OpType type : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
            long count = points.stream().filter(p -> p.type() == type).count();
            swatch(html, Palette.outcome(type), type.name().toLowerCase(java.util.Locale.ROOT) + " (" + count + ")");
        }
        html.append("</p>\n<p class=\"caption\">Latency of each completed operation (log scale) at its "
                + "invocation time; faults shaded behind. ");
        int drawn = Charts.thin(points).size();
        if (drawn < points.size()) {
            html.append("Showing ").append(drawn).append(" of ").append(points.size())
                    .append(" operations: every failed and unknown one (up to half the cap), ok ones thinned evenly. ");
        }
        if (incomplete > 0) {
            html.append(incomplete).append(" invocations never completed and are not drawn.");
        }
        html.append("</p>\n");
    }

    private static void throughputLegend(StringBuilder html, List<OpPoint> points) {
        html.append("<p class=\"legend\">");
        Charts.seriesColours(points).forEach((f, colour) -> swatch(html, colour, "ok " + f));
        swatch(html, "#d62728", "failed or unknown (dashed)");
        html.append("</p>\n<p class=\"caption\">Completions per second.</p>\n");
    }

    private static void swatch(StringBuilder html, String colour, String label) {
        html.append("<span><span class=\"swatch\" style=\"background:").append(colour).append("\"></span>")
                .append(escape(label)).append("</span>");
    }

    private static void anomalies(StringBuilder html, CheckResult result) {
        html.append("<h2>Anomalies</h2>\n<table><tr><th>anomaly</th><th>count</th><th>first examples</th></tr>\n");
        for (AnomalyKind kind : AnomalyKind.values()) {
            AnomalyReport report = result.anomaly(kind);
            html.append(report.count() > 0 ? "<tr class=\"found\">" : "<tr>").append("<td>")
                    .append(escape(kind.wireName())).append("</td><td>").append(report.count()).append("</td><td>");
            List<JsonNode> examples = report.examples();
            examples.stream().limit(EXAMPLES_SHOWN).forEach(e -> html.append("<pre>").append(escape(e.toString()))
                    .append("</pre>"));
            if (examples.size() > EXAMPLES_SHOWN) {
                html.append("… and more in result.json");
            }
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void availability(StringBuilder html, Availability availability) {
        html.append("<h2>Availability</h2>\n<table><tr><th>operation</th><th>ok</th><th>fail</th><th>info</th>"
                + "<th>ok share</th></tr>\n");
        for (Map.Entry<String, Availability.Outcomes> entry : availability.byF().entrySet()) {
            Availability.Outcomes o = entry.getValue();
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(o.ok())
                    .append("</td><td>").append(o.fail()).append("</td><td>").append(o.info()).append("</td><td>")
                    .append(percent(o.okShare())).append("</td></tr>\n");
        }
        html.append("</table>\n<p>Longest window without an acknowledged send: ")
                .append(number(availability.longestNoSendMs() / 1000.0)).append(" s (from ")
                .append(number(availability.noSendFromMs() / 1000.0)).append(" s to ")
                .append(number(availability.noSendToMs() / 1000.0)).append(" s).</p>\n");
    }

    private static void faultTable(StringBuilder html, List<FaultBar> bars) {
        html.append("<h2>Faults</h2>\n");
        if (bars.isEmpty()) {
            html.append("<p>No fault was injected.</p>\n");
            return;
        }
        html.append("<table><tr><th>#</th><th>fault</th><th>target</th><th>nodes</th><th>from s</th>"
                + "<th>to s</th><th>outcome</th><th>what it did</th></tr>\n");
        for (FaultBar bar : bars) {
            String outcome = bar.skipped() ? "skipped: " + bar.error() : bar.error() == null ? "ok"
                    : "failed: " + bar.error();
            html.append("<tr><td>").append(bar.id()).append("</td><td>").append(escape(bar.fault()))
                    .append("</td><td>").append(escape(bar.target())).append("</td><td>").append(bar.nodes())
                    .append("</td><td>").append(number(Math.round(bar.startS() * 10) / 10.0)).append("</td><td>")
                    .append(number(Math.round(bar.endS() * 10) / 10.0)).append("</td><td>").append(escape(outcome))
                    .append("</td><td>").append(escape(bar.detail())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void logs(StringBuilder html, RunInfo run) {
        if (run.nodeLogs().isEmpty()) {
            return;
        }
        html.append("<h2>Node logs</h2>\n<ul>\n");
        run.nodeLogs().forEach(log -> html.append("<li><a href=\"").append(escape(log)).append("\">")
                .append(escape(log)).append("</a></li>\n"));
        html.append("</ul>\n<p class=\"caption\">The history is in history.jsonl, the verdict in result.json, the "
                + "planned faults in schedule.json, the harness's own log in harness.log.</p>\n");
    }
}
