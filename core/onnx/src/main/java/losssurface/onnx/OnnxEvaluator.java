package losssurface.onnx;

import java.util.concurrent.atomic.AtomicInteger;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;

/** ONNX models' surfaces: the points shared out among one ONNX Runtime session per worker. */
public final class OnnxEvaluator implements SurfaceEvaluator {

    /** The name recorded with surfaces it computes. */
    public static final String NAME = "onnx";

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
        AtomicInteger sessions = new AtomicInteger();
        return new Prepared() {
            @Override
            public Worker worker() {
                OnnxObjective.Worker session = o.worker(sessions.getAndIncrement());
                float[] p = new float[grid.centre().length];
                return (i, j) -> {
                    grid.point(i, j, p);
                    return session.evaluate(p);
                };
            }

            @Override
            public String note() {
                int n = sessions.get();
                return n + " ONNX Runtime session" + (n == 1 ? "" : "s") + " (one per thread), batches of " + o.batch() + " examples,"
                        + " parameters fed as graph inputs";
            }
        };
    }
}
