package losssurface.rl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.Progress;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.Layouts;

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

    /** The artefact holding each episode's first observation, {@code [episodes, observations]} float32. */
    public static final String STARTS = "episode-starts";

    /** Each episode's first observation (episode i reset with {@code seed + i}), saved with the run. */
    @Override
    public Map<String, NamedArray> artefacts() {
        Environment env = environments.get();
        int size = env.observationSize();
        float[] starts = new float[episodes * size];
        for (int i = 0; i < episodes; i++) {
            System.arraycopy(env.reset(seed + i), 0, starts, i * size, size);
        }
        return Map.of(STARTS, new NamedArray(new int[] {episodes, size}, starts));
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
     * vector ({@link DenseNet#greedy}), without a library call per step, on every core. The episodes
     * are those of {@link #evaluate}, played the same way; where the two largest Q values are too
     * close for the double computation to be sure how the library's float arithmetic orders them,
     * that step is decided by the library itself, as {@link #evaluate} decides it, so both give
     * the same greedy actions and the same surface. Falls back to the plain method for networks
     * that are not plain dense stacks.
     */
    @Override
    public GridValues evaluateGrid(GridRequest request, Progress.Meter meter) {
        java.util.Optional<String> why = DenseNet.unsupported(layout);
        if (why.isPresent()) {
            return request.evaluatePlainly(this, meter, "the Q-network is not a plain dense network: " + why.get());
        }
        DenseNet forward = DenseNet.of(layout);
        int points = request.points();
        double[][] values = new double[2][points];
        int threads = request.threads();
        int workers = Math.max(1, Math.min(threads, points));
        MultiLayerNetwork[] referees = new MultiLayerNetwork[workers];
        for (int t = 0; t < workers; t++) {
            referees[t] = net.clone();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        LongAdder steps = new LongAdder();
        LongAdder referred = new LongAdder();
        IntStream.range(0, workers).parallel().forEach(t -> {
            float[] p = new float[request.centre().length];
            Rollouts.Policy library = Rollouts.byNetwork(referees[t]);
            boolean[] refereeHasPoint = new boolean[1];
            Rollouts.Policy policy = Rollouts.onEngine(forward, p, () -> {
                if (!refereeHasPoint[0]) { // the referee gets the point's parameters when first asked
                    INDArray flat = Nd4j.createFromArray(p);
                    referees[t].params().assign(flat);
                    flat.close();
                    refereeHasPoint[0] = true;
                }
                return library;
            }, steps, referred);
            for (int cell = next.getAndIncrement(); cell < points; cell = next.getAndIncrement()) {
                request.point(cell / request.betas().length, cell % request.betas().length, p);
                refereeHasPoint[0] = false;
                Rollouts.Result r = Rollouts.greedy(policy, environments, seed, episodes, MAX_STEPS);
                values[0][cell] = r.meanReturn();
                values[1][cell] = r.meanLength();
                // counted inside the lock, so the meter sees the count rise in order
                synchronized (meter) {
                    meter.update(done.incrementAndGet(), String.format(Locale.ROOT, "return %.1f", values[0][cell]));
                }
            }
        });
        return new GridValues(values, "fast-rollout", String.format(Locale.ROOT,
                "%d of %d greedy steps were near ties settled by DL4J's own forward pass", referred.sum(), steps.sum()));
    }
}
