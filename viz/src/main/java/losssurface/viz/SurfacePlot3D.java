package losssurface.viz;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A 3D surface drawn with the painter's algorithm: grid quads projected at the given elevation
 * and azimuth, sorted far to near, filled with the colour of their mean value, with light edges.
 * Quads touching a non-finite value are left out (gaps). Heights above the colour scale's top
 * are clipped to it. A floor grid and tick-labelled axes frame the surface.
 */
final class SurfacePlot3D {

    private SurfacePlot3D() {
    }

    /** Height of the box in units of its half-width: the surface's vertical exaggeration. */
    private static final double HEIGHT = 1.0;

    private record Quad(double depth, double[] xs, double[] ys, Color color) {
    }

    static void draw(Canvas c, Plane plane, ColorScale scale, double elevationDeg, double azimuthDeg,
                     double left, double top, double width, double height) {
        double[] xs = plane.xs();
        double[] ys = plane.ys();
        int nx = xs.length;
        int ny = ys.length;
        double el = Math.toRadians(elevationDeg);
        double az = Math.toRadians(azimuthDeg);
        Projection p = new Projection(el, az, xs[0], xs[nx - 1], ys[0], ys[ny - 1]);
        p.fit(left, top, width, height);

        // floor grid and back walls, behind everything
        c.g.setColor(Canvas.GRID);
        c.stroke(0.8f);
        List<Double> xt = Ticks.of(xs[0], xs[nx - 1], 6);
        List<Double> yt = Ticks.of(ys[0], ys[ny - 1], 6);
        for (double x : xt) {
            line(c, p, x, ys[0], 0, x, ys[ny - 1], 0);
        }
        for (double y : yt) {
            line(c, p, xs[0], y, 0, xs[nx - 1], y, 0);
        }
        double farX = p.depth(xs[0], ys[0], 0) > p.depth(xs[nx - 1], ys[0], 0) ? xs[0] : xs[nx - 1];
        double farY = p.depth(xs[0], ys[0], 0) > p.depth(xs[0], ys[ny - 1], 0) ? ys[0] : ys[ny - 1];
        List<Double> zt = scale.log() ? Ticks.log(scale.min(), scale.max()) : Ticks.of(scale.min(), scale.max(), 5);
        for (double v : zt) {
            double w = scale.position(v);
            line(c, p, farX, ys[0], w, farX, ys[ny - 1], w);
            line(c, p, xs[0], farY, w, xs[nx - 1], farY, w);
        }
        c.g.setColor(new Color(0xbb, 0xbb, 0xbb));
        line(c, p, farX, farY, 0, farX, farY, 1);
        line(c, p, farX, ys[0], 1, farX, ys[ny - 1], 1);
        line(c, p, xs[0], farY, 1, xs[nx - 1], farY, 1);

        // the surface
        List<Quad> quads = new ArrayList<>();
        for (int i = 0; i + 1 < nx; i++) {
            for (int j = 0; j + 1 < ny; j++) {
                double[] v = {plane.value(i, j), plane.value(i + 1, j), plane.value(i + 1, j + 1), plane.value(i, j + 1)};
                double[] qx = {xs[i], xs[i + 1], xs[i + 1], xs[i]};
                double[] qy = {ys[j], ys[j], ys[j + 1], ys[j + 1]};
                double[] sx = new double[4];
                double[] sy = new double[4];
                double[] ws = new double[4];
                double depth = 0;
                double mean = 0;
                boolean gap = false;
                for (int k = 0; k < 4; k++) {
                    double w = scale.position(v[k]);
                    if (Double.isNaN(w)) {
                        gap = true;
                        break;
                    }
                    ws[k] = w;
                    sx[k] = p.screenX(qx[k], qy[k], w);
                    sy[k] = p.screenY(qx[k], qy[k], w);
                    depth += p.depth(qx[k], qy[k], w);
                    mean += w;
                }
                if (!gap) {
                    // Lambert shading from the normal in box units, light from above and the front left
                    double du = 2.0 / (nx - 1);
                    double dv = 2.0 / (ny - 1);
                    double gx = ((ws[1] - ws[0]) + (ws[2] - ws[3])) / 2 * HEIGHT / du;
                    double gy = ((ws[3] - ws[0]) + (ws[2] - ws[1])) / 2 * HEIGHT / dv;
                    double norm = Math.sqrt(gx * gx + gy * gy + 1);
                    double light = (-gx * -0.35 + -gy * -0.45 + 1 * 0.82) / norm;
                    double shade = 0.62 + 0.38 * Math.max(0, light);
                    // seen from below (the outside of a steep near wall): the projected quad's winding flips; draw it darker
                    double area = (sx[1] - sx[0]) * (sy[3] - sy[0]) - (sx[3] - sx[0]) * (sy[1] - sy[0]);
                    boolean below = area * p.handedness() > 0;
                    quads.add(new Quad(depth / 4, sx, sy, shaded(ColorScale.viridis(mean / 4), below ? 0.45 : shade)));
                }
            }
        }
        quads.sort(Comparator.comparingDouble(Quad::depth).reversed());
        boolean edges = Math.max(nx, ny) <= 81;
        Color edge = new Color(0, 0, 0, edges ? 45 : 0);
        c.stroke(0.5f);
        for (Quad q : quads) {
            Path2D path = new Path2D.Double();
            path.moveTo(q.xs()[0], q.ys()[0]);
            for (int k = 1; k < 4; k++) {
                path.lineTo(q.xs()[k], q.ys()[k]);
            }
            path.closePath();
            c.g.setColor(q.color());
            c.g.fill(path);
            c.g.draw(path);
            if (edges) {
                c.g.setColor(edge);
                c.g.draw(path);
            }
        }

        // axes: ticks on the two near floor edges and on the vertical edge at the far corner
        c.g.setColor(Canvas.INK);
        c.stroke(1f);
        double nearX = farX == xs[0] ? xs[nx - 1] : xs[0];
        double nearY = farY == ys[0] ? ys[ny - 1] : ys[0];
        line(c, p, xs[0], nearY, 0, xs[nx - 1], nearY, 0);
        line(c, p, nearX, ys[0], 0, nearX, ys[ny - 1], 0);
        c.g.setFont(Canvas.font(11, false));
        double cx = left + width / 2;
        double cy = top + height / 2;
        List<double[]> placed = new ArrayList<>();
        for (double x : xt) {
            tick(c, p, x, nearY, 0, cx, cy, Ticks.label(x), placed);
        }
        for (double y : yt) {
            tick(c, p, nearX, y, 0, cx, cy, Ticks.label(y), placed);
        }
        for (double v : zt) {
            tick(c, p, nearX, farY, scale.position(v), cx, cy, Ticks.label(v), placed);
        }
        line(c, p, nearX, farY, 0, nearX, farY, 1);
        c.g.setFont(Canvas.font(13, false));
        axisLabel(c, p, (xs[0] + xs[nx - 1]) / 2, nearY, cx, cy, plane.xLabel(), 48);
        axisLabel(c, p, nearX, (ys[0] + ys[ny - 1]) / 2, cx, cy, plane.yLabel(), 48);
        double lx = p.screenX(nearX, farY, 1.08);
        double ly = p.screenY(nearX, farY, 1.08);
        c.text(plane.metric(), lx, ly, 0.5, 1);
    }

    private static Color shaded(Color c, double f) {
        return new Color((int) Math.min(255, c.getRed() * f), (int) Math.min(255, c.getGreen() * f), (int) Math.min(255, c.getBlue() * f));
    }

    private static void line(Canvas c, Projection p, double x1, double y1, double w1, double x2, double y2, double w2) {
        c.g.draw(new java.awt.geom.Line2D.Double(p.screenX(x1, y1, w1), p.screenY(x1, y1, w1),
                p.screenX(x2, y2, w2), p.screenY(x2, y2, w2)));
    }

    /** A tick label pushed outwards from the picture centre, unless it would overlap one already placed. */
    private static void tick(Canvas c, Projection p, double x, double y, double w, double cx, double cy, String label,
                             List<double[]> placed) {
        double sx = p.screenX(x, y, w);
        double sy = p.screenY(x, y, w);
        double dx = sx - cx;
        double dy = sy - cy;
        double n = Math.max(1e-9, Math.hypot(dx, dy));
        double lx = sx + 14 * dx / n;
        double ly = sy + 14 * dy / n;
        for (double[] q : placed) {
            if (Math.abs(q[0] - lx) < 22 && Math.abs(q[1] - ly) < 13) {
                return;
            }
        }
        placed.add(new double[] {lx, ly});
        c.text(label, lx, ly, 0.5, 0.5);
    }

    private static void axisLabel(Canvas c, Projection p, double x, double y, double cx, double cy, String label, double push) {
        double sx = p.screenX(x, y, 0);
        double sy = p.screenY(x, y, 0);
        double dx = sx - cx;
        double dy = sy - cy;
        double n = Math.max(1e-9, Math.hypot(dx, dy));
        c.text(label, sx + push * dx / n, sy + push * dy / n, 0.5, 0.5);
    }

    /** Orthographic projection of (x, y, w) with x, y on the axes' ranges and w in [0, 1]. */
    private static final class Projection {
        private final double cosEl;
        private final double sinEl;
        private final double cosAz;
        private final double sinAz;
        private final double x0;
        private final double x1;
        private final double y0;
        private final double y1;
        private double scale = 1;
        private double offX;
        private double offY;

        Projection(double el, double az, double x0, double x1, double y0, double y1) {
            this.cosEl = Math.cos(el);
            this.sinEl = Math.sin(el);
            this.cosAz = Math.cos(az);
            this.sinAz = Math.sin(az);
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
        }

        private double u(double x) {
            return 2 * (x - x0) / (x1 - x0) - 1;
        }

        private double v(double y) {
            return 2 * (y - y0) / (y1 - y0) - 1;
        }

        private double rawX(double x, double y) {
            return u(x) * cosAz - v(y) * sinAz;
        }

        private double plane(double x, double y) {
            return u(x) * sinAz + v(y) * cosAz;
        }

        private double rawY(double x, double y, double w) {
            return HEIGHT * w * cosEl + plane(x, y) * sinEl;
        }

        double depth(double x, double y, double w) {
            return plane(x, y) * cosEl - HEIGHT * w * sinEl;
        }

        /** The sign of a screen-space cross product for an upward-facing quad, to recognise quads seen from below. */
        double handedness() {
            // the floor quad (x0,y0) (x1,y0) (x1,y1) (x0,y1) seen from above
            double ax = screenX(x1, y0, 0) - screenX(x0, y0, 0);
            double ay = screenY(x1, y0, 0) - screenY(x0, y0, 0);
            double bx = screenX(x0, y1, 0) - screenX(x0, y0, 0);
            double by = screenY(x0, y1, 0) - screenY(x0, y0, 0);
            return -Math.signum(ax * by - bx * ay);
        }

        double screenX(double x, double y, double w) {
            return offX + scale * rawX(x, y);
        }

        double screenY(double x, double y, double w) {
            return offY - scale * rawY(x, y, w);
        }

        /** Scales and centres the box's eight corners into the rectangle. */
        void fit(double left, double top, double width, double height) {
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (double x : new double[] {x0, x1}) {
                for (double y : new double[] {y0, y1}) {
                    for (double w : new double[] {0, 1}) {
                        minX = Math.min(minX, rawX(x, y));
                        maxX = Math.max(maxX, rawX(x, y));
                        minY = Math.min(minY, rawY(x, y, w));
                        maxY = Math.max(maxY, rawY(x, y, w));
                    }
                }
            }
            scale = Math.min(width / (maxX - minX), height / (maxY - minY));
            offX = left + width / 2 - scale * (minX + maxX) / 2;
            offY = top + height / 2 + scale * (minY + maxY) / 2;
        }
    }
}
