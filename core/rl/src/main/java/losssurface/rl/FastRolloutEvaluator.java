package losssurface.rl;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;
import losssurface.nn.dense.DenseNet;

/**
 * The return surface with the greedy policy computed in plain Java from each point's parameter
 * vector ({@link DenseNet#greedy}), without a library call per step. The episodes are those of
 * {@link ReturnObjective#evaluate}, played the same way; where the two largest Q values are too
 * close for the double computation to be sure how the library's float arithmetic orders them,
 * that step is decided by the library itself (a referee network per worker), as
 * {@link ReturnObjective#evaluate} decides it, so both give the same greedy actions and the same
 * surface. Applies to Q-networks that are plain dense stacks.
 */
public final class FastRolloutEvaluator implements SurfaceEvaluator {

    /** The name recorded with surfaces it computes. */
    public static final String NAME = "fast-rollout";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Support support(Objective objective) {
        if (!(objective instanceof ReturnObjective r)) {
            return Support.NOT_ITS_KIND;
        }
        return DenseNet.unsupported(r.layout()).map(why -> Support.no("the Q-network is not a plain dense network: " + why))
                .orElse(Support.YES);
    }

    @Override
    public Prepared prepare(Objective objective, GridRequest grid) {
        ReturnObjective o = (ReturnObjective) objective;
        DenseNet forward = DenseNet.of(o.layout());
        LongAdder steps = new LongAdder();
        LongAdder referred = new LongAdder();
        return new Prepared() {
            @Override
            public Worker worker() {
                MultiLayerNetwork referee = o.network().clone();
                float[] p = new float[grid.centre().length];
                Rollouts.Policy library = Rollouts.byNetwork(referee);
                boolean[] refereeHasPoint = new boolean[1];
                Rollouts.Policy policy = Rollouts.onEngine(forward, p, () -> {
                    if (!refereeHasPoint[0]) { // the referee gets the point's parameters when first asked
                        INDArray flat = Nd4j.createFromArray(p);
                        referee.params().assign(flat);
                        flat.close();
                        refereeHasPoint[0] = true;
                    }
                    return library;
                }, steps, referred);
                return (i, j) -> {
                    grid.point(i, j, p);
                    refereeHasPoint[0] = false;
                    Rollouts.Result r = Rollouts.greedy(policy, o.environments(), o.seed(), o.episodes(), ReturnObjective.MAX_STEPS);
                    return r.metrics();
                };
            }

            @Override
            public String note() {
                return String.format(Locale.ROOT, "%d of %d greedy steps were near ties settled by DL4J's own forward pass",
                        referred.sum(), steps.sum());
            }
        };
    }
}
