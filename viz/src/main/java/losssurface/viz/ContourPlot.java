package losssurface.viz;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * A filled contour map: colour bands between levels, iso-lines with value labels, theta* marked
 * at the origin, the trajectory drawn over it, gaps where values are not finite, framed axes
 * with ticks and labels.
 */
final class ContourPlot {

    private ContourPlot() {
    }

    /** Draws {@code plane} into the rectangle (left, top, width, height) of {@code c}. */
    static void draw(Canvas c, Plane plane, ColorScale scale, double[] levels, double left, double top, double width, double height) {
        double[] xs = plane.xs();
        double[] ys = plane.ys();
        double x0 = xs[0];
        double x1 = xs[xs.length - 1];
        double y0 = ys[0];
        double y1 = ys[ys.length - 1];
        // filled bands, pixel by pixel from the bilinear surface
        int w = (int) width;
        int h = (int) height;
        for (int py = 0; py < h; py++) {
            double y = y1 - (y1 - y0) * (py + 0.5) / h;
            for (int px = 0; px < w; px++) {
                double x = x0 + (x1 - x0) * (px + 0.5) / w;
                double t = scale.position(plane.at(x, y));
                int rgb = Double.isNaN(t) ? gap(px, py) : ColorScale.viridis(Canvas.band(scale, t, levels)).getRGB();
                c.image.setRGB((int) left + px, (int) top + py, rgb);
            }
        }
        // iso-lines and their labels
        c.g.setClip((int) left, (int) top, w, h);
        for (int k = 0; k < levels.length; k++) {
            List<Contours.Segment> segments = Contours.at(xs, ys, plane.values(), levels[k]);
            c.g.setColor(new Color(0, 0, 0, 110));
            c.stroke(0.9f);
            Path2D path = new Path2D.Double();
            for (Contours.Segment s : segments) {
                path.moveTo(px(s.x1(), x0, x1, left, width), py(s.y1(), y0, y1, top, height));
                path.lineTo(px(s.x2(), x0, x1, left, width), py(s.y2(), y0, y1, top, height));
            }
            c.g.draw(path);
            if (levels.length <= 12 || k % 2 == 0) {
                label(c, segments, Ticks.label(levels[k]), x0, x1, y0, y1, left, top, width, height, k);
            }
        }
        // trajectory
        List<double[]> path = plane.trajectory();
        if (!path.isEmpty()) {
            Path2D line = new Path2D.Double();
            for (int k = 0; k < path.size(); k++) {
                double px = px(path.get(k)[0], x0, x1, left, width);
                double py = py(path.get(k)[1], y0, y1, top, height);
                if (k == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
            }
            c.g.setColor(Color.WHITE);
            c.stroke(4f);
            c.g.draw(line);
            c.g.setColor(new Color(0xd6, 0x27, 0x28));
            c.stroke(2f);
            c.g.draw(line);
            for (double[] p : path) {
                double px = px(p[0], x0, x1, left, width);
                double py = py(p[1], y0, y1, top, height);
                c.g.fillOval((int) px - 3, (int) py - 3, 7, 7);
            }
            double[] start = path.get(0);
            c.g.setFont(Canvas.font(12, true));
            c.boxedText("start", px(start[0], x0, x1, left, width), py(start[1], y0, y1, top, height) - 12);
        }
        // marked points (a return surface's cliffs): a white-rimmed dark cross each, and a legend
        if (!plane.marks().isEmpty()) {
            for (double[] p : plane.marks()) {
                double px = px(p[0], x0, x1, left, width);
                double py = py(p[1], y0, y1, top, height);
                double r = Math.max(2.5, Math.min(5, 0.35 * width / xs.length));
                for (int pass = 0; pass < 2; pass++) {
                    c.g.setColor(pass == 0 ? Color.WHITE : new Color(0xc0, 0x10, 0x10));
                    c.stroke(pass == 0 ? 3.2f : 1.6f);
                    c.g.draw(new java.awt.geom.Line2D.Double(px - r, py - r, px + r, py + r));
                    c.g.draw(new java.awt.geom.Line2D.Double(px - r, py + r, px + r, py - r));
                }
            }
            c.g.setFont(Canvas.font(12, true));
            c.boxedText("\u00d7 cliff edge (" + plane.marks().size() + " points)", left + 90, top + height - 14);
        }
        // theta*
        if (0 >= x0 && 0 <= x1 && 0 >= y0 && 0 <= y1) {
            double cx = px(0, x0, x1, left, width);
            double cy = py(0, y0, y1, top, height);
            star(c, cx, cy);
            c.g.setFont(Canvas.font(13, true));
            c.g.setColor(Color.WHITE);
            c.text("\u03b8*", cx + 9, cy - 9, 0, 1);
        }
        c.g.setClip(null);
        frame(c, plane, x0, x1, y0, y1, left, top, width, height);
    }

    /** Axes frame, ticks and labels for a rectangle showing [x0, x1] x [y0, y1]. */
    static void frame(Canvas c, Plane plane, double x0, double x1, double y0, double y1,
                      double left, double top, double width, double height) {
        c.g.setColor(Canvas.INK);
        c.stroke(1.2f);
        c.g.drawRect((int) left, (int) top, (int) width, (int) height);
        c.g.setFont(Canvas.font(12, false));
        for (double v : Ticks.of(x0, x1, 6)) {
            double px = px(v, x0, x1, left, width);
            c.g.drawLine((int) px, (int) (top + height), (int) px, (int) (top + height + 5));
            c.text(Ticks.label(v), px, top + height + 7, 0.5, 0);
        }
        for (double v : Ticks.of(y0, y1, 6)) {
            double py = py(v, y0, y1, top, height);
            c.g.drawLine((int) left - 5, (int) py, (int) left, (int) py);
            c.text(Ticks.label(v), left - 8, py, 1, 0.5);
        }
        c.g.setFont(Canvas.font(13, false));
        c.text(plane.xLabel(), left + width / 2, top + height + 28, 0.5, 0);
        c.verticalText(plane.yLabel(), left - 52, top + height / 2);
    }

    private static void label(Canvas c, List<Contours.Segment> segments, String text, double x0, double x1, double y0, double y1,
                              double left, double top, double width, double height, int k) {
        if (segments.isEmpty()) {
            return;
        }
        // a segment away from the border, spread along the list so labels of neighbouring levels do not stack
        int n = segments.size();
        for (int attempt = 0; attempt < n; attempt++) {
            Contours.Segment s = segments.get((n * (k % 5 + 1) / 6 + attempt) % n);
            double px = px((s.x1() + s.x2()) / 2, x0, x1, left, width);
            double py = py((s.y1() + s.y2()) / 2, y0, y1, top, height);
            if (px > left + 25 && px < left + width - 25 && py > top + 12 && py < top + height - 12) {
                c.g.setFont(Canvas.font(11, false));
                c.g.setColor(Canvas.INK);
                c.boxedText(text, px, py);
                return;
            }
        }
    }

    private static void star(Canvas c, double cx, double cy) {
        Path2D star = new Path2D.Double();
        for (int k = 0; k < 10; k++) {
            double r = k % 2 == 0 ? 9 : 4;
            double a = -Math.PI / 2 + k * Math.PI / 5;
            double x = cx + r * Math.cos(a);
            double y = cy + r * Math.sin(a);
            if (k == 0) {
                star.moveTo(x, y);
            } else {
                star.lineTo(x, y);
            }
        }
        star.closePath();
        c.g.setColor(Color.WHITE);
        c.g.fill(star);
        c.g.setColor(Color.BLACK);
        c.stroke(1.2f);
        c.g.draw(star);
    }

    /** Light hatching for cells without a finite value. */
    private static int gap(int px, int py) {
        return ((px + py) / 4) % 2 == 0 ? 0xe6e6e6 : 0xfafafa;
    }

    static double px(double x, double x0, double x1, double left, double width) {
        return left + (x - x0) / (x1 - x0) * width;
    }

    static double py(double y, double y0, double y1, double top, double height) {
        return top + (y1 - y) / (y1 - y0) * height;
    }
}
