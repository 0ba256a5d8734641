package io.sluice.jepsen.report.internal;

import static io.sluice.jepsen.report.internal.Markup.number;

/**
 * The horizontal layout every plot shares, so that a fault's bar sits straight above the
 * latencies and throughput it caused: seconds 0 to {@code endS} over the plot's width. Immutable.
 */
public record TimeAxis(double endS) {
    /** Total width of every drawing. */
    public static final int WIDTH = 960;
    /** Left margin (lane labels, y-axis labels). */
    public static final int LEFT = 110;
    /** Right margin. */
    public static final int RIGHT = 20;

    public TimeAxis {
        endS = Math.max(endS, 1);
    }

    /** The x coordinate of a time. */
    public double x(double seconds) {
        return LEFT + Math.max(0, Math.min(seconds, endS)) / endS * (WIDTH - LEFT - RIGHT);
    }

    /** Draws the time axis with ticks and labels along {@code y}. */
    public void draw(SvgCanvas canvas, double y) {
        canvas.line(LEFT, y, WIDTH - RIGHT, y, "#333", null);
        double step = niceStep(endS, 10);
        for (double t = 0; t <= endS + 1e-9; t += step) {
            canvas.line(x(t), y, x(t), y + 4, "#333", null);
            canvas.text(x(t), y + 16, number(t), "middle", "#333");
        }
        canvas.text(WIDTH - RIGHT, y + 28, "seconds since the run's start", "end", "#555");
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most {@code maxTicks} ticks over {@code span}. */
    public static double niceStep(double span, int maxTicks) {
        double raw = span / maxTicks;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }
}
