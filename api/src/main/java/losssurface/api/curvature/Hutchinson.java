package losssurface.api.curvature;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hutchinson's estimator of a Hessian's trace: the mean of {@code v^T H v} over seeded Rademacher
 * vectors v (entries +1 or -1), whose expectation is the trace. Sampling stops once the standard
 * error of the mean is below a set fraction of its magnitude (after a minimum number of samples),
 * or at a maximum. The same samples give the trace of each parameter block: the sum of
 * {@code v_i (H v)_i} over the block's indices.
 */
public final class Hutchinson {

    /**
     * The estimate.
     *
     * @param trace      the mean of the samples
     * @param stderr     its standard error (sample standard deviation over sqrt(samples))
     * @param samples    products made
     * @param blockTrace per block of {@code blocks}, the same estimate restricted to its indices
     */
    public record Estimate(double trace, double stderr, int samples, double[] blockTrace) {
    }

    private Hutchinson() {
    }

    /**
     * @param blocks     the blocks' {@code [from, to)} index ranges (may be empty)
     * @param tolerance  stop when stderr <= tolerance * |trace| (e.g. 0.01)
     * @param minSamples at least this many (at least 2)
     * @param maxSamples at most this many
     */
    public static Estimate trace(HessianOperator h, int[][] blocks, double tolerance, int minSamples, int maxSamples, long seed) {
        if (minSamples < 2 || maxSamples < minSamples) {
            throw new IllegalArgumentException("need 2 <= minSamples <= maxSamples, were " + minSamples + " and " + maxSamples);
        }
        int n = h.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        double[] hv = new double[n];
        double[] blockSums = new double[blocks.length];
        double sum = 0;
        double sumSquares = 0;
        int samples = 0;
        double mean = 0;
        double stderr = Double.POSITIVE_INFINITY;
        while (samples < maxSamples) {
            for (int i = 0; i < n; i++) {
                v[i] = random.nextBoolean() ? 1 : -1;
            }
            h.apply(v, hv);
            double sample = Lanczos.dot(v, hv);
            for (int b = 0; b < blocks.length; b++) {
                double s = 0;
                for (int i = blocks[b][0]; i < blocks[b][1]; i++) {
                    s += v[i] * hv[i];
                }
                blockSums[b] += s;
            }
            samples++;
            sum += sample;
            sumSquares += sample * sample;
            mean = sum / samples;
            if (samples >= 2) {
                double variance = Math.max(0, (sumSquares - samples * mean * mean) / (samples - 1));
                stderr = Math.sqrt(variance / samples);
            }
            if (samples >= minSamples && stderr <= tolerance * Math.abs(mean)) {
                break;
            }
        }
        double[] blockTrace = new double[blocks.length];
        for (int b = 0; b < blocks.length; b++) {
            blockTrace[b] = blockSums[b] / samples;
        }
        return new Estimate(mean, stderr, samples, blockTrace);
    }

    /**
     * The spectral density by stochastic Lanczos quadrature: for each of {@code vectors} seeded
     * Rademacher start vectors, {@code steps} Lanczos steps give nodes and weights; the density is
     * their average, each node smeared by a Gaussian of variance {@code sigma2} (PyHessian's
     * default is 1e-5 of the spectrum's width), read at {@code grid.length} points.
     *
     * @return the density at each point of {@code grid}; it integrates to about 1 over a grid that covers the spectrum
     */
    public static double[] density(HessianOperator h, int vectors, int steps, double[] grid, double sigma2, long seed) {
        return density(quadratures(h, vectors, steps, seed), grid, sigma2);
    }

    /** The nodes and weights of {@code steps} Lanczos steps from each of {@code vectors} seeded Rademacher vectors. */
    public static List<Lanczos.Quadrature> quadratures(HessianOperator h, int vectors, int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = h.dimension();
        List<Lanczos.Quadrature> runs = new ArrayList<>();
        for (int s = 0; s < vectors; s++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextBoolean() ? 1 : -1;
            }
            runs.add(Lanczos.quadrature(h, v, steps));
        }
        return runs;
    }

    /** The average over {@code runs} of their nodes' weighted Gaussians of variance {@code sigma2}, at each point of {@code grid}. */
    public static double[] density(List<Lanczos.Quadrature> runs, double[] grid, double sigma2) {
        double[] density = new double[grid.length];
        for (Lanczos.Quadrature q : runs) {
            for (int j = 0; j < q.nodes().length; j++) {
                for (int g = 0; g < grid.length; g++) {
                    double d = grid[g] - q.nodes()[j];
                    density[g] += q.weights()[j] * Math.exp(-d * d / (2 * sigma2)) / Math.sqrt(2 * Math.PI * sigma2) / runs.size();
                }
            }
        }
        return density;
    }
}
