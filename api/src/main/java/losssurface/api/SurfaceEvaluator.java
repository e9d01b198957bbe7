package losssurface.api;

/**
 * How the points of a surface are computed. The surface job asks each installed evaluator, in
 * order of {@link EvaluatorProvider#priority()}, whether it can compute an objective's points,
 * prepares the first that can once per surface, then has {@code threads} workers, one per thread,
 * evaluate the points of every tile. {@code plain} (set the parameters, evaluate the objective)
 * computes any objective; faster ones use what an objective offers (e.g. a multilayer perceptron's
 * first layer is affine in its weights) and must give the plain values to within 1e-4 relative.
 */
public interface SurfaceEvaluator {

    /** The name recorded with the surface, e.g. {@code fast-mlp}. */
    String name();

    /** Whether this evaluator can compute {@code objective}'s points, and if not, why. Cheap: prepares nothing. */
    Support support(Objective objective);

    /**
     * Prepares the points of {@code grid} once per surface (e.g. products shared by every point);
     * called only when {@link #support} says yes.
     */
    Prepared prepare(Objective objective, GridRequest grid);

    /**
     * Whether an evaluator can compute an objective's points.
     *
     * @param applies whether it can
     * @param why     why not, for objectives of the kind it is made for (e.g. a network with a layer it does not
     *                know), reported with the surface; empty when it applies or the objective is not of its kind
     */
    record Support(boolean applies, String why) {
        /** It can. */
        public static final Support YES = new Support(true, "");
        /** The objective is not of the kind this evaluator is made for: nothing worth reporting. */
        public static final Support NOT_ITS_KIND = new Support(false, "");

        public Support {
            java.util.Objects.requireNonNull(why, "why");
        }

        /** It is made for objectives of this kind but cannot compute this one, because {@code why}. */
        public static Support no(String why) {
            return new Support(false, why);
        }
    }

    /** An evaluation prepared for one grid: hands out workers and frees what it holds when closed. */
    interface Prepared extends AutoCloseable {

        /** At most this many workers give different threads work (e.g. 1 for an objective that cannot be copied). */
        default int maxWorkers() {
            return Integer.MAX_VALUE;
        }

        /** A worker for one thread, with buffers of its own. */
        Worker worker();

        /** What the values should say about how they were computed (e.g. near ties settled), read after the last point; or empty. */
        default String note() {
            return "";
        }

        @Override
        default void close() {
        }
    }

    /** One thread's evaluation of the grid's points. */
    interface Worker extends AutoCloseable {

        /** Every metric at point (i, j): {@code centre + alphas[i] d1 + betas[j] d2}, the objective's metrics in order. */
        double[] point(int i, int j);

        @Override
        default void close() {
        }
    }
}
