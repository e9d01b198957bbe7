package losssurface.api;

import java.util.Objects;

/**
 * The points {@code centre + alphas[i] d1 + betas[j] d2} of a line ({@code d2 == null},
 * {@code betas = {0}}) or a plane, to be evaluated together.
 *
 * @param centre theta*
 * @param d1     the first direction
 * @param alphas coordinates along d1
 * @param d2     the second direction, or null for a line
 * @param betas   coordinates along d2 ({@code {0}} for a line)
 * @param threads worker threads an objective may use to evaluate the points (the run's
 *                {@code threads} setting, see {@link RunContext#threads()})
 */
public record GridRequest(float[] centre, float[] d1, double[] alphas, float[] d2, double[] betas, int threads) {

    public GridRequest {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        Objects.requireNonNull(centre, "centre");
        Objects.requireNonNull(d1, "d1");
        if (d1.length != centre.length || d2 != null && d2.length != centre.length) {
            throw new IllegalArgumentException("directions must have as many entries as the centre (" + centre.length + ")");
        }
        if (d2 == null && (betas.length != 1 || betas[0] != 0)) {
            throw new IllegalArgumentException("a line has betas = {0}");
        }
        if (alphas.length == 0 || betas.length == 0) {
            throw new IllegalArgumentException("a grid needs at least one coordinate per axis");
        }
    }

    /** A plane, evaluated with one thread per core. */
    public GridRequest(float[] centre, float[] d1, double[] alphas, float[] d2, double[] betas) {
        this(centre, d1, alphas, d2, betas, RunContext.cores());
    }

    /** A line through {@code centre} along {@code d}, evaluated with one thread per core. */
    public static GridRequest line(float[] centre, float[] d, double[] alphas) {
        return new GridRequest(centre, d, alphas, null, new double[] {0});
    }

    /** The same points, evaluated with {@code n} threads. */
    public GridRequest withThreads(int n) {
        return new GridRequest(centre, d1, alphas, d2, betas, n);
    }

    /** The rows {@code from} (inclusive) to {@code to} (exclusive) of this grid: the same points, a share of them. */
    public GridRequest rows(int from, int to) {
        if (from < 0 || to > alphas.length || from >= to) {
            throw new IllegalArgumentException("rows " + from + " to " + to + " of a grid of " + alphas.length + " rows");
        }
        return new GridRequest(centre, d1, java.util.Arrays.copyOfRange(alphas, from, to), d2, betas, threads);
    }

    /** Number of points. */
    public int points() {
        return alphas.length * betas.length;
    }

    /** The parameters of point (i, j) into {@code out}, computed in double and rounded once. */
    public void point(int i, int j, float[] out) {
        point(i, j, out, 0, out.length);
    }

    /** Parameters {@code from} (inclusive) to {@code to} (exclusive) of point (i, j) into {@code out}, as {@link #point(int, int, float[])}. */
    public void point(int i, int j, float[] out, int from, int to) {
        double a = alphas[i];
        if (d2 == null) {
            for (int k = from; k < to; k++) {
                out[k] = (float) (centre[k] + a * d1[k]);
            }
        } else {
            double b = betas[j];
            for (int k = from; k < to; k++) {
                out[k] = (float) (centre[k] + a * d1[k] + b * d2[k]);
            }
        }
    }
}
