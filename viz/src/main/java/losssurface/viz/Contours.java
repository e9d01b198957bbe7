package losssurface.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * Iso-lines of a grid by marching squares. The grid is {@code values[i * ny + j]} at
 * {@code (xs[i], ys[j])}; segments are returned in those coordinates. Cells touching a
 * non-finite value give no segments (gaps stay gaps). Saddle cells are split by the cell mean.
 */
final class Contours {
    private Contours() {
    }

    /** A line segment from (x1, y1) to (x2, y2). */
    record Segment(double x1, double y1, double x2, double y2) {
        double length() {
            return Math.hypot(x2 - x1, y2 - y1);
        }
    }

    static List<Segment> at(double[] xs, double[] ys, double[] values, double level) {
        int nx = xs.length;
        int ny = ys.length;
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i + 1 < nx; i++) {
            for (int j = 0; j + 1 < ny; j++) {
                double v00 = values[i * ny + j];
                double v10 = values[(i + 1) * ny + j];
                double v11 = values[(i + 1) * ny + j + 1];
                double v01 = values[i * ny + j + 1];
                if (!Double.isFinite(v00) || !Double.isFinite(v10) || !Double.isFinite(v11) || !Double.isFinite(v01)) {
                    continue;
                }
                int code = (v00 >= level ? 1 : 0) | (v10 >= level ? 2 : 0) | (v11 >= level ? 4 : 0) | (v01 >= level ? 8 : 0);
                if (code == 0 || code == 15) {
                    continue;
                }
                // edge points: bottom (00-10), right (10-11), top (01-11), left (00-01)
                double[] bottom = {lerp(xs[i], xs[i + 1], v00, v10, level), ys[j]};
                double[] right = {xs[i + 1], lerp(ys[j], ys[j + 1], v10, v11, level)};
                double[] top = {lerp(xs[i], xs[i + 1], v01, v11, level), ys[j + 1]};
                double[] left = {xs[i], lerp(ys[j], ys[j + 1], v00, v01, level)};
                boolean centreHigh = (v00 + v10 + v11 + v01) / 4 >= level;
                switch (code) {
                    case 1, 14 -> add(out, left, bottom);
                    case 2, 13 -> add(out, bottom, right);
                    case 3, 12 -> add(out, left, right);
                    case 4, 11 -> add(out, right, top);
                    case 6, 9 -> add(out, bottom, top);
                    case 7, 8 -> add(out, left, top);
                    case 5 -> {
                        if (centreHigh) {
                            add(out, left, top);
                            add(out, bottom, right);
                        } else {
                            add(out, left, bottom);
                            add(out, right, top);
                        }
                    }
                    case 10 -> {
                        if (centreHigh) {
                            add(out, left, bottom);
                            add(out, right, top);
                        } else {
                            add(out, left, top);
                            add(out, bottom, right);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return out;
    }

    private static void add(List<Segment> out, double[] a, double[] b) {
        out.add(new Segment(a[0], a[1], b[0], b[1]));
    }

    private static double lerp(double x0, double x1, double v0, double v1, double level) {
        double t = v1 == v0 ? 0.5 : (level - v0) / (v1 - v0);
        return x0 + t * (x1 - x0);
    }

    /**
     * About {@code count} round levels strictly inside the scale: evenly spaced round numbers on
     * a linear scale, 1-2-5 steps per decade (or finer) on a log scale.
     */
    static double[] levels(ColorScale scale, int count) {
        java.util.List<Double> candidates = scale.log() ? logLevels(scale.min(), scale.max(), count)
                : Ticks.of(scale.min(), scale.max(), count + 1);
        double[] out = candidates.stream().mapToDouble(Double::doubleValue)
                .filter(v -> v > scale.min() && v < scale.max()).toArray();
        if (out.length < 2) {
            out = new double[count];
            for (int k = 0; k < count; k++) {
                out[k] = scale.valueAt((k + 1.0) / (count + 1));
            }
        }
        return out;
    }

    private static java.util.List<Double> logLevels(double lo, double hi, int count) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        double decades = Math.log10(hi / lo);
        double[] mults = decades * 3 >= count ? new double[] {1, 2, 5} : new double[] {1, 1.5, 2, 3, 5, 7};
        for (int e = (int) Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
            for (double m : mults) {
                out.add(m * Math.pow(10, e));
            }
        }
        return out;
    }
}
