package io.sluice.jepsen.report.internal;

import static io.sluice.jepsen.report.internal.Markup.number;

import io.sluice.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's three drawings on one {@link TimeAxis}: the fault timeline (a lane per fault kind,
 * a bar per fault from start to heal, labelled with its target and nodes), the latency of every
 * completed operation (log scale, coloured by outcome, faults shaded behind), and throughput (ok
 * completions per second for each operation, and failed or unknown ones together). Stateless.
 */
public final class Charts {
    /** Most points drawn in the latency plot; beyond, ok points are thinned evenly (and the caption says so). */
    public static final int MAX_POINTS = 20_000;
    private static final int LANE = 26;
    private static final int PLOT_TOP = 12;

    private Charts() {
    }

    /** The fault timeline. */
    public static String timeline(List<FaultBar> bars, List<Double> finalHeals, TimeAxis axis) {
        Set<String> lanes = new LinkedHashSet<>();
        bars.forEach(bar -> lanes.add(bar.fault()));
        int height = PLOT_TOP + Math.max(1, lanes.size()) * LANE + 40;
        SvgCanvas canvas = new SvgCanvas(TimeAxis.WIDTH, height, "fault timeline", "timeline");
        List<String> laneList = List.copyOf(lanes);
        for (int i = 0; i < laneList.size(); i++) {
            double y = PLOT_TOP + i * LANE;
            canvas.rect(TimeAxis.LEFT, y, TimeAxis.WIDTH - TimeAxis.LEFT - TimeAxis.RIGHT, LANE - 4,
                    i % 2 == 0 ? "#f4f4f4" : "#fafafa", null, null);
            canvas.text(TimeAxis.LEFT - 8, y + 15, laneList.get(i), "end", Palette.fault(laneList.get(i)));
        }
        if (laneList.isEmpty()) {
            canvas.text(TimeAxis.LEFT + 8, PLOT_TOP + 15, "no fault was injected", "start", "#555");
        }
        for (FaultBar bar : bars) {
            double y = PLOT_TOP + laneList.indexOf(bar.fault()) * LANE + 2;
            double x = axis.x(bar.startS());
            double width = Math.max(3, axis.x(bar.endS()) - x);
            String style = bar.skipped() ? "stroke=\"#999\" stroke-dasharray=\"3,2\" fill-opacity=\"0.35\""
                    : bar.error() != null ? "stroke=\"#000\" stroke-width=\"2\" fill-opacity=\"0.85\""
                    : "fill-opacity=\"0.85\"";
            String title = bar.label() + " " + bar.fault() + ": " + number(bar.startS()) + " s to "
                    + number(bar.endS()) + " s" + (bar.error() == null ? "" : "; " + bar.error())
                    + (bar.detail().isEmpty() ? "" : "; " + bar.detail());
            canvas.rect(x, y, width, LANE - 8, bar.skipped() ? "#cccccc" : Palette.fault(bar.fault()), style, title);
            int fits = (int) ((width - 6) / 6.5);
            if (fits >= 4) {
                String label = bar.label();
                canvas.text(x + 3, y + 13, label.length() <= fits ? label : label.substring(0, fits - 1) + "…",
                        "start", bar.skipped() ? "#333" : "#fff");
            }
        }
        double bottom = PLOT_TOP + Math.max(1, laneList.size()) * LANE;
        for (double at : finalHeals) {
            canvas.line(axis.x(at), PLOT_TOP, axis.x(at), bottom, "#000", "4,3");
            canvas.text(axis.x(at) - 3, bottom - 4, "final heal", "end", "#000");
        }
        axis.draw(canvas, bottom + 2);
        return canvas.finish();
    }

    /** Latency of every completed operation, log scale. */
    public static String latency(List<OpPoint> points, List<FaultBar> bars, TimeAxis axis) {
        int plotHeight = 230;
        SvgCanvas canvas = new SvgCanvas(TimeAxis.WIDTH, PLOT_TOP + plotHeight + 36, "latency", "latency");
        shadeFaults(canvas, bars, axis, plotHeight);
        double min = points.stream().mapToDouble(OpPoint::latencyMs).filter(l -> l > 0).min().orElse(1);
        double max = points.stream().mapToDouble(OpPoint::latencyMs).max().orElse(10);
        double low = Math.floor(Math.log10(Math.max(min, 0.01)));
        double high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(max, 0.01))));
        for (double decade = low; decade <= high; decade++) {
            double y = PLOT_TOP + plotHeight - (decade - low) / (high - low) * plotHeight;
            canvas.line(TimeAxis.LEFT, y, TimeAxis.WIDTH - TimeAxis.RIGHT, y, "#e0e0e0", null);
            canvas.text(TimeAxis.LEFT - 6, y + 4, number(Math.pow(10, decade)) + " ms", "end", "#333");
        }
        for (OpPoint point : thin(points)) {
            double log = Math.log10(Math.max(point.latencyMs(), Math.pow(10, low)));
            double y = PLOT_TOP + plotHeight - (log - low) / (high - low) * plotHeight;
            canvas.rect(axis.x(point.invokeS()) - 1, y - 1, 2.2, 2.2, Palette.outcome(point.type()), null, null);
        }
        axis.draw(canvas, PLOT_TOP + plotHeight);
        return canvas.finish();
    }

    /** Which points the latency plot draws: every fail and info, ok points thinned evenly past the cap. */
    public static List<OpPoint> thin(List<OpPoint> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        List<OpPoint> drawn = new ArrayList<>();
        points.stream().filter(p -> p.type() != OpType.OK).limit(MAX_POINTS / 2).forEach(drawn::add);
        List<OpPoint> ok = points.stream().filter(p -> p.type() == OpType.OK).toList();
        double stride = (double) ok.size() / (MAX_POINTS - drawn.size());
        for (double i = 0; i < ok.size(); i += Math.max(1, stride)) {
            drawn.add(ok.get((int) i));
        }
        return drawn;
    }

    /** Ok completions per second for each operation; failed and unknown ones together, dashed. */
    public static String throughput(List<OpPoint> points, List<FaultBar> bars, TimeAxis axis) {
        int plotHeight = 180;
        SvgCanvas canvas = new SvgCanvas(TimeAxis.WIDTH, PLOT_TOP + plotHeight + 36, "throughput", "throughput");
        shadeFaults(canvas, bars, axis, plotHeight);
        double bucketS = Math.max(1, Math.ceil(axis.endS() / 600));
        int buckets = (int) Math.ceil(axis.endS() / bucketS) + 1;
        Map<String, double[]> okRates = new LinkedHashMap<>();
        double[] notOk = new double[buckets];
        for (String f : new TreeSet<>(points.stream().map(OpPoint::f).toList())) {
            okRates.put(f, new double[buckets]);
        }
        for (OpPoint point : points) {
            int bucket = Math.min(buckets - 1, (int) (point.completeS() / bucketS));
            double[] series = point.type() == OpType.OK ? okRates.get(point.f()) : notOk;
            series[bucket] += 1 / bucketS;
        }
        double max = 1;
        for (double[] rates : okRates.values()) {
            for (double rate : rates) {
                max = Math.max(max, rate);
            }
        }
        for (double rate : notOk) {
            max = Math.max(max, rate);
        }
        double step = TimeAxis.niceStep(max, 5);
        double top = Math.ceil(max / step) * step;
        for (double v = 0; v <= top + 1e-9; v += step) {
            double y = PLOT_TOP + plotHeight - v / top * plotHeight;
            canvas.line(TimeAxis.LEFT, y, TimeAxis.WIDTH - TimeAxis.RIGHT, y, "#e0e0e0", null);
            canvas.text(TimeAxis.LEFT - 6, y + 4, number(v) + " /s", "end", "#333");
        }
        int index = 0;
        for (Map.Entry<String, double[]> series : okRates.entrySet()) {
            canvas.polyline(line(series.getValue(), bucketS, top, plotHeight, axis), Palette.series(index++),
                    null, "ok " + series.getKey() + " per second");
        }
        canvas.polyline(line(notOk, bucketS, top, plotHeight, axis), "#d62728", "4,3",
                "failed or unknown operations per second");
        axis.draw(canvas, PLOT_TOP + plotHeight);
        return canvas.finish();
    }

    /** The operation names in the throughput plot's order, with their colours. */
    public static Map<String, String> seriesColours(List<OpPoint> points) {
        Map<String, String> colours = new LinkedHashMap<>();
        int index = 0;
        for (String f : new TreeSet<>(points.stream().map(OpPoint::f).toList())) {
            colours.put(f, Palette.series(index++));
        }
        return colours;
    }

    private static List<double[]> line(double[] rates, double bucketS, double top, int plotHeight, TimeAxis axis) {
        List<double[]> line = new ArrayList<>();
        for (int i = 0; i < rates.length; i++) {
            line.add(new double[] {axis.x((i + 0.5) * bucketS), PLOT_TOP + plotHeight - rates[i] / top * plotHeight});
        }
        return line;
    }

    private static void shadeFaults(SvgCanvas canvas, List<FaultBar> bars, TimeAxis axis, int plotHeight) {
        for (FaultBar bar : bars) {
            if (!bar.skipped()) {
                double x = axis.x(bar.startS());
                canvas.rect(x, PLOT_TOP, Math.max(1, axis.x(bar.endS()) - x), plotHeight, Palette.fault(bar.fault()),
                        "fill-opacity=\"0.10\"", bar.label() + " " + bar.fault());
            }
        }
    }
}
