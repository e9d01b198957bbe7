package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.Objective;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;

/**
 * Evaluates an objective over a line or plane, by the objective's fastest method
 * ({@link Objective#evaluateGrid}) or, with {@code surface.evaluator=plain}, point by point.
 * Records which method ran in the surface info.
 */
final class GridEvaluator {

    static final String KEY = "surface.evaluator";

    private final boolean fast;

    private GridEvaluator(boolean fast) {
        this.fast = fast;
    }

    /** Reads {@code surface.evaluator}: {@code fast} (default) or {@code plain}. */
    static GridEvaluator read(Settings settings) {
        return new GridEvaluator(settings.choice(KEY, "fast", Set.of("fast", "plain")).equals("fast"));
    }

    /**
     * grids[metric][i * betas.length + j] = metric at centre + alphas[i] d1 + betas[j] d2 (d2 null: a line).
     * Puts {@code evaluator} (and {@code evaluator-note} when the fast path was not used) into {@code info}.
     */
    Map<String, double[]> evaluate(Objective objective, GridRequest points, RunContext context, Map<String, Object> info) {
        GridRequest request = points.withThreads(context.threads());
        GridValues values;
        try (Progress.Meter meter = context.progress().meter("Surface", request.points(), "points")) {
            values = fast ? objective.evaluateGrid(request, meter) : request.evaluatePlainly(objective, meter);
        }
        info.put("evaluator", values.evaluator());
        info.put("threads", request.threads());
        if (!values.note().isEmpty()) {
            info.put("evaluator-note", values.note());
        }
        List<String> metrics = objective.metrics();
        Map<String, double[]> grids = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            grids.put(metrics.get(m), values.values()[m]);
        }
        return grids;
    }
}
