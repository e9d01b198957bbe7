package losssurface.rl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.Layouts;

/**
 * The mean episodic return of the greedy policy of Q_theta over a fixed set of seeded episodes:
 * episode i starts from {@code reset(seed + i)}, and every evaluation plays the same episodes,
 * so the surface shows how the policy changes with theta, not the luck of new episodes. Metrics
 * ({@link Rollouts#METRICS}): {@code return} (the mean undiscounted return; higher is better, unlike a
 * loss), {@code return-std} (the episodes' spread about it), {@code return-min} (the worst episode) and
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
        return Rollouts.METRICS;
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
        return r.metrics();
    }

    /** The same network, environments and episodes, for another thread. */
    @Override
    public java.util.Optional<Objective> copy() {
        return java.util.Optional.of(new ReturnObjective(net, environments, seed, episodes));
    }

    /** The network this objective plays (its private copy), for {@link FastRolloutEvaluator}'s referees. */
    MultiLayerNetwork network() {
        return net;
    }

    Supplier<? extends Environment> environments() {
        return environments;
    }
}
