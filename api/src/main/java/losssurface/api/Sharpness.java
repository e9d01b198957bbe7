package losssurface.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;


/**
 * Sharpness numbers of a minimum: those read off a surface (average-direction sharpness, basin
 * radius) and those found by projected gradient ascent in a box around it (Keskar et al. 2017's
 * ε-sharpness; adaptive sharpness, the box scaled by |theta*|, after Kwon et al. 2021).
 */
public final class Sharpness {

    /** The metric of a return surface: higher is better, so its basin ends where it first halves. */
    public static final String RETURN = "return";

    /** The radii of the average-direction sharpness. */
    public static final List<Double> RADII = List.of(0.1, 0.25, 0.5);
    /** Angles the average-direction sharpness averages over on a plane. */
    static final int ANGLES = 64;

    private Sharpness() {
    }

    /**
     * What a surface shows about its centre.
     *
     * @param centre  the loss at coordinate 0
     * @param average per radius, the mean loss increase over the circle of that radius (a plane: bilinear
     *                interpolation at {@value #ANGLES} angles; a line: its two points); absent where the grid does not reach
     * @param basin   per axis, the distance from 0 to where the loss first reaches twice the centre's (a return: first falls
     *                to half of it; linear interpolation, the nearer of the two sides), or empty where it does not within the grid
     * @param extent  per axis, the distance from 0 to the grid's nearer end
     * @param step    per axis, the grid's spacing next to 0: a basin radius below it is an interpolation inside one cell
     */
    public record FromSurface(double centre, Map<Double, Double> average, List<Optional<Double>> basin, List<Double> extent,
                              List<Double> step) {
    }

    /**
     * The numbers of {@code surface}'s loss around coordinate 0, or empty (with why) when an axis does not hold 0.
     */
    public static FromSurface fromSurface(Surface surface) {
        String metric = surface.lossMetric();
        int axes = surface.axes().size();
        int[] zero = new int[axes];
        for (int a = 0; a < axes; a++) {
            zero[a] = indexOfZero(surface.axes().get(a).values());
            if (zero[a] < 0) {
                throw new IllegalArgumentException("axis " + surface.axes().get(a).name() + " does not hold 0, so the surface has no"
                        + " point at theta*");
            }
        }
        double[] g = surface.grid(metric);
        double centre = axes == 2 ? surface.value(metric, zero[0], zero[1]) : g[zero[0]];
        java.util.List<Optional<Double>> basin = new java.util.ArrayList<>();
        java.util.List<Double> extent = new java.util.ArrayList<>();
        java.util.List<Double> step = new java.util.ArrayList<>();
        for (int a = 0; a < axes; a++) {
            double[] xs = surface.axes().get(a).values();
            double[] along = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                along[i] = axes == 2 ? (a == 0 ? surface.value(metric, i, zero[1]) : surface.value(metric, zero[0], i)) : g[i];
            }
            boolean halving = metric.equals(RETURN);
            double up = crossing(xs, along, zero[a], 1, centre, halving);
            double down = crossing(xs, along, zero[a], -1, centre, halving);
            double r = Math.min(up, down);
            basin.add(Double.isFinite(r) ? Optional.of(r) : Optional.empty());
            extent.add(Math.min(Math.abs(xs[xs.length - 1]), Math.abs(xs[0])));
            step.add(Math.min(zero[a] + 1 < xs.length ? xs[zero[a] + 1] - xs[zero[a]] : Double.POSITIVE_INFINITY,
                    zero[a] > 0 ? xs[zero[a]] - xs[zero[a] - 1] : Double.POSITIVE_INFINITY));
        }
        Map<Double, Double> average = new LinkedHashMap<>();
        for (double r : RADII) {
            double sum = 0;
            int count = 0;
            boolean inside = true;
            int points = axes == 2 ? ANGLES : 2;
            for (int k = 0; k < points && inside; k++) {
                double phi = 2 * Math.PI * k / points;
                double x = axes == 2 ? r * Math.cos(phi) : (k == 0 ? r : -r);
                double y = axes == 2 ? r * Math.sin(phi) : 0;
                Optional<Double> v = interpolate(surface, metric, x, y);
                if (v.isEmpty()) {
                    inside = false;
                } else {
                    sum += v.get();
                    count++;
                }
            }
            if (inside) {
                average.put(r, sum / count - centre);
            }
        }
        return new FromSurface(centre, average, basin, extent, step);
    }

    private static int indexOfZero(double[] xs) {
        for (int i = 0; i < xs.length; i++) {
            if (Math.abs(xs[i]) <= 1e-9 * Math.max(1, Math.abs(xs[xs.length - 1] - xs[0]))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The distance from {@code xs[from]} to where {@code ys} first reaches twice {@code centre} (halving: falls to half of
     * it), walking in {@code sign}; infinity if never.
     */
    private static double crossing(double[] xs, double[] ys, int from, int sign, double centre, boolean halving) {
        double target = halving ? centre / 2 : 2 * centre;
        for (int i = from + sign; i >= 0 && i < xs.length; i += sign) {
            if (halving ? ys[i] <= target : ys[i] >= target) {
                int prev = i - sign;
                double t = ys[i] == ys[prev] ? 0 : (target - ys[prev]) / (ys[i] - ys[prev]);
                return Math.abs(xs[prev] + t * (xs[i] - xs[prev]) - xs[from]);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The loss at (x, y) by bilinear (a line: linear) interpolation, or empty outside the grid. */
    private static Optional<Double> interpolate(Surface s, String metric, double x, double y) {
        double[] xs = s.axes().get(0).values();
        int i = cell(xs, x);
        if (i < 0) {
            return Optional.empty();
        }
        double tx = (x - xs[i]) / (xs[i + 1] - xs[i]);
        if (s.axes().size() == 1) {
            double[] g = s.grid(metric);
            return Optional.of(g[i] * (1 - tx) + g[i + 1] * tx);
        }
        double[] ys = s.axes().get(1).values();
        int j = cell(ys, y);
        if (j < 0) {
            return Optional.empty();
        }
        double ty = (y - ys[j]) / (ys[j + 1] - ys[j]);
        return Optional.of(s.value(metric, i, j) * (1 - tx) * (1 - ty) + s.value(metric, i + 1, j) * tx * (1 - ty)
                + s.value(metric, i, j + 1) * (1 - tx) * ty + s.value(metric, i + 1, j + 1) * tx * ty);
    }

    /** The index i of an increasing axis with {@code xs[i] <= x <= xs[i + 1]}, or -1. */
    private static int cell(double[] xs, double x) {
        double tol = 1e-12 * Math.max(1, Math.abs(xs[xs.length - 1] - xs[0]));
        if (xs.length < 2 || x < xs[0] - tol || x > xs[xs.length - 1] + tol) {
            return -1;
        }
        for (int i = 0; i < xs.length - 2; i++) {
            if (x <= xs[i + 1]) {
                return i;
            }
        }
        return xs.length - 2;
    }

    /**
     * The result of the ascent.
     *
     * @param sharpness  Keskar et al.'s measure: {@code (max f(theta + y) - f(theta)) / (1 + f(theta)) * 100}
     * @param centre     f(theta)
     * @param highest    the largest loss found in the box
     * @param iterations ascent steps (one gradient and one loss each)
     */
    public record Ascent(double sharpness, double centre, double highest, int iterations) {
    }

    /**
     * The largest loss increase in the box {@code |y_i| <= epsilon (|theta_i| + 1)} (adaptive:
     * {@code epsilon |theta_i|}) around {@code theta}, over the parameters (not running statistics),
     * by projected gradient ascent with sign steps of 2.5 / iterations of the box (Madry et al.'s
     * rule), from a seeded random point in the inner half of the box (at theta* itself the gradient
     * may vanish); the largest loss met on the way, the centre's included, counts.
     */
    public static Ascent ascent(Objective objective, float[] theta, double epsilon, boolean adaptive, int iterations, long seed) {
        if (!(epsilon > 0) || iterations < 1) {
            throw new IllegalArgumentException("epsilon must be positive and iterations at least 1, were " + epsilon + " and "
                    + iterations);
        }
        ParameterLayout layout = objective.layout();
        int n = theta.length;
        double[] box = new double[n];
        for (int i = 0; i < n; i++) {
            box[i] = epsilon * (Math.abs(theta[i]) + (adaptive ? 0 : 1));
        }
        for (ParameterBlock b : layout.blocks()) {
            if (b.kind() == ParameterBlock.Kind.STATE) {
                java.util.Arrays.fill(box, b.offset(), b.offset() + b.length(), 0);
            }
        }
        double step = 2.5 / iterations;
        double[] y = new double[n];
        float[] at = theta.clone();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            y[i] = (random.nextDouble() - 0.5) * box[i];
            at[i] = (float) (theta[i] + y[i]);
        }
        double centre = objective.evaluate(theta)[0];
        double highest = Math.max(centre, objective.evaluate(at)[0]);
        for (int t = 0; t < iterations; t++) {
            float[] g = objective.gradient(at);
            for (int i = 0; i < n; i++) {
                double moved = y[i] + step * box[i] * Math.signum(g[i]);
                y[i] = Math.max(-box[i], Math.min(box[i], moved));
                at[i] = (float) (theta[i] + y[i]);
            }
            highest = Math.max(highest, objective.evaluate(at)[0]);
        }
        return new Ascent((highest - centre) / (1 + centre) * 100, centre, highest, iterations);
    }

    /** Describes the ascent's settings, for {@code surface.json}. */
    public static String describe(double epsilon, boolean adaptive, int iterations) {
        return String.format(Locale.ROOT, "projected sign-gradient ascent from a seeded point of the box's inner half, %d steps of 2.5/%d of the box |y_i| <= %s %s; "
                        + "(max f - f(theta*)) / (1 + f(theta*)) * 100", iterations, iterations, epsilon,
                adaptive ? "|theta_i|" : "(|theta_i| + 1)");
    }
}
