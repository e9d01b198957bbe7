package losssurface.plugin.cartpole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.ServiceLoader;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.TaskProvider;
import losssurface.api.TrainingHistory;
import losssurface.api.dl4j.NetworkModel;
import losssurface.api.dl4j.QModel;
import losssurface.api.dl4j.ReturnObjective;
import losssurface.api.dl4j.TdObjective;
import losssurface.api.dl4j.Transitions;

class CartPoleTest {

    @Test
    void serviceLoaderFindsExactlyThisModulesTask() {
        assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()).toList())
                .containsExactly("cartpole");
        EnvironmentTask task = (EnvironmentTask) new CartPoleTaskProvider().create(Settings.empty());
        assertThat(task.solvedReturn()).hasValue(475);
        assertThat(task.newEnvironment()).isNotSameAs(task.newEnvironment());
    }

    @Test
    void sameSeedSameStartAndEpisodeOtherSeedOtherStart() {
        CartPole a = new CartPole();
        CartPole b = new CartPole();
        assertThat(a.observationSize()).isEqualTo(4);
        assertThat(a.actionCount()).isEqualTo(2);
        float[] s1 = a.reset(42);
        float[] s2 = b.reset(42);
        assertThat(s1).isEqualTo(s2);
        for (double v : a.state()) {
            assertThat(v).isBetween(-0.05, 0.05);
        }
        assertThat(b.reset(43)).isNotEqualTo(s1);
        b.reset(42);
        for (int i = 0; i < 8; i++) {
            assertThat(a.step(i % 2).observation()).isEqualTo(b.step(i % 2).observation());
        }
        // starting values spread over the whole interval
        double min = 1;
        double max = -1;
        for (long seed = 0; seed < 500; seed++) {
            a.reset(seed);
            min = Math.min(min, a.state()[2]);
            max = Math.max(max, a.state()[2]);
        }
        assertThat(min).isLessThan(-0.049);
        assertThat(max).isGreaterThan(0.049);
    }

    @Test
    void observationsAreTheFloat32RoundingOfTheFloat64State() {
        CartPole env = new CartPole();
        env.reset(7);
        Environment.Step step = env.step(1);
        double[] state = env.state();
        for (int i = 0; i < 4; i++) {
            assertThat(step.observation()[i]).isEqualTo((float) state[i]);
        }
    }

    @Test
    void fallingPoleTerminatesWithRewardOneAndThenStepsAreRefused() {
        CartPole env = new CartPole();
        env.reset(1);
        Environment.Step step;
        int steps = 0;
        do {
            step = env.step(1);
            steps++;
            assertThat(step.reward()).isEqualTo(1.0);
        } while (!step.done());
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isFalse();
        assertThat(steps).isLessThan(100);
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("The CartPole episode has ended (or was never started). Call reset(seed) first.");
        assertThatThrownBy(() -> new CartPole().step(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void balancedEpisodeIsTruncatedAt500StepsNotTerminated() {
        CartPole env = new CartPole();
        env.reset(3);
        Environment.Step step = null;
        for (int t = 1; t <= 500; t++) {
            step = env.step(balance(env.state()));
            assertThat(step.terminated()).as("step " + t).isFalse();
            assertThat(step.truncated()).as("step " + t).isEqualTo(t == 500);
        }
        assertThat(step.done()).isTrue();
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class);
        // a reset starts a new episode with a fresh step count
        env.reset(4);
        assertThat(env.elapsedSteps()).isZero();
        assertThat(env.step(0).done()).isFalse();
    }

    @Test
    void terminationOnTheLastAllowedStepIsBoth() {
        CartPole env = new CartPole();
        env.setState(new double[] {2.399, 1.0, 0, 0}, 499);
        Environment.Step step = env.step(1);
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isTrue();
    }

    @Test
    void actionsOutOfRangeAreRefusedWithTheRange() {
        CartPole env = new CartPole();
        env.reset(0);
        assertThatThrownBy(() -> env.step(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CartPole actions are 0 (push left) and 1 (push right), was 2.");
        assertThatThrownBy(() -> env.step(-1)).hasMessageContaining("was -1.");
        assertThat(env.step(0).done()).isFalse(); // the bad action did not advance the episode
        assertThat(env.elapsedSteps()).isEqualTo(1);
    }

    /** A simple controller that keeps the pole up for 500 steps. */
    static int balance(double[] s) {
        return s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0;
    }

    @Test
    void rlSettingsAreValidatedWithTheirKeysAndDefaults() {
        Settings s = Settings.of(Map.of());
        new CartPoleTaskProvider().create(s.forOwner("task cartpole"));
        assertThat(s.knownKeys().get("task cartpole")).containsEntry("rl.objective", "td-frozen")
                .containsEntry("rl.transitions", "10000").containsEntry("rl.episodes", "10").containsEntry("rl.epsilon", "0.1")
                .containsEntry("rl.seed", "the run seed + 1000000");
        assertThatThrownBy(() -> create(Map.of("rl.objective", "td"))).isInstanceOf(SettingsException.class)
                .hasMessage("rl.objective must be one of return, td-frozen, td-online, was 'td'.");
        assertThatThrownBy(() -> create(Map.of("rl.transitions", "0"))).isInstanceOf(SettingsException.class)
                .hasMessage("rl.transitions must be between 1 and 10000000, was 0.");
        assertThatThrownBy(() -> create(Map.of("rl.episodes", "-2"))).hasMessage("rl.episodes must be between 1 and 100000, was -2.");
        assertThatThrownBy(() -> create(Map.of("rl.epsilon", "1.5"))).hasMessage("rl.epsilon must be between 0.0 and 1.0, was 1.5.");
        assertThatThrownBy(() -> create(Map.of("rl.seed", "x"))).hasMessage("rl.seed must be a whole number, was 'x'.");
        assertThat(((CartPoleTask) create(Map.of("rl.objective", "RETURN", "rl.seed", "5"))).rlSettings().seed(RunContext.quiet(1)))
                .isEqualTo(5);
        assertThat(((CartPoleTask) create(Map.of())).rlSettings().seed(RunContext.quiet(1))).isEqualTo(1_000_001);
    }

    private static losssurface.api.Task create(Map<String, String> settings) {
        return new CartPoleTaskProvider().create(Settings.of(settings));
    }

    static MultiLayerNetwork qNetwork(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    static QModel model(long seed) {
        return new QModel(qNetwork(seed), 0.99, java.util.List.of(), new TrainingHistory("episode", Map.of()), Map.of());
    }

    @Test
    void eachRlObjectiveIsBuiltFromTheSettings() {
        QModel model = model(1);
        RunContext context = RunContext.quiet(9);
        Objective frozen = create(Map.of("rl.transitions", "300")).objective(model, context);
        assertThat(frozen).isInstanceOf(TdObjective.class);
        assertThat(((TdObjective) frozen).target()).isEqualTo(TdObjective.Target.FROZEN);
        assertThat(frozen.metrics()).containsExactly("loss", "q-mean");
        Map<String, NamedArray> d = ((TdObjective) frozen).artefacts();
        assertThat(d.keySet()).containsExactly("transitions-states", "transitions-actions", "transitions-rewards",
                "transitions-next-states", "transitions-terminated");
        assertThat(d.get("transitions-states").shape()).containsExactly(300, 4);
        assertThat(d.get("transitions-states").values()).isInstanceOf(float[].class);
        assertThat(d.get("transitions-actions").values()).isInstanceOf(int[].class);
        assertThat(d.get("transitions-rewards").values()).isInstanceOf(double[].class);
        assertThat(d.get("transitions-terminated").values()).isInstanceOf(boolean[].class);

        Objective online = create(Map.of("rl.transitions", "300", "rl.objective", "td-online")).objective(model, context);
        assertThat(((TdObjective) online).target()).isEqualTo(TdObjective.Target.ONLINE);
        // the same D (same seed), so both agree at theta*
        assertThat(((TdObjective) online).transitions()).isEqualTo(((TdObjective) frozen).transitions());
        assertThat(online.evaluate(model.parameters())[0]).isCloseTo(frozen.evaluate(model.parameters())[0], within(1e-9));

        Objective ret = create(Map.of("rl.objective", "return", "rl.episodes", "3")).objective(model, context);
        assertThat(ret).isInstanceOf(ReturnObjective.class);
        assertThat(ret.metrics()).containsExactly("return", "episode-length");
        assertThat(ret.description()).isEqualTo("mean return of the greedy policy over 3 fixed episodes (seeds 1000009..1000011)");

        assertThatThrownBy(() -> create(Map.of()).objective(new NetworkModel(qNetwork(1), java.util.List.of(),
                TrainingHistory.empty(), Map.of()), context)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("The RL objectives need a Q-network trained by an RL trainer");
    }

    @Test
    void returnObjectiveIsDeterministicForAFixedSeed() {
        MultiLayerNetwork net = qNetwork(5);
        EnvironmentTask task = (EnvironmentTask) create(Map.of());
        ReturnObjective a = ReturnObjective.of(net, task::newEnvironment, 100, 5);
        ReturnObjective b = ReturnObjective.of(net, task::newEnvironment, 100, 5);
        float[] theta = net.params().toFloatVector();
        double[] first = a.evaluate(theta);
        assertThat(a.evaluate(theta)).isEqualTo(first);
        assertThat(b.evaluate(theta)).isEqualTo(first);
        assertThat(first[0]).isEqualTo(first[1]); // +1 per step: return = length
        assertThat(first[0]).isBetween(8.0, 500.0);
        // the greedy episodes are the ones a step-by-step greedy rollout plays
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            CartPole env = new CartPole();
            float[] obs = env.reset(100 + i);
            Environment.Step step;
            do {
                float[] q = net.output(org.nd4j.linalg.factory.Nd4j.create(new float[][] {obs})).toFloatVector();
                step = env.step(q[1] > q[0] ? 1 : 0);
                sum += step.reward();
                obs = step.observation();
            } while (!step.done());
        }
        assertThat(first[0]).isEqualTo(sum / 5);
        // other parameters, another policy
        float[] other = theta.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] = -other[i];
        }
        a.evaluate(other);
        assertThat(a.evaluate(theta)).isEqualTo(first);
    }

    @Test
    void transitionsAreReproducibleAndKeepTruncationApartFromTermination() {
        MultiLayerNetwork net = qNetwork(2);
        Transitions d1 = Transitions.collect(net, new CartPole(), 2000, 0.5, 77);
        Transitions d2 = Transitions.collect(net, new CartPole(), 2000, 0.5, 77);
        Transitions d3 = Transitions.collect(net, new CartPole(), 2000, 0.5, 78);
        assertThat(d1).isEqualTo(d2);
        assertThat(d3).isNotEqualTo(d1);
        assertThat(d1.terminalCount()).isGreaterThan(10);
        // a balancing run is never terminal: the 500-step cuts are truncations
        CartPoleTask task = (CartPoleTask) create(Map.of());
        assertThat(task.newEnvironment()).isInstanceOf(CartPole.class);
    }
}
