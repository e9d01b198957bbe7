package losssurface.api.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The Lanczos method on a symmetric operator, with full reorthogonalisation (each new vector is
 * made orthogonal to every earlier one, twice, so that no eigenvalue is found twice in float
 * noise): the top eigenpairs of a Hessian, and the tridiagonal matrices stochastic Lanczos
 * quadrature reads a spectral density from (Ghorbani et al. 2019, as PyHessian computes it).
 */
public final class Lanczos {

    /**
     * The largest eigenvalues, descending, with their eigenvectors (unit length, in the parameters'
     * order), and the number of products it took.
     */
    public record Top(double[] values, double[][] vectors, int products) {
    }

    /** The m steps' tridiagonal matrix: its Ritz values (ascending) and each one's weight, the squared first component of its eigenvector. */
    public record Quadrature(double[] nodes, double[] weights) {
    }

    private Lanczos() {
    }

    /**
     * The {@code k} largest eigenpairs of {@code h}, from {@code steps} Lanczos steps started at a seeded Gaussian vector.
     * With {@code steps} equal to the dimension the result is exact up to rounding; for a Hessian a few times k (at
     * least 20 beyond it) separates the top of the spectrum well.
     */
    public static Top top(HessianOperator h, int k, int steps, long seed) {
        return top(h, k, steps, gaussian(h.dimension(), seed));
    }

    /**
     * The same from a given start vector (e.g. one with entries the operator never touches set to zero, so that
     * no eigenvector found has any there).
     */
    public static Top top(HessianOperator h, int k, int steps, double[] start) {
        int n = h.dimension();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be between 1 and the dimension " + n + ", was " + k);
        }
        int m = Math.min(n, Math.max(steps, k));
        Run run = run(h, start, m);
        Tridiagonal.Eigen eigen = Tridiagonal.eigen(run.alpha, run.beta);
        int found = run.alpha.length;
        if (found < k) {
            throw new IllegalStateException("the Krylov space closed after " + found + " steps, fewer than the " + k
                    + " eigenvalues asked; the operator has rank " + found + " along the start vector");
        }
        double[] values = new double[k];
        double[][] vectors = new double[k][];
        for (int j = 0; j < k; j++) {
            int col = found - 1 - j; // descending
            values[j] = eigen.values()[col];
            double[] x = new double[n];
            for (int i = 0; i < found; i++) {
                double c = eigen.vectors()[i][col];
                double[] q = run.q[i];
                for (int p = 0; p < n; p++) {
                    x[p] += c * q[p];
                }
            }
            double norm = Math.sqrt(dot(x, x));
            for (int p = 0; p < n; p++) {
                x[p] /= norm;
            }
            vectors[j] = x;
        }
        return new Top(values, vectors, run.products);
    }

    /** The quadrature of {@code steps} Lanczos steps from {@code start} (normalised here): its nodes and weights sum to 1. */
    public static Quadrature quadrature(HessianOperator h, double[] start, int steps) {
        Run run = run(h, start, Math.min(h.dimension(), steps));
        Tridiagonal.Eigen eigen = Tridiagonal.eigen(run.alpha, run.beta);
        double[] weights = new double[run.alpha.length];
        for (int j = 0; j < weights.length; j++) {
            double c = eigen.vectors()[0][j];
            weights[j] = c * c;
        }
        return new Quadrature(eigen.values(), weights);
    }

    private record Run(double[] alpha, double[] beta, double[][] q, int products) {
    }

    private static Run run(HessianOperator h, double[] start, int m) {
        int n = h.dimension();
        if (start.length != n) {
            throw new IllegalArgumentException("the start vector has " + start.length + " entries, the operator " + n);
        }
        double[][] q = new double[m][];
        double[] alpha = new double[m];
        double[] beta = new double[Math.max(0, m - 1)];
        double[] v = start.clone();
        double norm = Math.sqrt(dot(v, v));
        if (!(norm > 0)) {
            throw new IllegalArgumentException("the start vector is zero");
        }
        scale(v, 1 / norm);
        double[] w = new double[n];
        int steps = 0;
        for (int j = 0; j < m; j++) {
            q[j] = v;
            h.apply(v, w);
            steps++;
            alpha[j] = dot(w, v);
            for (int pass = 0; pass < 2; pass++) { // full reorthogonalisation, twice ("twice is enough")
                for (int i = 0; i <= j; i++) {
                    double c = dot(w, q[i]);
                    axpy(w, -c, q[i]);
                }
            }
            if (j == m - 1) {
                break;
            }
            double b = Math.sqrt(dot(w, w));
            if (b <= 1e-10 * Math.max(1, Math.abs(alpha[j]))) { // an invariant subspace: the spectrum along the start is found
                return new Run(Arrays.copyOf(alpha, j + 1), Arrays.copyOf(beta, j), Arrays.copyOf(q, j + 1), steps);
            }
            beta[j] = b;
            v = w.clone();
            scale(v, 1 / b);
        }
        return new Run(alpha, beta, q, steps);
    }

    static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller from the seeded stream
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double[] y, double a, double[] x) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] v, double a) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= a;
        }
    }
}
