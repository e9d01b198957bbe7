package losssurface.viz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.NamedArray;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Provenance;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;

/** Synthetic runs for renderer tests: a bowl, a line, NaN cells, a trajectory. */
final class Runs {
    private Runs() {
    }

    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            ParameterBlock.denseWeights(0, 2, 2, 0, "relu"), ParameterBlock.bias(0, 2, 4, "relu")));

    static double[] linspace(double a, double b, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = a + (b - a) * i / (n - 1);
        }
        return v;
    }

    /** loss = a^2 + 2 b^2 (+ NaN where a > nanBeyond), accuracy = 1 - loss / 4. */
    static RunResult bowl(int nx, int ny, double nanBeyond, boolean trajectory) {
        double[] as = linspace(-1, 1, nx);
        double[] bs = linspace(-1, 1, ny);
        double[] loss = new double[nx * ny];
        double[] acc = new double[nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double v = as[i] * as[i] + 2 * bs[j] * bs[j];
                loss[i * ny + j] = as[i] > nanBeyond ? Double.NaN : v;
                acc[i * ny + j] = 1 - v / 4;
            }
        }
        Map<String, double[]> grids = new LinkedHashMap<>();
        grids.put("loss", loss);
        grids.put("accuracy", acc);
        List<double[]> path = new ArrayList<>();
        if (trajectory) {
            for (int k = 0; k <= 10; k++) {
                double t = 1 - k / 10.0;
                path.add(new double[] {0.8 * t * Math.cos(3 * t), 0.6 * t * Math.sin(3 * t)});
            }
        }
        Surface s = new Surface("bowl", List.of(new Axis("alpha", "direction 1", as), new Axis("beta", "direction 2", bs)),
                grids, new float[] {1, 2, 3, 4, 5, 6},
                List.of(new Direction("direction-1", new float[] {1, 0, 0, 0, 0, 0}),
                        new Direction("direction-2", new float[] {0, 1, 0, 0, 0, 0})),
                path, Map.of("method", "random-plane", "direction-cosine", 0.01, "direction-seed", 7L));
        return run(s);
    }

    static RunResult line(int n) {
        double[] as = linspace(-1, 1, n);
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            loss[i] = Math.cosh(2 * as[i]);
        }
        Surface s = new Surface("line", List.of(new Axis("alpha", "direction 1", as)), Map.of("loss", loss),
                new float[] {1, 2, 3, 4, 5, 6}, List.of(new Direction("direction-1", new float[] {1, 1, 1, 1, 1, 1})),
                List.of(), Map.of("method", "random-line"));
        return run(s);
    }

    static RunResult run(Surface s) {
        TrainedModel model = new TrainedModel() {
            public float[] parameters() {
                return s.centre();
            }

            public ParameterLayout layout() {
                return LAYOUT;
            }

            public List<float[]> checkpoints() {
                return List.of(new float[] {0, 0, 0, 0, 0, 0}, s.centre());
            }

            public TrainingHistory history() {
                return new TrainingHistory("epoch", Map.of("train-loss", new double[] {1, 0.5, 0.25}));
            }

            public Map<String, Object> summary() {
                return Map.of("test-accuracy", 0.98);
            }

            public Map<String, NamedArray> artefacts() {
                return Map.of("transitions-actions", new NamedArray(new int[] {3}, new int[] {0, 1, 1}));
            }
        };
        Provenance p = new Provenance("toy", "supervised", "random-plane", Map.of("plane.grid", "5"), 42,
                Map.of("java", "17"), Map.of("train", 1.5), Map.of("git-commit", "abc"));
        return new RunResult("toy_supervised_random-plane_1", s, model, p);
    }
}
