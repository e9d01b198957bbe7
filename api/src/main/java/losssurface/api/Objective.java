package losssurface.api;

import java.util.List;

/**
 * Scalar metrics of a flat parameter vector: the loss, and any further metric such as accuracy.
 *
 * <p>This is the seam between training and probing: a probe only ever sees an objective and a
 * centre. Anything that can score a parameter vector can be probed, including models this
 * project did not train. Implementations need not be thread-safe; probes call them from one
 * thread.
 *
 * <p>An objective may hold native resources (e.g. ONNX Runtime sessions): whoever creates one
 * closes it when the surface is done, and the runner does so for the objectives it makes.
 */
public interface Objective extends AutoCloseable {

    /** Frees what the objective holds beyond the Java heap. Default: nothing to free. */
    @Override
    default void close() {
    }

    /** The layout of the parameter vectors this objective accepts. */
    ParameterLayout layout();

    /**
     * Names of the metrics {@link #evaluate} returns, in that order. The first is the loss the
     * surface is about (e.g. {@code loss}); further ones are e.g. {@code accuracy}.
     */
    List<String> metrics();

    /**
     * Evaluates every metric at {@code parameters}. Must not modify the array. May return NaN
     * or infinity where the model diverges; probes record such cells as they are.
     *
     * @param parameters a vector of {@code layout().size()} values
     * @return one value per entry of {@link #metrics()}
     */
    double[] evaluate(float[] parameters);

    /**
     * An independent objective with the same values, for another thread, so that the plain method
     * can evaluate points side by side; empty (the default) when this objective is evaluated from
     * one thread only. The caller closes the copy.
     */
    default java.util.Optional<Objective> copy() {
        return java.util.Optional.empty();
    }

    /**
     * Whether {@link #gradient} is available. Probes that need derivatives (e.g. the Hessian
     * probe) refuse objectives without one, with a message saying so.
     */
    default boolean hasGradient() {
        return false;
    }

    /**
     * The gradient of the loss (the first metric) at {@code parameters}, in the layout's order.
     *
     * @throws UnsupportedOperationException when {@link #hasGradient()} is false
     */
    default float[] gradient(float[] parameters) {
        throw new UnsupportedOperationException("This objective (" + description() + ") has no gradient.");
    }

    /**
     * The exact Hessian of the loss (the first metric) at {@code parameters}, as products with
     * vectors, where this objective can make them (e.g. a dense network's, by the R-operator);
     * empty (the default) otherwise, and then a probe that needs curvature makes the products
     * from central differences of {@link #gradient}.
     */
    default java.util.Optional<losssurface.api.curvature.HessianOperator> hessian(float[] parameters) {
        return java.util.Optional.empty();
    }

    /**
     * An objective of one metric from any function of a flat parameter vector, e.g. a loss
     * computed by your own code.
     *
     * @param layout the vector's layout ({@link ParameterLayout#flat(int)} when it has no structure)
     * @param metric the metric's name, e.g. {@code loss}
     * @param f      the function; must not modify its argument
     */
    static Objective of(ParameterLayout layout, String metric, java.util.function.ToDoubleFunction<float[]> f) {
        java.util.Objects.requireNonNull(layout, "layout");
        java.util.Objects.requireNonNull(f, "f");
        return new Objective() {
            @Override
            public ParameterLayout layout() {
                return layout;
            }

            @Override
            public List<String> metrics() {
                return List.of(metric);
            }

            @Override
            public double[] evaluate(float[] parameters) {
                return new double[] {f.applyAsDouble(parameters)};
            }
        };
    }

    /**
     * Arrays this objective is computed over that belong with the run's files (e.g. an RL
     * objective's fixed transition set), by file name without extension. Default: none.
     */
    default java.util.Map<String, NamedArray> artefacts() {
        return java.util.Map.of();
    }

    /** One line saying what is measured, e.g. "mean cross-entropy over the 10000 MNIST test images". */
    default String description() {
        return String.join(", ", metrics());
    }

    /**
     * What the values depend on besides the parameters, as text that changes when that does (e.g.
     * the description and a checksum of the evaluation data, {@link losssurface.api.io.Checksum}).
     * A resumed surface refuses tiles computed for another identity. By default the description.
     */
    default String identity() {
        return description();
    }
}
