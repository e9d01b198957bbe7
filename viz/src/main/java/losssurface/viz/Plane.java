package losssurface.viz;

import java.util.List;

/**
 * One metric over a 2D grid, ready to draw: {@code values[i * ys.length + j]} at {@code (xs[i], ys[j])}.
 *
 * @param xs         first-axis coordinates
 * @param ys         second-axis coordinates
 * @param values     the metric, row-major by the first axis
 * @param xLabel     what the first axis is
 * @param yLabel     what the second axis is
 * @param metric     the metric's name
 * @param trajectory a path in (x, y) to draw over the map, possibly empty
 * @param marks      points in (x, y) to mark on the map (a return surface's cliffs), possibly empty
 */
record Plane(double[] xs, double[] ys, double[] values, String xLabel, String yLabel, String metric, List<double[]> trajectory,
             List<double[]> marks) {

    /** A plane with nothing marked. */
    Plane(double[] xs, double[] ys, double[] values, String xLabel, String yLabel, String metric, List<double[]> trajectory) {
        this(xs, ys, values, xLabel, yLabel, metric, trajectory, List.of());
    }

    /** Cells that are NaN or infinite. */
    long nonFinite() {
        long n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    double value(int i, int j) {
        return values[i * ys.length + j];
    }

    /** Bilinear interpolation at (x, y); NaN if outside or next to a non-finite cell. */
    double at(double x, double y) {
        int i = locate(xs, x);
        int j = locate(ys, y);
        if (i < 0 || j < 0) {
            return Double.NaN;
        }
        double tx = (x - xs[i]) / (xs[i + 1] - xs[i]);
        double ty = (y - ys[j]) / (ys[j + 1] - ys[j]);
        double v00 = value(i, j);
        double v10 = value(i + 1, j);
        double v01 = value(i, j + 1);
        double v11 = value(i + 1, j + 1);
        return (1 - tx) * (1 - ty) * v00 + tx * (1 - ty) * v10 + (1 - tx) * ty * v01 + tx * ty * v11;
    }

    private static int locate(double[] a, double v) {
        if (v < a[0] || v > a[a.length - 1]) {
            return -1;
        }
        int lo = 0;
        int hi = a.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (a[mid] <= v) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
