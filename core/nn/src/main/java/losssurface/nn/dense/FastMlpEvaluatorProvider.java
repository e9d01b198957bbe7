package losssurface.nn.dense;

import losssurface.api.EvaluatorProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceEvaluator;

/** Provides {@value FastMlpEvaluator#NAME}: the surfaces of multilayer perceptrons, their first layer's products computed once per surface. */
public final class FastMlpEvaluatorProvider implements EvaluatorProvider {
    @Override
    public String name() {
        return FastMlpEvaluator.NAME;
    }

    @Override
    public String description() {
        return "Multilayer perceptrons (DL4J dense stacks, cross-entropy or MSE; TD losses of Q-networks): first-layer products once per surface";
    }

    @Override
    public SurfaceEvaluator create(Settings settings) {
        return new FastMlpEvaluator();
    }
}
