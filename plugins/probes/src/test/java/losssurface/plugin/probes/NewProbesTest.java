package losssurface.plugin.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeProvider;
import losssurface.api.Surface;
import losssurface.api.io.Npy;

/** trajectory-pca, interpolate and hessian on objectives whose answers are known exactly. */
class NewProbesTest {

    @TempDir
    Path tmp;

    static Surface probe(String name, Map<String, String> settings, Objective objective, float[] centre, List<float[]> checkpoints) {
        return Probes.run(name, settings, objective, centre, checkpoints, 3);
    }

    static Bowl diagonalBowl(double... c) {
        return new Bowl(ParameterLayout.flat(c.length), c, new double[c.length]);
    }

    @Test
    void everyProbeIsFound() {
        assertThat(ServiceLoader.load(ProbeProvider.class).stream().map(p -> p.get().name()).sorted().toList())
                .containsExactly("convexity", "hessian", "interpolate", "random-line", "random-plane", "trajectory-pca");
    }

    @Test
    void hessianFindsTheTwoLargestCurvaturesOfAKnownQuadratic() {
        // H = diag(1, 1, 2, 10, 1, 4, 1, 1): top eigenvalues 10 (e_3) and 4 (e_5)
        Bowl bowl = diagonalBowl(1, 1, 2, 10, 1, 4, 1, 1);
        float[] centre = new float[8];
        Surface s = probe("hessian", Map.of("hessian.grid", "5", "hessian.iterations", "200"), bowl, centre, List.of());
        @SuppressWarnings("unchecked")
        List<Double> lambdas = (List<Double>) s.info().get("eigenvalues");
        assertThat(lambdas.get(0)).isCloseTo(10, within(1e-4));
        assertThat(lambdas.get(1)).isCloseTo(4, within(1e-4));
        float[] v1 = s.directions().get(0).values();
        float[] v2 = s.directions().get(1).values();
        assertThat(Math.abs(v1[3])).isCloseTo(1f, within(1e-3f));
        assertThat(Math.abs(v2[5])).isCloseTo(1f, within(1e-3f));
        // along unit eigenvectors the bowl is 1/2 lambda a^2 + 1/2 mu b^2
        double[] as = s.axes().get(0).values();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(s.value("loss", i, j)).isCloseTo(0.5 * 10 * as[i] * as[i] + 0.5 * 4 * as[j] * as[j], within(1e-3));
            }
        }
        assertThat(s.axes().get(0).label()).isEqualTo("Hessian eigenvector 1 (lambda 10.00)");
        // the curvature summary: the top five eigenvalues, and Hutchinson's trace, which is exact for a diagonal Hessian
        Map<String, Object> curvature = ((losssurface.api.Curvature.Result) s.info().get(Surface.CURVATURE)).json();
        @SuppressWarnings("unchecked")
        List<Double> top = (List<Double>) curvature.get("eigenvalues");
        assertThat(top).hasSize(5);
        double[] expected = {10, 4, 2, 1, 1};
        for (int k = 0; k < 5; k++) {
            assertThat(top.get(k)).isCloseTo(expected[k], within(1e-4));
        }
        assertThat((double) curvature.get("trace")).isCloseTo(21, within(1e-4));
        assertThat((int) curvature.get("trace-samples")).isEqualTo(losssurface.api.Curvature.MIN_TRACE_SAMPLES);
        @SuppressWarnings("unchecked")
        Map<String, Double> blocks = (Map<String, Double>) curvature.get("block-trace");
        assertThat(blocks.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(21, within(1e-4));
        assertThat((String) curvature.get("method")).startsWith("central differences of gradients");
        assertThat(s.info()).containsEntry("products", "differences");
    }

    @Test
    void theConvexityMapOfAQuadraticIsItsEigenvalueRatioEverywhereOnTheRandomPlane() {
        // H = diag(4, -1, 2) at every point: |lambda_min / lambda_max| = 0.25
        Bowl saddle = diagonalBowl(4, -1, 2);
        float[] centre = {0.5f, -0.25f, 1};
        Surface s = probe("convexity", Map.of("convexity.grid", "5"), saddle, centre, List.of());
        assertThat(s.metrics()).containsExactly("loss", "convexity", "lambda-min", "lambda-max");
        assertThat(s.axes().get(0).size()).isEqualTo(5);
        for (double v : s.grid("convexity")) {
            assertThat(v).isCloseTo(0.25, within(1e-4));
        }
        for (double v : s.grid("lambda-max")) {
            assertThat(v).isCloseTo(4, within(1e-3));
        }
        // the same plane as random-plane's with the same seed and normalisation
        Surface plane = probe("random-plane", Map.of("plane.grid", "5"), saddle, centre, List.of());
        assertThat(s.directions()).isEqualTo(plane.directions());
        assertThat(s.grid("loss")).containsExactly(plane.grid("loss"), within(1e-12));
        // the default grid is the coarse 11 x 11
        assertThat(new ConvexityProvider().create(losssurface.api.Settings.empty()).size().orElseThrow().points()).isEqualTo(121);
    }

    @Test
    void hessianOfARotatedQuadraticMatchesItsEigenDecomposition() {
        // f = 1/2 x^T A x with A = [[3, 1], [1, 3]] plus a flat third axis: eigenpairs 4 (1,1)/sqrt2 and 2 (1,-1)/sqrt2
        Objective rotated = new Objective() {
            public ParameterLayout layout() {
                return ParameterLayout.flat(3);
            }

            public List<String> metrics() {
                return List.of("loss");
            }

            public double[] evaluate(float[] p) {
                return new double[] {0.5 * (3 * p[0] * p[0] + 2 * p[0] * p[1] + 3 * p[1] * p[1]) + 0.1 * p[2] * p[2]};
            }

            public boolean hasGradient() {
                return true;
            }

            public float[] gradient(float[] p) {
                return new float[] {3 * p[0] + p[1], p[0] + 3 * p[1], 0.2f * p[2]};
            }
        };
        Surface s = probe("hessian", Map.of("hessian.grid", "3", "hessian.iterations", "300"),
                rotated, new float[] {0.5f, -0.2f, 0.1f}, List.of());
        @SuppressWarnings("unchecked")
        List<Double> lambdas = (List<Double>) s.info().get("eigenvalues");
        assertThat(lambdas.get(0)).isCloseTo(4, within(1e-4));
        assertThat(lambdas.get(1)).isCloseTo(2, within(1e-4));
        float[] v1 = s.directions().get(0).values();
        assertThat(Math.abs(v1[0] * v1[1])).isCloseTo(0.5f, within(1e-3f));
        assertThat((double) s.info().get("direction-cosine")).isCloseTo(0, within(1e-6));
    }

    @Test
    void hessianRefusesObjectivesWithoutGradients() {
        Objective noGradient = new Objective() {
            public ParameterLayout layout() {
                return ParameterLayout.flat(2);
            }

            public List<String> metrics() {
                return List.of("loss");
            }

            public double[] evaluate(float[] p) {
                return new double[] {0};
            }
        };
        assertThatThrownBy(() -> probe("hessian", Map.of(), noGradient, new float[2], List.of()))
                .isInstanceOf(LossSurfaceException.class).hasMessageContaining("The curvature needs gradients").hasMessageContaining("random-plane");
    }

    @Test
    void interpolateRunsFromTheFirstCheckpointToThetaStarAndBeyond() {
        Bowl bowl = diagonalBowl(1, 2, 3, 4);
        float[] start = {1, 1, 1, 1};
        float[] centre = {0.2f, -0.1f, 0.3f, 0};
        Surface s = probe("interpolate", Map.of("interpolate.points", "9"), bowl, centre, List.of(start, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, centre));
        double[] ts = s.axes().get(0).values();
        assertThat(ts).containsExactly(-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5);
        for (int i = 0; i < ts.length; i++) {
            float[] d = new float[4];
            for (int k = 0; k < 4; k++) {
                d[k] = centre[k] - start[k];
            }
            assertThat(s.value("loss", i, 0)).isCloseTo(bowl.exact(start, d, ts[i], null, 0), within(1e-6));
        }
        assertThat(s.value("loss", 2, 0)).isCloseTo(bowl.evaluate(start)[0], within(1e-6));
        assertThat(s.value("loss", 6, 0)).isCloseTo(bowl.evaluate(centre)[0], within(1e-6));
        assertThat(s.info()).containsEntry("method", "interpolate").containsEntry("to", "theta* (trained parameters)");
    }

    @Test
    void interpolateBetweenTwoSavedVectors() throws Exception {
        Bowl bowl = diagonalBowl(1, 1, 1);
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        Npy.write(a, new NamedArray(new int[] {3}, new float[] {1, 0, 0}));
        Npy.write(b, new NamedArray(new int[] {3}, new double[] {0, 1, 0}));
        Surface s = probe("interpolate", Map.of("interpolate.from", a.toString(), "interpolate.to", b.toString(),
                "interpolate.points", "3", "interpolate.range", "0:1"), bowl, new float[3], List.of());
        // f = 1/2 |(1 - t, t, 0)|^2: 0.5, 0.25, 0.5
        assertThat(s.grid("loss")).containsExactly(new double[] {0.5, 0.25, 0.5}, within(1e-7));

        Path wrong = tmp.resolve("wrong.npy");
        Npy.write(wrong, new NamedArray(new int[] {2}, new float[] {1, 2}));
        assertThatThrownBy(() -> probe("interpolate", Map.of("interpolate.from", wrong.toString()), bowl, new float[3], List.of()))
                .hasMessageContaining("holds 2 values but the model has 3 parameters");
        assertThatThrownBy(() -> probe("interpolate", Map.of(), bowl, new float[3], List.of()))
                .hasMessageContaining("this model has no training checkpoints. Set interpolate.from=FILE.npy");
        assertThatThrownBy(() -> probe("interpolate", Map.of("interpolate.from", tmp.resolve("missing.npy").toString()), bowl, new float[3], List.of()))
                .hasMessageContaining("is not a file");
    }

    @Test
    void trajectoryPcaRecoversThePlaneOfAPlanarPathAndProjectsThePath() {
        int n = 12;
        float[] centre = new float[n];
        Arrays.fill(centre, 0.5f);
        // path in the plane of e1 = (1,1,0,...)/sqrt2 and e2 = unit on axis 5, curving into theta*
        double s2 = Math.sqrt(2);
        List<float[]> checkpoints = new ArrayList<>();
        double[][] xy = {{3, 1}, {2.2, 1.5}, {1.5, 1.2}, {0.8, 0.6}, {0.3, 0.2}, {0, 0}};
        for (double[] p : xy) {
            float[] c = centre.clone();
            c[0] += (float) (p[0] / s2);
            c[1] += (float) (p[0] / s2);
            c[5] += (float) p[1];
            checkpoints.add(c);
        }
        Surface s = probe("trajectory-pca", Map.of("pca.grid", "5"), diagonalBowl(new double[n]), centre, checkpoints);
        float[] d1 = s.directions().get(0).values();
        float[] d2 = s.directions().get(1).values();
        // both directions lie in span{e1, e2}: no weight outside indices 0, 1, 5
        for (float[] d : List.of(d1, d2)) {
            double inPlane = d[0] * d[0] + d[1] * d[1] + d[5] * d[5];
            assertThat(inPlane).isCloseTo(1, within(1e-5));
        }
        assertThat(Directions.dot(d1, d2)).isCloseTo(0, within(1e-5));
        @SuppressWarnings("unchecked")
        List<Double> explained = (List<Double>) s.info().get("explained-variance");
        assertThat(explained.get(0) + explained.get(1)).isCloseTo(1, within(1e-9));
        assertThat(explained.get(0)).isGreaterThan(explained.get(1));
        assertThat(s.axes().get(0).label()).startsWith("PC1 (").endsWith("% of variance)");
        // the projected path keeps each checkpoint's distance to theta*, and ends at the centre
        assertThat(s.trajectory()).hasSize(xy.length);
        for (int i = 0; i < xy.length; i++) {
            double[] ab = s.trajectory().get(i);
            assertThat(Math.hypot(ab[0], ab[1])).isCloseTo(Math.hypot(xy[i][0], xy[i][1]), within(1e-5));
        }
        // auto range covers the path with the margin
        double maxA = s.trajectory().stream().mapToDouble(p -> Math.abs(p[0])).max().orElseThrow();
        assertThat(s.axes().get(0).values()[4]).isCloseTo(maxA * 1.3, within(1e-9));
    }

    @Test
    void trajectoryPcaExplainsWhatItNeeds() {
        Bowl bowl = diagonalBowl(1, 1, 1);
        assertThatThrownBy(() -> probe("trajectory-pca", Map.of(), bowl, new float[3], List.of(new float[3], new float[3])))
                .hasMessageContaining("trajectory-pca needs at least 3 training checkpoints, this model has 2.");
        List<float[]> line = List.of(new float[] {1, 0, 0}, new float[] {2, 0, 0}, new float[] {3, 0, 0});
        assertThatThrownBy(() -> probe("trajectory-pca", Map.of(), bowl, new float[3], line))
                .hasMessageContaining("the checkpoints lie on a line");
        assertThatThrownBy(() -> probe("trajectory-pca", Map.of("pca.x-range", "2:1"), bowl, new float[3], line))
                .hasMessageContaining("pca.x-range must have min < max");
    }
}
