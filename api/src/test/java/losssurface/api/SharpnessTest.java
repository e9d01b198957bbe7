package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


/** The sharpness numbers and the curvature measurement on functions whose answers are known in closed form. */
class SharpnessTest {

    /** f(a, b) = 1 + a^2 + 4 b^2 on a fine grid over [-1, 1]^2. */
    static Surface bowl(int points) {
        double[] xs = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = -1 + 2.0 * i / (points - 1);
        }
        double[] g = new double[points * points];
        for (int i = 0; i < points; i++) {
            for (int j = 0; j < points; j++) {
                g[i * points + j] = 1 + xs[i] * xs[i] + 4 * xs[j] * xs[j];
            }
        }
        return new Surface("bowl", List.of(new Axis("alpha", "a", xs), new Axis("beta", "b", xs)), Map.of("loss", g),
                new float[2], List.of(new Direction("direction-1", new float[] {1, 0}), new Direction("direction-2", new float[] {0, 1})),
                List.of(), Map.of());
    }

    @Test
    void theSurfaceGivesTheAverageIncreaseAndTheBasinRadius() {
        Sharpness.FromSurface s = Sharpness.fromSurface(bowl(201));
        assertThat(s.centre()).isEqualTo(1.0);
        // the mean of r^2 cos^2 + 4 r^2 sin^2 over the circle is 2.5 r^2 (bilinear interpolation adds at most h^2/4)
        for (double r : Sharpness.RADII) {
            assertThat(s.average().get(r)).isCloseTo(2.5 * r * r, within(3e-4));
        }
        // the loss doubles (reaches 2) at a = 1 along d1 (the grid's edge) and at b = 0.5 along d2
        assertThat(s.basin().get(0).orElseThrow()).isCloseTo(1.0, within(1e-3));
        assertThat(s.basin().get(1).orElseThrow()).isCloseTo(0.5, within(1e-3));
    }

    @Test
    void aBasinWiderThanTheGridHasNoRadius() {
        Surface s = bowl(21);
        double[] g = s.grid("loss").clone();
        for (int i = 0; i < g.length; i++) {
            g[i] = 10 + (g[i] - 1) * 0.1; // never doubles within [-1, 1]
        }
        Surface flat = new Surface("flat", s.axes(), Map.of("loss", g), s.centre(), s.directions(), List.of(), Map.of());
        Sharpness.FromSurface f = Sharpness.fromSurface(flat);
        assertThat(f.basin().get(0)).isEmpty();
        assertThat(f.extent()).containsExactly(1.0, 1.0);
    }

    /** f(x) = 1/2 sum lambda_i x_i^2 + c, its gradient lambda_i x_i. */
    static Objective quadratic(double[] lambda, double c) {
        return new Objective() {
            public ParameterLayout layout() {
                return ParameterLayout.flat(lambda.length);
            }

            public List<String> metrics() {
                return List.of("loss");
            }

            public double[] evaluate(float[] p) {
                double f = c;
                for (int i = 0; i < p.length; i++) {
                    f += 0.5 * lambda[i] * p[i] * p[i];
                }
                return new double[] {f};
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public float[] gradient(float[] p) {
                float[] g = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    g[i] = (float) (lambda[i] * p[i]);
                }
                return g;
            }
        };
    }

    @Test
    void epsilonSharpnessOfAQuadraticIsItsValueAtTheBoxCorner() {
        double[] lambda = {4, 1, 0.5};
        double c = 0.25;
        double eps = 1e-2;
        // at theta = 0 the box is |y_i| <= eps (|0| + 1); the maximum is at a corner: 1/2 eps^2 sum lambda
        Sharpness.Ascent a = Sharpness.ascent(quadratic(lambda, c), new float[3], eps, false, 10, 7);
        double expected = 0.5 * eps * eps * 5.5 / (1 + c) * 100;
        assertThat(a.sharpness()).isCloseTo(expected, within(1e-4 * expected));
        // the adaptive box at theta_i: |y_i| <= eps |theta_i|; the corner away from 0 gives the most
        float[] theta = {1, -2, 0};
        Sharpness.Ascent adaptive = Sharpness.ascent(quadratic(lambda, c), theta, eps, true, 10, 7);
        double f0 = c + 0.5 * (4 * 1 + 1 * 4);
        double f1 = c + 0.5 * (4 * 1.01 * 1.01 + 1 * 2.02 * 2.02);
        assertThat(adaptive.centre()).isCloseTo(f0, within(1e-6));
        assertThat(adaptive.sharpness()).isCloseTo((f1 - f0) / (1 + f0) * 100, within(1e-4));
    }

    @Test
    void curvatureOfAQuadraticIsExactAndItsDensityHasTheSpectrumsMoments() {
        double[] lambda = {5, 3, 3, 1, 0.5, -0.5};
        Curvature.Result r = Curvature.measure(quadratic(lambda, 0), new float[6],
                new Curvature.Config(6, 3, 20, 0.0, 1, 1e-2, Curvature.Products.AUTO, java.util.OptionalLong.of(3)), 1,
                Progress.silent(), "test.products");
        assertThat(r.eigenvalues()).containsExactly(new double[] {5, 3, 3}, within(1e-6));
        assertThat(r.trace().trace()).isCloseTo(12, within(1e-6)); // Rademacher samples are exact for a diagonal Hessian
        assertThat(r.method()).startsWith("central differences");
        assertThat(r.eigenvectors()).hasNumberOfRows(3);
        // the density integrates to one and has the spectrum's mean and second moment
        double[][] d = r.density();
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        for (int g = 1; g < d.length; g++) {
            double dx = d[g][0] - d[g - 1][0];
            m0 += d[g][1] * dx;
            m1 += d[g][0] * d[g][1] * dx;
            m2 += d[g][0] * d[g][0] * d[g][1] * dx;
        }
        assertThat(m0).isCloseTo(1, within(1e-3));
        assertThat(m1).isCloseTo(12.0 / 6, within(1e-3));
        assertThat(m2).isCloseTo((25 + 9 + 9 + 1 + 0.25 + 0.25) / 6, within(1e-2));
        assertThat(r.arrays()).containsKeys(Curvature.EIGENVECTORS, Curvature.DENSITY);
    }

    @Test
    void anObjectiveWithoutGradientsIsRefusedWithTheEstimatesThatNeedNone() {
        Objective onnxLike = Objective.of(ParameterLayout.flat(2), "loss", p -> p[0] * p[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Curvature.products(onnxLike, new float[2],
                        Curvature.Products.AUTO, 1e-2, "curvature.products"))
                .hasMessageContaining("has none").hasMessageContaining("sharpness");
    }
}
