package losssurface.plugin.qlearning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.TrainingHistory;
import losssurface.api.dl4j.QModel;

/**
 * What both Q-learning trainers share: the Q-network, epsilon-greedy acting, the episode
 * bookkeeping, the snapshots, and the greedy evaluation over fixed seeds.
 */
final class QLearning {

    /** Evaluation episode k is reset with this seed, the same for every trainer and run. */
    static final long EVAL_SEED = 20_251_125L;

    private final QSettings settings;
    private final EnvironmentTask task;
    private final RunContext context;
    final Environment env;
    final MultiLayerNetwork net;
    final SplittableRandom random;
    private final List<float[]> checkpoints = new ArrayList<>();
    private final List<Double> returns = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private double episodeReturn;
    private double episodeLoss;
    private int episodeUpdates;
    private int episode;
    float[] observation;

    QLearning(QSettings settings, EnvironmentTask task, RunContext context) {
        this.settings = settings;
        this.task = task;
        this.context = context;
        this.env = task.newEnvironment();
        this.net = network(settings, env.observationSize(), env.actionCount(), context.seed());
        this.random = new SplittableRandom(context.seed() * 31 + 7);
        this.observation = env.reset(context.seed());
        checkpoints.add(net.params().toFloatVector());
    }

    /** The Q-network both trainers use: ReLU hidden layers, a linear output per action, MSE, Adam. */
    static MultiLayerNetwork network(QSettings s, int inputs, int actions, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed).weightInit(WeightInit.XAVIER).updater(new Adam(s.learningRate())).list();
        int in = inputs;
        for (int h : s.hidden()) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
            in = h;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(actions).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Epsilon-greedy action at {@code step}. */
    int act(long step) {
        if (random.nextDouble() < settings.epsilon(step)) {
            return random.nextInt(env.actionCount());
        }
        return greedy(net, observation);
    }

    static int greedy(MultiLayerNetwork net, float[] obs) {
        INDArray q = net.output(Nd4j.create(new float[][] {obs}), false);
        int a = q.argMax(1).getInt(0);
        q.close();
        return a;
    }

    /** Records a step; starts a new episode when it ended. Returns whether an episode ended. */
    boolean record(Environment.Step step, double loss) {
        episodeReturn += step.reward();
        if (!Double.isNaN(loss)) {
            episodeLoss += loss;
            episodeUpdates++;
        }
        if (step.done()) {
            returns.add(episodeReturn);
            losses.add(episodeUpdates == 0 ? Double.NaN : episodeLoss / episodeUpdates);
            episodeReturn = 0;
            episodeLoss = 0;
            episodeUpdates = 0;
            observation = env.reset(context.seed() + ++episode);
            return true;
        }
        observation = step.observation();
        return false;
    }

    void snapshotIfDue(long step) {
        long every = Math.max(1, settings.steps() / (settings.checkpoints() - 1));
        if (step % every == 0) {
            checkpoints.add(net.params().toFloatVector());
        }
    }

    String status(long step) {
        int n = returns.size();
        double mean = 0;
        int k = Math.min(20, n);
        for (int i = n - k; i < n; i++) {
            mean += returns.get(i);
        }
        return String.format(Locale.ROOT, "episodes %d, mean return (last %d) %.1f, epsilon %.2f", n, k, k == 0 ? 0 : mean / k,
                settings.epsilon(step));
    }

    /** Mean return of the greedy policy over the fixed evaluation episodes. */
    double evaluate() {
        Environment e = task.newEnvironment();
        double total = 0;
        for (int k = 0; k < settings.evalEpisodes(); k++) {
            float[] obs = e.reset(EVAL_SEED + k);
            while (true) {
                Environment.Step step = e.step(greedy(net, obs));
                total += step.reward();
                if (step.done()) {
                    break;
                }
                obs = step.observation();
            }
        }
        return total / settings.evalEpisodes();
    }

    /** Trains for the configured steps, calling {@code update} after every step; then evaluates. */
    QModel run(String name, StepUpdate update) {
        long started = System.nanoTime();
        try (Progress.Meter meter = context.progress().meter("Training " + name, settings.steps(), "steps")) {
            for (long step = 1; step <= settings.steps(); step++) {
                float[] before = observation;
                int action = act(step);
                Environment.Step s = env.step(action);
                double loss = update.after(step, before, action, s);
                record(s, loss);
                snapshotIfDue(step);
                if (step % 500 == 0 || step == settings.steps()) {
                    meter.update(step, status(step));
                }
            }
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        if (checkpoints.size() < settings.checkpoints()) {
            checkpoints.add(net.params().toFloatVector());
        }
        context.progress().info("Evaluating the greedy policy over " + settings.evalEpisodes() + " fixed-seed episodes");
        long e0 = System.nanoTime();
        double evalReturn = evaluate();
        double evalSeconds = (System.nanoTime() - e0) / 1e9;
        context.progress().info(String.format(Locale.ROOT, "%s: evaluation return %.1f (mean of %d episodes)%s", name, evalReturn,
                settings.evalEpisodes(), task.solvedReturn().isPresent()
                        ? (evalReturn >= task.solvedReturn().getAsDouble() ? ", solved" : ", not solved (threshold "
                        + task.solvedReturn().getAsDouble() + ")") : ""));
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("return", returns.stream().mapToDouble(Double::doubleValue).toArray());
        series.put("td-loss", losses.stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("trainer", name);
        summary.put("eval-return-mean", evalReturn);
        summary.put("eval-episodes", settings.evalEpisodes());
        summary.put("training-steps", settings.steps());
        summary.put("training-episodes", returns.size());
        summary.put("train-seconds", trainSeconds);
        summary.put("env-steps-per-second", settings.steps() / trainSeconds);
        summary.put("eval-seconds", evalSeconds);
        summary.put("gamma", settings.gamma());
        summary.put("hidden", settings.hidden().toString());
        return new QModel(net, settings.gamma(), checkpoints, new TrainingHistory("episode", series), summary);
    }

    /** One trainer's learning after a step; returns the TD loss of the update, or NaN when none was made. */
    @FunctionalInterface
    interface StepUpdate {
        double after(long step, float[] state, int action, Environment.Step result);
    }
}
