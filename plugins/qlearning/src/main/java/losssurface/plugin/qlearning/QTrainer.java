package losssurface.plugin.qlearning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.LossSurfaceException;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Task;
import losssurface.api.TrainedModel;
import losssurface.api.Trainer;
import losssurface.api.TrainingHistory;
import losssurface.api.dl4j.QModel;
import losssurface.api.dl4j.Rollouts;

/**
 * The training loop both Q-learning trainers share: epsilon-greedy acting in the task's
 * environment for {@code q.steps} steps, a {@link Learner} learning from each transition, then a
 * greedy evaluation over {@code q.eval-episodes} fixed episodes.
 *
 * <p>Seeds, all from the run seed s: the network is initialised with s; training episode k is
 * reset with {@code s * 1000003 + k}; exploration (and DQN's minibatches) draw from generators
 * seeded from s. So the two trainers start from the same network and the same first episode.
 */
final class QTrainer implements Trainer {

    /** Makes the learner for a fresh network. */
    interface LearnerFactory {
        Learner create(MultiLayerNetwork net, int observations, int actions, long seed);
    }

    private final String name;
    private final QSettings q;
    private final LearnerFactory learners;
    private final Map<String, Object> extraSummary;

    QTrainer(String name, QSettings q, LearnerFactory learners, Map<String, Object> extraSummary) {
        this.name = name;
        this.q = q;
        this.learners = learners;
        this.extraSummary = new LinkedHashMap<>(extraSummary);
    }

    /** Seed of training episode {@code k} in a run of seed {@code seed}. */
    static long episodeSeed(long seed, long k) {
        return seed * 1_000_003L + k;
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
        Learner learner = learners.create(net, obs, actions, seed ^ 0x6A09E667F3BCC909L);
        SplittableRandom explore = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);

        List<float[]> checkpoints = new ArrayList<>();
        if (q.checkpoints() > 0) {
            checkpoints.add(net.params().toFloatVector());
        }
        List<Double> returns = new ArrayList<>();
        List<Double> tdLoss = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        List<Double> epsilons = new ArrayList<>();
        INDArray input = Nd4j.create(DataType.FLOAT, 1, obs);

        long episode = 0;
        float[] state = env.reset(episodeSeed(seed, episode));
        double episodeReturn = 0;
        int episodeLength = 0;
        double lossSum = 0;
        int lossCount = 0;
        int meterEvery = Math.max(1, Math.min(1000, q.steps() / 100));
        long started = System.nanoTime();
        try (Progress.Meter meter = context.progress().meter("Training " + name, q.steps(), "steps")) {
            for (int step = 0; step < q.steps(); step++) {
                double epsilon = q.epsilon(step);
                int action;
                if (explore.nextDouble() < epsilon) {
                    action = explore.nextInt(actions);
                } else {
                    for (int j = 0; j < obs; j++) {
                        input.putScalar(0, j, state[j]);
                    }
                    INDArray out = net.output(input, false);
                    action = Rollouts.argmax(out.toFloatVector(), 0, actions);
                    out.close();
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
                    checkpoints.add(net.params().toFloatVector());
                }
                if ((step + 1) % meterEvery == 0 || step + 1 == q.steps()) {
                    meter.update(step + 1, String.format(Locale.ROOT, "episode %d, mean return (last 20) %.1f, epsilon %.3f",
                            episode, meanOfLast(returns, 20), epsilon));
                }
            }
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        input.close();

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
        summary.put("hidden", q.hidden());
        summary.put("gamma", q.gamma());
        summary.put("learning-rate", q.learningRate());
        summary.put("optimizer", "adam");
        summary.put("epsilon-start", q.epsilonStart());
        summary.put("epsilon-end", q.epsilonEnd());
        summary.put("epsilon-decay-steps", q.epsilonDecaySteps());
        summary.putAll(extraSummary);
        return new QModel(net, q.gamma(), checkpoints, new TrainingHistory("episode", series), summary);
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
