package losssurface.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;

/**
 * The plain method, for any objective: set the parameters of each point (computed in double and
 * rounded once) and evaluate the objective there. Workers after the first evaluate copies of the
 * objective ({@link Objective#copy()}); an objective without copies is evaluated by one worker.
 */
final class PlainEvaluator implements SurfaceEvaluator {

    static final String NAME = "plain";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Support support(Objective objective) {
        return Support.YES;
    }

    @Override
    public Prepared prepare(Objective objective, GridRequest grid) {
        return new Prepared() {
            private final List<Objective> copies = new ArrayList<>();
            private final Optional<Objective> second = objective.copy();
            private int handedOut;

            @Override
            public int maxWorkers() {
                return second.isPresent() ? Integer.MAX_VALUE : 1;
            }

            @Override
            public synchronized Worker worker() {
                Objective own;
                if (handedOut == 0) {
                    own = objective;
                } else if (handedOut == 1 && second.isPresent()) {
                    own = second.get();
                    copies.add(own);
                } else {
                    own = objective.copy().orElseThrow(() -> new IllegalStateException("the objective gave one copy, then none"));
                    copies.add(own);
                }
                handedOut++;
                Objective evaluated = own;
                int metrics = objective.metrics().size();
                float[] p = new float[grid.centre().length];
                return (i, j) -> {
                    grid.point(i, j, p);
                    double[] v = evaluated.evaluate(p);
                    if (v.length != metrics) {
                        throw new IllegalStateException("Objective returned " + v.length + " values for metrics " + objective.metrics());
                    }
                    return v;
                };
            }

            @Override
            public void close() {
                copies.forEach(Objective::close);
                if (handedOut < 2) {
                    second.ifPresent(Objective::close);
                }
            }
        };
    }
}
