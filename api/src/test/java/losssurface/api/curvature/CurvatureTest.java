package losssurface.api.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Lanczos, Hutchinson and the spectral density on analytic quadratics, whose Hessian is a known matrix. */
class CurvatureTest {

    /** Q diag(eigenvalues) Q^T for a seeded random orthogonal Q (Gram-Schmidt of Gaussian columns). */
    static double[][] symmetric(double[] eigenvalues, long seed) {
        int n = eigenvalues.length;
        double[][] q = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] v = Lanczos.gaussian(n, seed + j);
            for (int i = 0; i < j; i++) {
                double c = Lanczos.dot(v, q[i]);
                for (int p = 0; p < n; p++) {
                    v[p] -= c * q[i][p];
                }
            }
            double norm = Math.sqrt(Lanczos.dot(v, v));
            for (int p = 0; p < n; p++) {
                v[p] /= norm;
            }
            q[j] = v;
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k][i] * eigenvalues[k] * q[k][j];
                }
                a[i][j] = s;
            }
        }
        return a;
    }

    static final double[] SPECTRUM = {9, 4.5, 4.4, 2, 1, 0.5, 0.25, 0, -0.3, -1.2, 0.1, 0.2, 0.3, 0.05, 3};

    @Test
    void theTridiagonalSolverFindsKnownEigenvalues() {
        // the 1-D Laplacian: 2 on the diagonal, -1 beside it; eigenvalues 2 - 2 cos(k pi / (n + 1))
        int n = 12;
        double[] d = new double[n];
        double[] e = new double[n - 1];
        Arrays.fill(d, 2);
        Arrays.fill(e, -1);
        Tridiagonal.Eigen eigen = Tridiagonal.eigen(d, e);
        for (int k = 1; k <= n; k++) {
            assertThat(eigen.values()[k - 1]).isCloseTo(2 - 2 * Math.cos(k * Math.PI / (n + 1)), within(1e-12));
        }
    }

    @Test
    void lanczosIsExactOnAQuadraticWithAsManyStepsAsParameters() {
        HessianOperator h = HessianOperator.of(symmetric(SPECTRUM, 5));
        Lanczos.Top top = Lanczos.top(h, 5, SPECTRUM.length, 1);
        double[] sorted = SPECTRUM.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < 5; k++) {
            assertThat(top.values()[k]).isCloseTo(sorted[sorted.length - 1 - k], within(1e-10));
        }
        assertThat(top.products()).isEqualTo(SPECTRUM.length);
        // the near pair 4.5 and 4.4 is told apart, each with its own vector
        assertThat(Math.abs(Lanczos.dot(top.vectors()[1], top.vectors()[2]))).isLessThan(1e-8);
    }

    @Test
    void hutchinsonsTraceIsExactOnADiagonalAndWithinItsErrorOtherwise() {
        double trace = Arrays.stream(SPECTRUM).sum();
        double[][] diagonal = new double[SPECTRUM.length][SPECTRUM.length];
        for (int i = 0; i < SPECTRUM.length; i++) {
            diagonal[i][i] = SPECTRUM[i];
        }
        Hutchinson.Estimate exact = Hutchinson.trace(HessianOperator.of(diagonal), new int[0][], 0.01, 2, 10, 3);
        assertThat(exact.trace()).isCloseTo(trace, within(1e-12)); // v^T D v is the trace for any signs
        assertThat(exact.samples()).isEqualTo(2);
        Hutchinson.Estimate estimate = Hutchinson.trace(HessianOperator.of(symmetric(SPECTRUM, 5)), new int[][] {{0, 7}, {7, 15}},
                0.02, 10, 5000, 3);
        assertThat(Math.abs(estimate.trace() - trace)).isLessThan(3 * estimate.stderr());
        assertThat(estimate.stderr()).isLessThanOrEqualTo(0.02 * Math.abs(estimate.trace()));
    }

    @Test
    void theDensitysMomentsAreTheSpectrums() {
        double[][] a = symmetric(SPECTRUM, 9);
        HessianOperator h = HessianOperator.of(a);
        int n = SPECTRUM.length;
        double first = Arrays.stream(SPECTRUM).sum() / n;
        double second = Arrays.stream(SPECTRUM).map(x -> x * x).sum() / n;
        // quadrature moments per start vector: exact in expectation
        SplittableRandom r = new SplittableRandom(4);
        int vectors = 400;
        double[] m1 = new double[vectors];
        double[] m2 = new double[vectors];
        for (int s = 0; s < vectors; s++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextBoolean() ? 1 : -1;
            }
            Lanczos.Quadrature q = Lanczos.quadrature(h, v, n);
            assertThat(Arrays.stream(q.weights()).sum()).isCloseTo(1, within(1e-10));
            for (int j = 0; j < q.nodes().length; j++) {
                m1[s] += q.weights()[j] * q.nodes()[j];
                m2[s] += q.weights()[j] * q.nodes()[j] * q.nodes()[j];
            }
        }
        assertThat(Math.abs(mean(m1) - first)).isLessThan(3 * stderr(m1));
        assertThat(Math.abs(mean(m2) - second)).isLessThan(3 * stderr(m2));
        // the smoothed density integrates to one over a grid that covers the spectrum
        double[] grid = new double[2001];
        for (int g = 0; g < grid.length; g++) {
            grid[g] = -3 + 15.0 * g / (grid.length - 1);
        }
        double[] density = Hutchinson.density(h, 10, n, grid, 0.01, 2);
        double integral = 0;
        for (int g = 1; g < grid.length; g++) {
            integral += (density[g] + density[g - 1]) / 2 * (grid[g] - grid[g - 1]);
        }
        assertThat(integral).isCloseTo(1, within(1e-3));
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    static double stderr(double[] x) {
        double m = mean(x);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1) / x.length);
    }
}
