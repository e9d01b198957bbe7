package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.api.Objective;
import losssurface.api.Progress;

/** Evaluates an objective at every point of a line or plane, reporting progress. */
final class GridEvaluator {
    private GridEvaluator() {
    }

    /** grids[metric][i * betas.length + j] = metric at centre + alphas[i] d1 + betas[j] d2. */
    static Map<String, double[]> plane(Objective objective, float[] centre, float[] d1, double[] alphas, float[] d2,
                                       double[] betas, Progress progress) {
        return evaluate(objective, centre, d1, alphas, d2, betas, progress);
    }

    /** grids[metric][i] = metric at centre + alphas[i] d. */
    static Map<String, double[]> line(Objective objective, float[] centre, float[] d, double[] alphas, Progress progress) {
        return evaluate(objective, centre, d, alphas, null, new double[] {0}, progress);
    }

    private static Map<String, double[]> evaluate(Objective objective, float[] centre, float[] d1, double[] alphas,
                                                  float[] d2, double[] betas, Progress progress) {
        List<String> metrics = objective.metrics();
        int cells = alphas.length * betas.length;
        double[][] values = new double[metrics.size()][cells];
        float[] point = new float[centre.length];
        try (Progress.Meter meter = progress.meter("Surface", cells, "points")) {
            for (int i = 0; i < alphas.length; i++) {
                for (int j = 0; j < betas.length; j++) {
                    Directions.point(centre, d1, alphas[i], d2, betas[j], point);
                    double[] v = objective.evaluate(point);
                    if (v.length != metrics.size()) {
                        throw new IllegalStateException("Objective returned " + v.length + " values for metrics " + metrics);
                    }
                    int cell = i * betas.length + j;
                    for (int m = 0; m < v.length; m++) {
                        values[m][cell] = v[m];
                    }
                    meter.update(cell + 1, String.format(Locale.ROOT, "%s %.4g", metrics.get(0), v[0]));
                }
            }
        }
        Map<String, double[]> grids = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            grids.put(metrics.get(m), values[m]);
        }
        return grids;
    }
}
