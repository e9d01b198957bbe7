package losssurface.api;

/**
 * Metric values over a grid.
 *
 * @param values    {@code values[metric][i * betas.length + j]}, metrics in the objective's order
 * @param evaluator which method computed them: {@code plain} or the name of a faster one
 * @param note      why a faster method was not used, or empty
 */
public record GridValues(double[][] values, String evaluator, String note) {
    public GridValues {
        java.util.Objects.requireNonNull(values, "values");
        java.util.Objects.requireNonNull(evaluator, "evaluator");
        note = note == null ? "" : note;
    }
}
