package losssurface.api;

/**
 * The extension point for surface evaluators (e.g. {@code fast-mlp}): the module that owns a kind
 * of model provides the evaluator that computes its surfaces fastest. The surface job tries the
 * installed evaluators by descending {@link #priority()} and uses the first that can compute the
 * objective, or the plain method. See {@link PluginProvider} for what every provider has.
 */
public interface EvaluatorProvider extends PluginProvider<SurfaceEvaluator> {

    /** Higher is tried first; the built-in plain method comes after every provider. Default 10. */
    default int priority() {
        return 10;
    }

    @Override
    SurfaceEvaluator create(Settings settings);
}
