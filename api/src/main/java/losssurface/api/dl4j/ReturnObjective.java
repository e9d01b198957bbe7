package losssurface.api.dl4j;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.Progress;

/**
 * The mean episodic return of the greedy policy of Q_theta over a fixed set of seeded episodes:
 * episode i starts from {@code reset(seed + i)}, and every evaluation plays the same episodes,
 * so the surface shows how the policy changes with theta, not the luck of new episodes. Metrics:
 * {@code return} (the mean undiscounted return; higher is better, unlike a loss) and
 * {@code episode-length} (mean steps). The objective plays a private copy of the network and is
 * not thread-safe.
 */
public final class ReturnObjective implements Objective {

    /** Safety limit on one greedy episode; environments end theirs long before (CartPole: 500). */
    static final int MAX_STEPS = 1_000_000;

    private final MultiLayerNetwork net;
    private final ParameterLayout layout;
    private final Supplier<? extends Environment> environments;
    private final long seed;
    private final int episodes;

    private ReturnObjective(MultiLayerNetwork network, Supplier<? extends Environment> environments, long seed, int episodes) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(environments, "environments");
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, was " + episodes);
        }
        this.net = network.clone();
        this.layout = Layouts.of(net);
        this.environments = environments;
        this.seed = seed;
        this.episodes = episodes;
    }

    /**
     * The return objective of {@code network}'s greedy policy.
     *
     * @param environments makes fresh environments (e.g. {@code task::newEnvironment})
     * @param seed         episode i is reset with {@code seed + i}
     * @param episodes     episodes per evaluation
     */
    public static ReturnObjective of(MultiLayerNetwork network, Supplier<? extends Environment> environments, long seed,
                                     int episodes) {
        return new ReturnObjective(network, environments, seed, episodes);
    }

    /** Seed of the first episode. */
    public long seed() {
        return seed;
    }

    /** Episodes per evaluation. */
    public int episodes() {
        return episodes;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public List<String> metrics() {
        return List.of("return", "episode-length");
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "mean return of the greedy policy over %d fixed episodes (seeds %d..%d)",
                episodes, seed, seed + episodes - 1);
    }

    @Override
    public double[] evaluate(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        INDArray p = Nd4j.createFromArray(parameters);
        net.params().assign(p);
        p.close();
        Rollouts.Result r = Rollouts.greedy(net, environments, seed, episodes, MAX_STEPS);
        return new double[] {r.meanReturn(), r.meanLength()};
    }

    /**
     * The whole grid with the greedy policy computed in plain Java from each point's parameter
     * vector ({@link DenseForward}): the same episodes and the same greedy actions as
     * {@link #evaluate}, without a library call per step, on every core. Falls back to the plain
     * method for networks that are not plain dense stacks.
     */
    @Override
    public GridValues evaluateGrid(GridRequest request, Progress.Meter meter) {
        DenseForward forward = DenseForward.of(layout);
        if (forward == null) {
            return request.evaluatePlainly(this, meter, "the Q-network is not a plain dense network");
        }
        int points = request.points();
        double[][] values = new double[2][points];
        int threads = Integer.getInteger("losssurface.threads", Runtime.getRuntime().availableProcessors());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.stream.IntStream.range(0, Math.max(1, Math.min(threads, points))).parallel().forEach(t -> {
            Environment env = environments.get();
            float[] p = new float[request.centre().length];
            double[][] scratch = forward.scratch();
            for (int cell = next.getAndIncrement(); cell < points; cell = next.getAndIncrement()) {
                request.point(cell / request.betas().length, cell % request.betas().length, p);
                double total = 0;
                long steps = 0;
                for (int e = 0; e < episodes; e++) {
                    float[] obs = env.reset(seed + e);
                    for (int k = 0; k < MAX_STEPS; k++) {
                        Environment.Step step = env.step(forward.argmax(p, obs, scratch));
                        total += step.reward();
                        steps++;
                        if (step.done()) {
                            break;
                        }
                        obs = step.observation();
                    }
                }
                values[0][cell] = total / episodes;
                values[1][cell] = (double) steps / episodes;
                int finished = done.incrementAndGet();
                synchronized (meter) {
                    meter.update(finished, String.format(Locale.ROOT, "return %.1f", values[0][cell]));
                }
            }
        });
        return new GridValues(values, "fast-rollout", "");
    }
}
