package losssurface.onnx;

import java.util.concurrent.atomic.AtomicInteger;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;

/**
 * ONNX models' surfaces. Light models share the points among one single-thread ONNX Runtime session per worker thread;
 * heavy ones ({@value #SHARED_FROM} parameters or more) run one point at a time on a single session whose intra-op
 * threads all work on that point. On a ResNet-18 (11.2 M parameters) the single session was faster (each point's
 * convolutions split well, and two sessions' working sets compete for the caches) and held one set of activations
 * instead of one per thread; on bench's MNIST CNN (20 k parameters) two single-thread sessions were as fast as one of two
 * threads (10.5 points/s each, fed as stored), so light models keep a session per thread, which needs no threads within
 * a point.
 */
public final class OnnxEvaluator implements SurfaceEvaluator {

    /** The name recorded with surfaces it computes. */
    public static final String NAME = "onnx";

    /** Models with at least this many parameters run one point at a time on one session with every thread. */
    public static final int SHARED_FROM = 1_000_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Support support(Objective objective) {
        return objective instanceof OnnxObjective ? Support.YES : Support.NOT_ITS_KIND;
    }

    @Override
    public Prepared prepare(Objective objective, GridRequest grid) {
        OnnxObjective o = (OnnxObjective) objective;
        o.layout().requireFits(grid.centre(), "The grid centre");
        boolean shared = grid.threads() > 1 && o.layout().size() >= SHARED_FROM;
        AtomicInteger sessions = new AtomicInteger();
        return new Prepared() {
            @Override
            public int maxWorkers() {
                return shared ? 1 : Integer.MAX_VALUE;
            }

            @Override
            public Worker worker() {
                OnnxObjective.Worker session = shared ? o.shared(grid.threads()) : o.worker(sessions.getAndIncrement());
                if (shared) {
                    sessions.set(1);
                }
                return (i, j) -> session.evaluate(grid, i, j);
            }

            @Override
            public String note() {
                int n = sessions.get();
                String strategy = shared ? "one ONNX Runtime session with " + grid.threads() + " threads on each point in turn (a model of "
                        + String.format(java.util.Locale.ROOT, "%,d", o.layout().size()) + " parameters, at least " + String.format(
                        java.util.Locale.ROOT, "%,d", SHARED_FROM) + ")" : n + " ONNX Runtime session" + (n == 1 ? "" : "s")
                        + " (one per thread, one point each)";
                return strategy + ", batches of " + o.batch() + " examples, " + o.feedingNote();
            }

            /** Frees the sessions and their activations once the grid is done (what uses the objective next makes its own). */
            @Override
            public void close() {
                o.close();
            }
        };
    }
}
