package io.sluice.jepsen.report.internal;

import static io.sluice.jepsen.report.internal.Markup.coordinate;
import static io.sluice.jepsen.report.internal.Markup.escape;

import java.util.List;

/** Writes one inline SVG element, shape by shape. Not thread-safe; one drawing per instance. */
public final class SvgCanvas {
    private final StringBuilder svg = new StringBuilder();

    /** Starts a drawing of the given size; {@code label} becomes its accessible name. */
    public SvgCanvas(int width, int height, String label, String cssClass) {
        svg.append("<svg class=\"").append(escape(cssClass)).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">\n");
    }

    /** A rectangle; {@code title} (may be null) shows on hover; {@code style} is extra attributes. */
    public SvgCanvas rect(double x, double y, double width, double height, String fill, String style, String title) {
        svg.append("<rect x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" width=\"").append(coordinate(width)).append("\" height=\"").append(coordinate(height))
                .append("\" fill=\"").append(fill).append('"');
        if (style != null) {
            svg.append(' ').append(style);
        }
        if (title == null) {
            svg.append("/>\n");
        } else {
            svg.append("><title>").append(escape(title)).append("</title></rect>\n");
        }
        return this;
    }

    /** A line; {@code dash} (may be null) is a stroke-dasharray. */
    public SvgCanvas line(double x1, double y1, double x2, double y2, String stroke, String dash) {
        svg.append("<line x1=\"").append(coordinate(x1)).append("\" y1=\"").append(coordinate(y1))
                .append("\" x2=\"").append(coordinate(x2)).append("\" y2=\"").append(coordinate(y2))
                .append("\" stroke=\"").append(stroke).append('"');
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append("/>\n");
        return this;
    }

    /** Text; {@code anchor} is start, middle or end. */
    public SvgCanvas text(double x, double y, String text, String anchor, String fill) {
        svg.append("<text x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" text-anchor=\"").append(anchor).append("\" fill=\"").append(fill).append("\">")
                .append(escape(text)).append("</text>\n");
        return this;
    }

    /** A polyline through the points ({@code {x, y}} pairs); {@code dash} may be null. */
    public SvgCanvas polyline(List<double[]> points, String stroke, String dash, String title) {
        svg.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"1.5\"");
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append(" points=\"");
        for (double[] point : points) {
            svg.append(coordinate(point[0])).append(',').append(coordinate(point[1])).append(' ');
        }
        svg.append("\"><title>").append(escape(title)).append("</title></polyline>\n");
        return this;
    }

    /** Ends the drawing and returns its markup. */
    public String finish() {
        return svg.append("</svg>\n").toString();
    }
}
