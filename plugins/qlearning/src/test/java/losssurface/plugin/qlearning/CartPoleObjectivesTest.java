package losssurface.plugin.qlearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

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
import losssurface.api.TrainingHistory;
import losssurface.nn.NetworkModel;
import losssurface.plugin.cartpole.CartPole;
import losssurface.plugin.cartpole.CartPoleTaskProvider;
import losssurface.rl.QModel;
import losssurface.rl.ReturnObjective;
import losssurface.rl.RlObjectiveSettings;
import losssurface.rl.TdObjective;
import losssurface.rl.Transitions;

/** The RL objectives on CartPole: chosen by the trainers' rl.* settings, built from the trained agent. */
class CartPoleObjectivesTest {

    static final EnvironmentTask CARTPOLE = (EnvironmentTask) new CartPoleTaskProvider().create(Settings.empty());

    @Test
    void rlSettingsAreValidatedWithTheirKeysAndDefaults() {
        Settings s = Settings.of(Map.of());
        new DqnTrainerProvider().create(s.forOwner("trainer dqn"));
        assertThat(s.knownKeys().get("trainer dqn")).containsEntry("rl.objective", "td-frozen")
                .containsEntry("rl.transitions", "10000").containsEntry("rl.episodes", "10").containsEntry("rl.epsilon", "0.1")
                .containsEntry("rl.seed", "the run seed + 1000000");
        assertThatThrownBy(() -> create(Map.of("rl.objective", "td"))).isInstanceOf(SettingsException.class)
                .hasMessage("rl.objective must be one or more of td-frozen, td-online, return separated by commas, or all, but has 'td'.");
        assertThat(RlObjectiveSettings.read(Settings.of(Map.of("rl.objective", "All"))).objectives())
                .as("all: every objective, in the demo's order").containsExactly("td-frozen", "td-online", "return");
        assertThatThrownBy(() -> create(Map.of("rl.objective", "return,td-frozen,RETURN"))).isInstanceOf(SettingsException.class)
                .hasMessage("rl.objective names an objective twice ('return,td-frozen,return'). Give each once.");
        assertThatThrownBy(() -> create(Map.of("rl.objective", "td-frozen,"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("but has ''");
        assertThat(RlObjectiveSettings.read(Settings.of(Map.of("rl.objective", "Return, td-online"))).objectives())
                .containsExactly("return", "td-online");
        assertThatThrownBy(() -> create(Map.of("rl.transitions", "0"))).isInstanceOf(SettingsException.class)
                .hasMessage("rl.transitions must be between 1 and 10000000, was 0.");
        assertThatThrownBy(() -> create(Map.of("rl.episodes", "-2"))).hasMessage("rl.episodes must be between 1 and 100000, was -2.");
        assertThatThrownBy(() -> create(Map.of("rl.epsilon", "1.5"))).hasMessage("rl.epsilon must be between 0.0 and 1.0, was 1.5.");
        assertThatThrownBy(() -> create(Map.of("rl.seed", "x"))).hasMessage("rl.seed must be a whole number, was 'x'.");
        assertThat(RlObjectiveSettings.read(Settings.of(Map.of("rl.objective", "RETURN", "rl.seed", "5"))).seed(RunContext.quiet(1)))
                .isEqualTo(5);
        assertThat(RlObjectiveSettings.read(Settings.empty()).seed(RunContext.quiet(1))).isEqualTo(1_000_001);
    }

    /** The trainers read the rl.* settings; an untrained model with them shows their surface. */
    private static Objective objective(QModel model, Map<String, String> settings, RunContext context) {
        QModel withSurface = new QModel(model.network(), model.gamma(), model.checkpoints(), model.history(),
                model.summary(), RlObjectiveSettings.read(Settings.of(settings)));
        return CARTPOLE.objective(withSurface, context);
    }

    private static void create(Map<String, String> settings) {
        new DqnTrainerProvider().create(Settings.of(settings));
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
        Objective frozen = objective(model, Map.of("rl.transitions", "300"), context);
        assertThat(frozen).isInstanceOf(TdObjective.class);
        assertThat(((TdObjective) frozen).target()).isEqualTo(TdObjective.Target.FROZEN);
        assertThat(frozen.metrics()).containsExactly("loss", "q-mean");
        Map<String, NamedArray> d = ((TdObjective) frozen).artefacts();
        assertThat(d.keySet()).containsExactly("transitions-states", "transitions-actions", "transitions-rewards",
                "transitions-next-states", "transitions-terminated", "td-targets");
        assertThat(d.get("transitions-states").shape()).containsExactly(300, 4);
        assertThat(d.get("td-targets").shape()).containsExactly(300);
        assertThat(d.get("transitions-states").values()).isInstanceOf(float[].class);
        assertThat(d.get("transitions-actions").values()).isInstanceOf(int[].class);
        assertThat(d.get("transitions-rewards").values()).isInstanceOf(double[].class);
        assertThat(d.get("transitions-terminated").values()).isInstanceOf(boolean[].class);

        Objective online = objective(model, Map.of("rl.transitions", "300", "rl.objective", "td-online"), context);
        assertThat(((TdObjective) online).target()).isEqualTo(TdObjective.Target.ONLINE);
        // the same D (same seed), so both agree at theta*
        assertThat(((TdObjective) online).transitions()).isEqualTo(((TdObjective) frozen).transitions());
        assertThat(online.evaluate(model.parameters())[0]).isCloseTo(frozen.evaluate(model.parameters())[0], within(1e-9));

        Objective ret = objective(model, Map.of("rl.objective", "return", "rl.episodes", "3"), context);
        assertThat(ret).isInstanceOf(ReturnObjective.class);
        assertThat(ret.metrics()).containsExactly("return", "return-std", "return-min", "episode-length");
        assertThat(ret.description()).isEqualTo("mean return of the greedy policy over 3 fixed episodes (seeds 1000009..1000011)");
        NamedArray starts = ret.artefacts().get(ReturnObjective.STARTS);
        assertThat(starts.shape()).containsExactly(3, 4);
        assertThat((float[]) starts.values()).startsWith(CARTPOLE.newEnvironment().reset(1_000_009L));

        assertThatThrownBy(() -> CARTPOLE.objective(new NetworkModel(qNetwork(1), java.util.List.of(),
                TrainingHistory.empty(), Map.of()), context)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("An environment task needs an agent trained by an RL trainer");
    }

    @Test
    void returnObjectiveIsDeterministicForAFixedSeed() {
        MultiLayerNetwork net = qNetwork(5);
        EnvironmentTask task = CARTPOLE;
        ReturnObjective a = ReturnObjective.of(net, task::newEnvironment, 100, 5);
        ReturnObjective b = ReturnObjective.of(net, task::newEnvironment, 100, 5);
        float[] theta = net.params().toFloatVector();
        double[] first = a.evaluate(theta);
        assertThat(a.evaluate(theta)).isEqualTo(first);
        assertThat(b.evaluate(theta)).isEqualTo(first);
        assertThat(first[0]).isEqualTo(first[3]); // +1 per step: return = length
        assertThat(first[0]).isBetween(8.0, 500.0);
        // the greedy episodes are the ones a step-by-step greedy rollout plays
        double sum = 0;
        double[] returns = new double[5];
        for (int i = 0; i < 5; i++) {
            double before = sum;
            CartPole env = new CartPole();
            float[] obs = env.reset(100 + i);
            Environment.Step step;
            do {
                float[] q = net.output(org.nd4j.linalg.factory.Nd4j.create(new float[][] {obs})).toFloatVector();
                step = env.step(q[1] > q[0] ? 1 : 0);
                sum += step.reward();
                obs = step.observation();
            } while (!step.done());
            returns[i] = sum - before;
        }
        assertThat(first[0]).isEqualTo(sum / 5);
        double mean = sum / 5;
        double spread = Math.sqrt(java.util.Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).sum() / 5);
        assertThat(first[1]).as("return-std: the episodes' population spread").isCloseTo(spread, within(1e-9));
        assertThat(first[2]).as("return-min: the worst episode").isEqualTo(java.util.Arrays.stream(returns).min().orElseThrow());
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
    }
}
