package losssurface.viz;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * Lines against a shared x axis: the first series on the left axis, an optional second series
 * on a right axis. Non-finite values break the line. A dashed line marks x = 0 when asked.
 */
final class LinePlot {

    static final Color FIRST = new Color(0x1f, 0x77, 0xb4);
    static final Color SECOND = new Color(0xff, 0x7f, 0x0e);

    private LinePlot() {
    }

    /** A named series. */
    record Series(String name, double[] values, boolean log) {
    }

    static void draw(Canvas c, double[] xs, String xLabel, Series left, Series right, boolean markZero,
                     double x, double y, double width, double height) {
        double x0 = xs[0];
        double x1 = xs[xs.length - 1];
        xGrid(c, xs, x, y, width, height);
        if (markZero && x0 < 0 && x1 > 0) {
            c.g.setColor(new Color(0x99, 0x99, 0x99));
            c.g.setStroke(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
                    new float[] {5f, 4f}, 0f));
            double px = ContourPlot.px(0, x0, x1, x, width);
            c.g.drawLine((int) px, (int) y, (int) px, (int) (y + height));
            c.g.setFont(Canvas.font(12, false));
            c.text("\u03b8*", px + 4, y + 4, 0, 0);
        }
        axis(c, xs, List.of(left), List.of(FIRST), left.name(), x, y, width, height, true);
        if (right != null) {
            axis(c, xs, List.of(right), List.of(SECOND), right.name(), x, y, width, height, false);
        }
        frame(c, xs, xLabel, x, y, width, height);
    }

    /**
     * Several series on one shared y axis (e.g. the loss along two paths), each in its own colour,
     * with a legend in one row above the frame.
     */
    static void drawShared(Canvas c, double[] xs, String xLabel, String yLabel, List<Series> series, List<Color> colors,
                           double x, double y, double width, double height) {
        xGrid(c, xs, x, y, width, height);
        axis(c, xs, series, colors, yLabel, x, y, width, height, true);
        frame(c, xs, xLabel, x, y, width, height);
        c.g.setFont(Canvas.font(12, true));
        double lx = x;
        for (int k = 0; k < series.size(); k++) {
            double ly = y - 12;
            c.g.setColor(colors.get(k % colors.size()));
            c.stroke(3f);
            c.g.drawLine((int) lx, (int) ly, (int) lx + 24, (int) ly);
            c.g.setColor(Canvas.INK);
            c.text(series.get(k).name(), lx + 30, ly, 0, 0.5);
            lx += 30 + c.g.getFontMetrics().stringWidth(series.get(k).name()) + 24;
        }
    }

    /** The vertical grid lines at the x ticks. */
    private static void xGrid(Canvas c, double[] xs, double x, double y, double width, double height) {
        double x0 = xs[0];
        double x1 = xs[xs.length - 1];
        c.g.setColor(Canvas.GRID);
        c.stroke(0.8f);
        for (double v : Ticks.of(x0, x1, 8)) {
            double px = ContourPlot.px(v, x0, x1, x, width);
            c.g.drawLine((int) px, (int) y, (int) px, (int) (y + height));
        }
    }

    /** The frame, the x ticks and their labels, and the x axis's label. */
    private static void frame(Canvas c, double[] xs, String xLabel, double x, double y, double width, double height) {
        double x0 = xs[0];
        double x1 = xs[xs.length - 1];
        c.g.setColor(Canvas.INK);
        c.stroke(1.2f);
        c.g.drawRect((int) x, (int) y, (int) width, (int) height);
        c.g.setFont(Canvas.font(12, false));
        for (double v : Ticks.of(x0, x1, 8)) {
            double px = ContourPlot.px(v, x0, x1, x, width);
            c.g.drawLine((int) px, (int) (y + height), (int) px, (int) (y + height + 5));
            c.text(Ticks.label(v), px, y + height + 7, 0.5, 0);
        }
        c.g.setFont(Canvas.font(13, false));
        c.text(xLabel, x + width / 2, y + height + 28, 0.5, 0);
    }

    /**
     * Draws {@code series} against one y scale (logarithmic when every series asks for it), their
     * colours in turn, and that scale's ticks and label on the left or right side.
     */
    private static void axis(Canvas c, double[] xs, List<Series> series, List<Color> colors, String label, double x, double y,
                             double width, double height, boolean leftSide) {
        boolean log = series.stream().allMatch(Series::log);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return;
        }
        if (hi == lo) {
            hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
            lo = lo - (hi - lo);
        }
        ColorScale scale = new ColorScale(log ? lo : lo - 0.04 * (hi - lo), log ? hi : hi + 0.04 * (hi - lo), log);
        double x0 = xs[0];
        double x1 = xs[xs.length - 1];
        for (int k = 0; k < series.size(); k++) {
            Path2D path = new Path2D.Double();
            boolean pen = false;
            double[] values = series.get(k).values();
            for (int i = 0; i < xs.length; i++) {
                double t = scale.position(values[i]);
                if (Double.isNaN(t)) {
                    pen = false;
                    continue;
                }
                double px = ContourPlot.px(xs[i], x0, x1, x, width);
                double py = y + (1 - t) * height;
                if (pen) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    pen = true;
                }
            }
            c.g.setColor(colors.get(k % colors.size()));
            c.stroke(series.size() > 1 ? 2.4f : 2.2f);
            c.g.draw(path);
        }
        // a single series' ticks are in its colour; shared ones in ink
        c.g.setColor(series.size() == 1 ? colors.get(0) : Canvas.INK);
        c.g.setFont(Canvas.font(12, false));
        List<Double> ticks = log ? Ticks.log(scale.min(), scale.max()) : Ticks.of(scale.min(), scale.max(), 6);
        for (double v : ticks) {
            double py = y + (1 - scale.position(v)) * height;
            double ax = leftSide ? x : x + width;
            c.g.drawLine((int) (leftSide ? ax - 5 : ax), (int) py, (int) (leftSide ? ax : ax + 5), (int) py);
            c.text(Ticks.label(v), leftSide ? ax - 8 : ax + 8, py, leftSide ? 1 : 0, 0.5);
        }
        c.g.setFont(Canvas.font(13, true));
        if (leftSide) {
            c.verticalText(label + (log ? " (log)" : ""), x - 58, y + height / 2);
        } else {
            c.verticalText(label, x + width + 58, y + height / 2);
        }
        c.g.setColor(Canvas.INK);
    }
}
