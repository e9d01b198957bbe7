package losssurface.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cliffs of a return surface, by the criterion of Sullivan et al. 2022 ("Cliff Diving: Exploring
 * Reward Surfaces in Reinforcement Learning Environments"): a sudden drop of the return, to at most
 * half of its value, that is also more than a quarter of the surface's range.
 *
 * <p>On a grid: a point is a cliff when a one-cell step along either axis, either way, drops the
 * return to at most half of the point's (for a negative return: by at least half of its magnitude,
 * so that -100 to -150 is such a drop) and by more than 25% of the range of the surface's finite
 * values. The point marked is the cliff's edge, where the drop starts: the parameters one grid step
 * away from a collapse of the policy. Non-finite cells take part in no drop.
 */
public final class Cliffs {

    private Cliffs() {
    }

    /** The grid marking the cliffs (1 where a point is one, else 0), added to a return surface's grids. */
    public static final String METRIC = "cliff";
    /** The drop must leave at most this share of the value (Sullivan et al.: 50%). */
    public static final double DROP = 0.5;
    /** The drop must exceed this share of the surface's range (Sullivan et al.: 25%). */
    public static final double RANGE = 0.25;
    /** The radius about theta*, in axis units, within which the share of cliff points is reported. */
    public static final double RADIUS = 0.25;

    /**
     * The cliffs of {@code metric} of a surface.
     *
     * @param grid         1 at a cliff, 0 elsewhere, in the surface's grid order
     * @param count        how many points are cliffs
     * @param points       the surface's points
     * @param near         points within {@link #RADIUS} of theta*
     * @param nearCliffs   cliffs among them
     * @param range        the range (largest minus smallest finite value) the drops are measured against
     */
    public record Found(double[] grid, int count, int points, int near, int nearCliffs, double range) {
        public Found {
            grid = grid.clone();
        }

        @Override
        public double[] grid() {
            return grid.clone();
        }

        /** The share of the points within {@link #RADIUS} of theta* that are cliffs; NaN when the grid has none there but theta*. */
        public double nearShare() {
            return near == 0 ? Double.NaN : (double) nearCliffs / near;
        }

        /** The numbers for {@code surface.json}'s {@code "cliffs"}. */
        public java.util.Map<String, Object> json(String metric) {
            java.util.Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric);
            m.put("count", count);
            m.put("points", points);
            m.put("radius", RADIUS);
            m.put("points-within-radius", near);
            m.put("cliffs-within-radius", nearCliffs);
            m.put("share-within-radius", near == 0 ? null : nearShare());
            m.put("range", range);
            m.put("criterion", describe(metric));
            return m;
        }
    }

    /** The criterion in one sentence, for files and pages. */
    public static String describe(String metric) {
        return String.format(Locale.ROOT, "a point is a cliff when one grid step along either axis drops the %s to at most %.0f%%"
                + " of its value (a negative value: by at least %.0f%% of its magnitude) and by more than %.0f%% of the surface's"
                + " range (Sullivan et al. 2022); the share counts the points within radius %s of theta*, theta* among them",
                metric, 100 * DROP, 100 * (1 - DROP), 100 * RANGE, RADIUS);
    }

    /** Finds the cliffs of {@code metric} of {@code surface}. */
    public static Found of(Surface surface, String metric) {
        double[] v = surface.grid(metric);
        int n = surface.axes().get(0).size();
        int m = surface.isPlane() ? surface.axes().get(1).size() : 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        double range = hi >= lo ? hi - lo : 0;
        double[] grid = new double[v.length];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double here = v[i * m + j];
                boolean cliff = drop(here, i > 0 ? v[(i - 1) * m + j] : Double.NaN, range)
                        || drop(here, i < n - 1 ? v[(i + 1) * m + j] : Double.NaN, range)
                        || drop(here, j > 0 ? v[i * m + j - 1] : Double.NaN, range)
                        || drop(here, j < m - 1 ? v[i * m + j + 1] : Double.NaN, range);
                if (cliff) {
                    grid[i * m + j] = 1;
                    count++;
                }
            }
        }
        double[] as = surface.axes().get(0).values();
        double[] bs = surface.isPlane() ? surface.axes().get(1).values() : new double[] {0};
        int near = 0;
        int nearCliffs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (Math.hypot(as[i], bs[j]) <= RADIUS + 1e-12) {
                    near++;
                    nearCliffs += (int) grid[i * m + j];
                }
            }
        }
        return new Found(grid, count, v.length, near, nearCliffs, range);
    }

    /** Whether stepping from {@code from} to {@code to} is a cliff's drop on a surface of range {@code range}. */
    static boolean drop(double from, double to, double range) {
        if (!Double.isFinite(from) || !Double.isFinite(to) || !(range > 0)) {
            return false;
        }
        return to <= from - (1 - DROP) * Math.abs(from) && from - to > RANGE * range;
    }
}
