package losssurface.rl;

import losssurface.api.EvaluatorProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceEvaluator;

/** Provides {@value FastRolloutEvaluator#NAME}: greedy return surfaces played on the dense engine. */
public final class FastRolloutEvaluatorProvider implements EvaluatorProvider {
    @Override
    public String name() {
        return FastRolloutEvaluator.NAME;
    }

    @Override
    public String description() {
        return "Greedy return surfaces of dense Q-networks, played without a library call per step (near ties settled by DL4J)";
    }

    @Override
    public SurfaceEvaluator create(Settings settings) {
        return new FastRolloutEvaluator();
    }
}
