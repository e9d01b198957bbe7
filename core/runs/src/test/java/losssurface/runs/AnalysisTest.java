package losssurface.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import losssurface.api.Axis;
import losssurface.api.Cliffs;
import losssurface.api.Comparison;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.Provenance;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;

/** The analysis stage on a quadratic bowl, whose numbers are known, and the comparison's table of them. */
class AnalysisTest {

    /** f(x) = 1 + 2 x0^2 + 8 x1^2 with its gradient: the Hessian diag(4, 16). */
    static Objective bowl(boolean gradients) {
        return new Objective() {
            public ParameterLayout layout() {
                return ParameterLayout.flat(2);
            }

            public List<String> metrics() {
                return List.of("loss");
            }

            public double[] evaluate(float[] p) {
                return new double[] {1 + 2 * p[0] * p[0] + 8 * p[1] * p[1]};
            }

            @Override
            public boolean hasGradient() {
                return gradients;
            }

            @Override
            public float[] gradient(float[] p) {
                return new float[] {4 * p[0], 16 * p[1]};
            }
        };
    }

    /** The bowl's surface on [-1, 1]^2 along the unit axes. */
    static Surface surface(Objective o, int n) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1 + 2.0 * i / (n - 1);
        }
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = o.evaluate(new float[] {(float) xs[i], (float) xs[j]})[0];
            }
        }
        return new Surface("bowl", List.of(new Axis("alpha", "d1", xs), new Axis("beta", "d2", xs)), Map.of("loss", g),
                new float[2], List.of(new Direction("direction-1", new float[] {1, 0}), new Direction("direction-2", new float[] {0, 1})),
                List.of(), Map.of());
    }

    static Analysis analysis(String... pairs) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return new Analysis(Analysis.Config.read(Settings.of(settings)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySurfaceGetsItsSharpnessAndCurvatureOnAsked() {
        Objective o = bowl(true);
        Analysis.Outcome out = analysis("curvature", "on", "curvature.trace-tolerance", "0", "curvature.trace-samples", "10")
                .run(surface(o, 101), o, RunContext.quiet(3));
        Map<String, Object> sharp = (Map<String, Object>) out.surface().info().get(Surface.SHARPNESS);
        assertThat((double) sharp.get("centre-loss")).isEqualTo(1.0);
        // doubles where 2 a^2 = 1 and 8 b^2 = 1
        Map<String, Object> basin = (Map<String, Object>) sharp.get("basin-radius");
        assertThat((double) basin.get("direction-1")).isCloseTo(Math.sqrt(0.5), within(2e-3));
        assertThat((double) basin.get("direction-2")).isCloseTo(Math.sqrt(0.125), within(2e-3));
        // the mean of 2 r^2 cos^2 + 8 r^2 sin^2 over the circle: 5 r^2
        assertThat(((Map<String, Double>) sharp.get("average-direction")).get("0.25")).isCloseTo(5 * 0.0625, within(1e-3));
        // the box corner at theta = 0: (2 + 8) eps^2 / (1 + 1) * 100
        assertThat((double) sharp.get("epsilon-sharpness")).isCloseTo(10 * 1e-6 / 2 * 100, within(1e-6));
        Map<String, Object> curvature = (Map<String, Object>) out.surface().info().get(Surface.CURVATURE);
        assertThat((List<Double>) curvature.get("eigenvalues")).hasSize(2);
        assertThat(((List<Double>) curvature.get("eigenvalues")).get(0)).isCloseTo(16, within(1e-3));
        assertThat((double) curvature.get("trace")).isCloseTo(20, within(1e-3));
        assertThat(out.arrays()).containsKeys("eigenvectors", "esd");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutGradientsTheSurfacesNumbersStayAndTheRestSaysWhy() {
        Objective o = bowl(false);
        Analysis.Outcome out = analysis("curvature", "on").run(surface(o, 21), o, RunContext.quiet(3));
        Map<String, Object> sharp = (Map<String, Object>) out.surface().info().get(Surface.SHARPNESS);
        assertThat(sharp).containsKey("basin-radius").containsEntry("epsilon-sharpness", null);
        assertThat((String) sharp.get("epsilon-sharpness-about")).contains("has no gradients");
        Map<String, Object> curvature = (Map<String, Object>) out.surface().info().get(Surface.CURVATURE);
        assertThat(curvature).containsEntry("measured", false);
        assertThat(out.arrays()).isEmpty();
    }

    @Test
    void anAscentPastTheBudgetIsSkippedWithTheSettingThatAllowsIt() {
        Objective slow = new Objective() {
            public ParameterLayout layout() {
                return ParameterLayout.flat(2);
            }

            public List<String> metrics() {
                return List.of("loss");
            }

            public double[] evaluate(float[] p) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return bowl(true).evaluate(p);
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public float[] gradient(float[] p) {
                throw new AssertionError("the ascent must not start");
            }
        };
        Analysis.Outcome out = analysis("sharpness.budget", "0.1").run(surface(bowl(true), 21), slow, RunContext.quiet(3));
        @SuppressWarnings("unchecked")
        Map<String, Object> sharp = (Map<String, Object>) out.surface().info().get(Surface.SHARPNESS);
        assertThat((String) sharp.get("epsilon-sharpness-about")).contains("sharpness.budget=0.1 s").contains("--set sharpness.budget=");
    }

    @Test
    void theComparisonsTableHasARowPerRunAndADashForWhatARunLacks() {
        Objective o = bowl(true);
        Surface measured = analysis("curvature", "on").run(surface(o, 21), o, RunContext.quiet(3)).surface();
        Surface bare = analysis("sharpness", "off").run(surface(o, 21), o, RunContext.quiet(3)).surface();
        Findings f = new Findings(new Comparison(List.of(result("a", measured, Map.of("eval-return-mean", 500.0)),
                result("b", bare, Map.of()))));
        assertThat(f.header()).contains("top eigenvalue", "greedy return at \u03b8*");
        assertThat(f.rows()).hasSize(2);
        assertThat(f.rows().get(0).get(2)).isEqualTo("16.00");
        assertThat(f.rows().get(0).get(f.header().size() - 1)).isEqualTo("500.0");
        assertThat(f.rows().get(1).subList(1, f.header().size())).containsOnly("\u2013");
        assertThat(f.lines()).hasSize(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReturnSurfaceGetsItsCliffsAsAGridAndInNumbersAndTheTableShowsThemWithTheSpread() {
        // an agent's return: 500 on a plateau about theta*, 20 beyond a = 0.3; the episodes spread 0 on it, 40 off it
        int n = 21;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1 + 2.0 * i / (n - 1);
        }
        Map<String, double[]> grids = new java.util.LinkedHashMap<>();
        for (String metric : List.of("return", "return-std", "return-min")) {
            grids.put(metric, new double[n * n]);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean on = xs[i] < 0.3;
                grids.get("return")[i * n + j] = on ? 500 : 20;
                grids.get("return-std")[i * n + j] = on ? 0 : 40;
                grids.get("return-min")[i * n + j] = on ? 500 : 9;
            }
        }
        Surface s = new Surface("return", List.of(new Axis("alpha", "d1", xs), new Axis("beta", "d2", xs)), grids, new float[2],
                List.of(new Direction("direction-1", new float[] {1, 0}), new Direction("direction-2", new float[] {0, 1})),
                List.of(), Map.of());
        Objective greedy = Objective.of(ParameterLayout.flat(2), "return", p -> 500);
        Surface out = analysis().run(s, greedy, RunContext.quiet(3)).surface();
        assertThat(out.metrics()).containsExactly("return", "return-std", "return-min", Cliffs.METRIC);
        assertThat(out.grid(Cliffs.METRIC)).isEqualTo(Cliffs.of(s, "return").grid());
        Map<String, Object> cliffs = (Map<String, Object>) out.info().get(Surface.CLIFFS);
        assertThat(cliffs).containsEntry("count", n).containsEntry("cliffs-within-radius", 3).containsEntry("points-within-radius", 21);
        // a loss surface has none
        assertThat(analysis().run(surface(bowl(true), 21), bowl(true), RunContext.quiet(3)).surface().info()).doesNotContainKey(Surface.CLIFFS);

        Findings f = new Findings(new Comparison(List.of(result("q", out, Map.of()), result("d", out, Map.of()))));
        int spread = f.header().indexOf("return spread at \u03b8* (std / min)");
        assertThat(f.rows().get(0).get(spread)).isEqualTo("0.000 / 500.0");
        assertThat(f.rows().get(0).get(spread + 1)).isEqualTo("21 of 441 (14% of 21)");
    }

    static RunResult result(String name, Surface s, Map<String, Object> summary) {
        TrainedModel model = TrainedModel.of(new float[2], ParameterLayout.flat(2), TrainingHistory.empty(), summary);
        return new RunResult(name, s, model, new Provenance("bowl", "none", "random-plane", Map.of(), 3, Map.of(), Map.of(), Map.of()));
    }
}
