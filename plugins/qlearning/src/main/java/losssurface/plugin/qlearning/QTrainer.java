package losssurface.plugin.qlearning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.LossSurfaceException;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Task;
import losssurface.api.TrainedModel;
import losssurface.api.Trainer;
import losssurface.api.TrainingHistory;
import losssurface.nn.dense.DenseTrainer;
import losssurface.rl.QModel;
import losssurface.rl.RlObjectiveSettings;
import losssurface.rl.Rollouts;

/**
 * The training loop both Q-learning trainers share: epsilon-greedy acting in the task's
 * environment for {@code q.steps} steps, a {@link Learner} learning from each transition, then a
 * greedy evaluation over {@code q.eval-episodes} fixed episodes.
 *
 * <p>theta*: every {@code q.validation-every} steps the greedy policy plays
 * {@code q.validation-episodes} validation episodes (seeds apart from the evaluation's), and the
 * parameters of the best validation (the latest on ties) become theta*, as RL libraries keep
 * their best model: Q-learning on CartPole is known to forget a solved policy and relearn it.
 * {@code q.validation-every=0} keeps the final parameters. The checkpoints are the whole
 * trajectory either way.
 *
 * <p>The per-step arithmetic runs in plain Java ({@link DenseTrainer}), on the DL4J network's own
 * parameters, initialisation and layout; the trained parameters are written back into the DL4J
 * network, which is the model handed on.
 *
 * <p>Seeds, all from the run seed s: the network is initialised with s; training episode k is
 * reset with {@code s * 1000003 + k}; exploration (and DQN's minibatches) draw from generators
 * seeded from s. So the two trainers start from the same network and the same first episode.
 */
final class QTrainer implements Trainer {

    /** Makes the learner for a fresh network. */
    interface LearnerFactory {
        Learner create(DenseTrainer net, long seed);
    }

    private final String name;
    private final QSettings q;
    private final RlObjectiveSettings surface;
    private final LearnerFactory learners;
    private final Map<String, Object> extraSummary;
    private final int maxBatch;

    /**
     * @param surface  the RL objective the trained agent's surface shows
     * @param maxBatch the largest number of rows the learner passes through the network at once
     */
    QTrainer(String name, QSettings q, RlObjectiveSettings surface, LearnerFactory learners,
             Map<String, Object> extraSummary, int maxBatch) {
        this.name = name;
        this.surface = Objects.requireNonNull(surface, "surface");
        this.maxBatch = Math.max(2, maxBatch);
        this.q = q;
        this.learners = learners;
        this.extraSummary = new LinkedHashMap<>(extraSummary);
    }

    /** Seed of training episode {@code k} in a run of seed {@code seed}. */
    static long episodeSeed(long seed, long k) {
        return seed * 1_000_003L + k;
    }

    /** The Q-network this trainer made for {@code task}, with the saved theta*. */
    @Override
    public java.util.Optional<TrainedModel> restore(Task task, TrainedModel saved, RunContext context) {
        Environment env = ((EnvironmentTask) task).newEnvironment();
        MultiLayerNetwork net = QNetworks.create(env.observationSize(), env.actionCount(), q.hidden(), q.learningRate(),
                context.seed());
        float[] theta = saved.parameters();
        if (theta.length != net.numParams()) {
            throw new LossSurfaceException("The saved theta* has " + theta.length + " parameters but this trainer's Q-network has "
                    + net.numParams() + ": the settings changed since. Start a new run.");
        }
        net.params().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(theta));
        return java.util.Optional.of(new QModel(net, q.gamma(), saved.checkpoints(), saved.history(), saved.summary(), surface));
    }

    @Override
    public TrainedModel train(Task task, RunContext context) {
        EnvironmentTask rl = (EnvironmentTask) task;
        Environment env = rl.newEnvironment();
        int obs = env.observationSize();
        int actions = env.actionCount();
        if (obs < 1 || actions < 2) {
            throw new LossSurfaceException("The environment has " + obs + " observation entries and " + actions
                    + " actions; Q-learning needs at least 1 and 2.");
        }
        long seed = context.seed();
        MultiLayerNetwork net = QNetworks.create(obs, actions, q.hidden(), q.learningRate(), seed);
        DenseTrainer mlp = new DenseTrainer(net, q.learningRate(), maxBatch);
        Learner learner = learners.create(mlp, seed ^ 0x6A09E667F3BCC909L);
        SplittableRandom explore = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);

        List<float[]> checkpoints = new ArrayList<>();
        if (q.checkpoints() > 0) {
            checkpoints.add(mlp.parameters());
        }
        List<Double> returns = new ArrayList<>();
        List<Double> tdLoss = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        List<Double> epsilons = new ArrayList<>();

        long episode = 0;
        float[] state = env.reset(episodeSeed(seed, episode));
        double episodeReturn = 0;
        int episodeLength = 0;
        double lossSum = 0;
        int lossCount = 0;
        int meterEvery = Math.max(1, Math.min(1000, q.steps() / 100));
        List<Double> validations = new ArrayList<>();
        List<Integer> validationSteps = new ArrayList<>();
        double bestValidation = Double.NEGATIVE_INFINITY;
        float[] best = null;
        int bestStep = q.steps();
        long started = System.nanoTime();
        try (Progress.Meter meter = context.progress().meter("Training " + name, q.steps(), "steps")) {
            for (int step = 0; step < q.steps(); step++) {
                double epsilon = q.epsilon(step);
                int action;
                if (explore.nextDouble() < epsilon) {
                    action = explore.nextInt(actions);
                } else {
                    action = Rollouts.argmax(mlp.forward(state, 1), 0, actions);
                }
                Environment.Step result = env.step(action);
                float[] next = result.observation();
                double loss = learner.learn(state, action, result.reward(), next, result.terminated());
                if (!Double.isNaN(loss)) {
                    if (!Double.isFinite(loss)) {
                        throw new LossSurfaceException(String.format(Locale.ROOT,
                                "%s diverged at step %d (squared TD error %s). Lower %s (now %s).", name, step + 1, loss,
                                QSettings.RATE, q.learningRate()));
                    }
                    lossSum += loss;
                    lossCount++;
                }
                episodeReturn += result.reward();
                episodeLength++;
                if (result.done()) {
                    returns.add(episodeReturn);
                    lengths.add((double) episodeLength);
                    tdLoss.add(lossCount > 0 ? lossSum / lossCount : Double.NaN);
                    epsilons.add(epsilon);
                    episode++;
                    state = env.reset(episodeSeed(seed, episode));
                    episodeReturn = 0;
                    episodeLength = 0;
                    lossSum = 0;
                    lossCount = 0;
                } else {
                    state = next;
                }
                if (q.checkpoints() > 0 && (long) (step + 1) * q.checkpoints() / q.steps() > checkpoints.size() - 1) {
                    checkpoints.add(mlp.parameters());
                }
                if (q.validationEvery() > 0 && ((step + 1) % q.validationEvery() == 0 || step + 1 == q.steps())) {
                    double v = validate(mlp, rl);
                    validations.add(v);
                    validationSteps.add(step + 1);
                    if (v >= bestValidation) {
                        bestValidation = v;
                        best = mlp.parameters();
                        bestStep = step + 1;
                    }
                }
                if ((step + 1) % meterEvery == 0 || step + 1 == q.steps()) {
                    meter.update(step + 1, String.format(Locale.ROOT, "episode %d, mean return (last 20) %.1f, epsilon %.3f",
                            episode, meanOfLast(returns, 20), epsilon));
                }
            }
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        if (best != null) {
            mlp.setParameters(best);
        }
        mlp.copyInto(net);

        long t0 = System.nanoTime();
        Rollouts.Result eval = Rollouts.greedy(net, rl::newEnvironment, q.evalSeed(), q.evalEpisodes(), 10_000_000);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        context.progress().info(String.format(Locale.ROOT,
                "%s: %d steps, %d episodes in %.1f s (%.0f env steps/s); greedy evaluation over %d episodes: mean return %.1f (std %.1f)",
                name, q.steps(), episode, trainSeconds, q.steps() / trainSeconds, q.evalEpisodes(), eval.meanReturn(),
                eval.stdReturn()));

        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("return", toArray(returns));
        series.put("td-loss", toArray(tdLoss));
        series.put("episode-length", toArray(lengths));
        series.put("epsilon", toArray(epsilons));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("trainer", name);
        summary.put("eval-return-mean", eval.meanReturn());
        summary.put("eval-return-std", eval.stdReturn());
        summary.put("eval-episodes", q.evalEpisodes());
        summary.put("eval-seed", q.evalSeed());
        rl.solvedReturn().ifPresent(solved -> {
            summary.put("solved-return", solved);
            summary.put("solved", eval.meanReturn() >= solved);
        });
        summary.put("training-steps", q.steps());
        summary.put("training-episodes", episode);
        summary.put("train-return-mean-last-20", meanOfLast(returns, 20));
        summary.put("train-seconds", trainSeconds);
        summary.put("env-steps-per-second", q.steps() / trainSeconds);
        summary.put("eval-seconds", evalSeconds);
        summary.put("theta-star-step", bestStep);
        if (q.validationEvery() > 0) {
            summary.put("theta-star", bestStep == q.steps() ? "final parameters (also the best validation)"
                    : "parameters of the best greedy validation, at step " + bestStep);
            summary.put("validation-return-best", bestValidation);
            summary.put("validation-steps", validationSteps);
            summary.put("validation-returns", validations);
        } else {
            summary.put("theta-star", "final parameters");
        }
        summary.put("hidden", q.hidden());
        summary.put("gamma", q.gamma());
        summary.put("learning-rate", q.learningRate());
        summary.put("optimizer", "adam");
        summary.put("epsilon-start", q.epsilonStart());
        summary.put("epsilon-end", q.epsilonEnd());
        summary.put("epsilon-decay-steps", q.epsilonDecaySteps());
        summary.putAll(extraSummary);
        return new QModel(net, q.gamma(), checkpoints, new TrainingHistory("episode", series), summary, surface);
    }

    /** Mean return of the greedy policy over the validation episodes, played with the plain-Java network. */
    private double validate(DenseTrainer mlp, EnvironmentTask task) {
        double sum = 0;
        for (int i = 0; i < q.validationEpisodes(); i++) {
            Environment env = task.newEnvironment();
            float[] obs = env.reset(q.validationSeed() + i);
            int actions = env.actionCount();
            Environment.Step step;
            long n = 0;
            do {
                step = env.step(Rollouts.argmax(mlp.forward(obs, 1), 0, actions));
                sum += step.reward();
                obs = step.observation();
                if (++n > 10_000_000) {
                    throw new LossSurfaceException("A validation episode ran 10000000 steps without ending. "
                            + "Environments must end their episodes (e.g. with a time limit).");
                }
            } while (!step.done());
        }
        return sum / q.validationEpisodes();
    }

    private static double meanOfLast(List<Double> values, int n) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        int from = Math.max(0, values.size() - n);
        double sum = 0;
        for (int i = from; i < values.size(); i++) {
            sum += values.get(i);
        }
        return sum / (values.size() - from);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
