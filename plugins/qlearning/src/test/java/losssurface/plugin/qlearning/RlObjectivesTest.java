package losssurface.plugin.qlearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.TrainingHistory;
import losssurface.rl.QModel;
import losssurface.rl.TdObjective;
import losssurface.rl.Transitions;

/** The TD objectives on a case small enough to compute by hand. */
class RlObjectivesTest {

    /** Q(s) = W^T s + b with W = identity and b = (0, 0.5): Q(s, 0) = s0, Q(s, 1) = s1 + 0.5. */
    static final float[] THETA = {1, 0, 0, 1, 0, 0.5f};
    /** The same with b = (0, 0). */
    static final float[] AWAY = {1, 0, 0, 1, 0, 0};

    static MultiLayerNetwork linear(float[] params) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.params().assign(Nd4j.createFromArray(params));
        return net;
    }

    /**
     * Three transitions, gamma 0.5:
     * <ol>
     *   <li>s (1, 0), a 0, r 1, s' (0, 1): target 1 + 0.5 max(0, 1.5) = 1.75, Q 1, delta 0.75;</li>
     *   <li>s (0, 2), a 1, r 0, s' (2, 0) terminal: target 0, Q 2.5, delta -2.5;</li>
     *   <li>s (-1, 1), a 1, r -1, s' (1, 1) truncated (not terminal): target -1 + 0.5 * 1.5 = -0.25, Q 1.5, delta -1.75.</li>
     * </ol>
     */
    static Transitions d() {
        return new Transitions(new float[][] {{1, 0}, {0, 2}, {-1, 1}}, new int[] {0, 1, 1}, new double[] {1, 0, -1},
                new float[][] {{0, 1}, {2, 0}, {1, 1}}, new boolean[] {false, true, false});
    }

    @Test
    void frozenTdLossIsTheHandComputedValue() {
        TdObjective frozen = TdObjective.frozen(linear(THETA), 0.5, d());
        double[] v = frozen.evaluate(THETA);
        assertThat(frozen.metrics()).containsExactly("loss", "q-mean");
        assertThat(v[0]).isCloseTo((0.75 * 0.75 + 2.5 * 2.5 + 1.75 * 1.75) / 3, within(1e-12));
        assertThat(v[1]).isCloseTo((1 + 2.5 + 1.5) / 3, within(1e-12)); // mean of max_a Q(s, a)
        assertThat(frozen.description()).isEqualTo("mean squared TD error over 3 fixed transitions, target frozen at theta* (gamma 0.5)");
    }

    @Test
    void frozenTdLossHasTheHandComputedGradientAndHessian() {
        TdObjective frozen = TdObjective.frozen(linear(THETA), 0.5, d());
        assertThat(frozen.hasGradient()).isTrue();
        // dL/dQ(s_i, a_i) = -2 delta_i / 3 = -0.5, 5/3, 7/6, on the taken action's weights (column-major [in, out]) and bias
        float[] g = frozen.gradient(THETA);
        assertThat(g).containsExactly(new float[] {-0.5f, 0, -7f / 6, 4.5f, -0.5f, 17f / 6}, within(1e-6f));
        // H = 2/3 sum_i x_i x_i^T on the taken action's block, x = (s, 1); H e_b1 from transitions 2 and 3
        double[] e = new double[6];
        e[5] = 1;
        double[] he = new double[6];
        frozen.hessian(THETA).orElseThrow().apply(e, he);
        assertThat(he).containsExactly(new double[] {0, 0, -2.0 / 3, 2, 0, 4.0 / 3}, within(1e-6));
        // the online target moves with the parameters: no gradient
        assertThat(TdObjective.online(linear(THETA), 0.5, d()).hasGradient()).isFalse();
    }

    @Test
    void frozenAndOnlineAgreeAtThetaStarAndDifferAwayFromIt() {
        TdObjective frozen = TdObjective.frozen(linear(THETA), 0.5, d());
        TdObjective online = TdObjective.online(linear(THETA), 0.5, d());
        assertThat(online.evaluate(THETA)).containsExactly(frozen.evaluate(THETA), within(1e-12));
        // b = (0, 0): Q(s1, 0) 1, Q(s2, 1) 2, Q(s3, 1) 1
        // frozen targets stay 1.75, 0, -0.25: deltas 0.75, -2, -1.25
        assertThat(frozen.evaluate(AWAY)[0]).isCloseTo((0.5625 + 4 + 1.5625) / 3, within(1e-12));
        // online targets move: 1 + 0.5 max(0, 1) = 1.5, 0, -1 + 0.5 max(1, 1) = -0.5: deltas 0.5, -2, -1.5
        assertThat(online.evaluate(AWAY)[0]).isCloseTo((0.25 + 4 + 2.25) / 3, within(1e-12));
        // the objectives scored private copies: the centre still gives the same value
        assertThat(frozen.evaluate(THETA)[0]).isCloseTo(9.875 / 3, within(1e-12));
        assertThat(online.description()).contains("online target (T = theta)");
    }

    @Test
    void theModelsGammaAndNetworkMakeTheObjective() {
        QModel model = new QModel(linear(THETA), 0.5, List.of(THETA), new TrainingHistory("episode", Map.of()), Map.of());
        TdObjective td = TdObjective.of(model, d(), TdObjective.Target.FROZEN);
        assertThat(td.gamma()).isEqualTo(0.5);
        assertThat(td.evaluate(model.parameters())[0]).isCloseTo(9.875 / 3, within(1e-12));
        assertThat(model.actionCount()).isEqualTo(2);
        assertThat(model.layout().size()).isEqualTo(6);
        assertThatThrownBy(() -> new QModel(linear(THETA), 1.5, List.of(), TrainingHistory.empty(), Map.of()))
                .hasMessage("gamma must be between 0 and 1, was 1.5");
    }

    @Test
    void transitionsAreSavedAsTypedArraysAndValidated() {
        Map<String, NamedArray> a = d().toArtefacts();
        assertThat(a.keySet()).containsExactly("transitions-states", "transitions-actions", "transitions-rewards",
                "transitions-next-states", "transitions-terminated");
        assertThat(a.get("transitions-states").shape()).containsExactly(3, 2);
        assertThat((float[]) a.get("transitions-states").values()).containsExactly(1, 0, 0, 2, -1, 1);
        assertThat((int[]) a.get("transitions-actions").values()).containsExactly(0, 1, 1);
        assertThat((double[]) a.get("transitions-rewards").values()).containsExactly(1, 0, -1);
        assertThat((float[]) a.get("transitions-next-states").values()).containsExactly(0, 1, 2, 0, 1, 1);
        assertThat((boolean[]) a.get("transitions-terminated").values()).containsExactly(false, true, false);
        Map<String, NamedArray> frozen = TdObjective.frozen(linear(THETA), 0.5, d()).artefacts();
        assertThat(frozen.keySet()).containsAll(a.keySet()).contains(TdObjective.TARGETS).hasSize(a.size() + 1);
        double[] targets = (double[]) frozen.get(TdObjective.TARGETS).values();
        assertThat(targets).hasSize(3);
        assertThat(targets[1]).as("a terminated transition's target is its reward").isEqualTo(0.0);
        assertThat(TdObjective.online(linear(THETA), 0.5, d()).artefacts().keySet()).isEqualTo(a.keySet());

        assertThatThrownBy(() -> new Transitions(new float[][] {{1, 0}}, new int[] {0, 1}, new double[] {1},
                new float[][] {{0, 1}}, new boolean[] {false}))
                .hasMessage("every field needs one entry per transition: states 1, actions 2, rewards 1, next states 1, terminated 1");
        assertThatThrownBy(() -> new Transitions(new float[][] {{1, 0}, {1}}, new int[] {0, 1}, new double[] {1, 1},
                new float[][] {{0, 1}, {0, 1}}, new boolean[] {false, false}))
                .hasMessage("transition 1 has observations of 1 and 2 entries, the first has 2");
        assertThatThrownBy(() -> TdObjective.frozen(linear(THETA), 0.5, new Transitions(new float[][] {{1, 0}}, new int[] {2},
                new double[] {1}, new float[][] {{0, 1}}, new boolean[] {false})))
                .isInstanceOf(LossSurfaceException.class).hasMessage("Transition 0 took action 2 but the Q-network has only 2 outputs.");
        assertThatThrownBy(() -> TdObjective.frozen(linear(THETA), 0.5, new Transitions(new float[][] {{1, 0, 0}}, new int[] {0},
                new double[] {1}, new float[][] {{0, 1, 0}}, new boolean[] {false})))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessage("The transitions have observations of 3 entries but the Q-network's input layer takes 2.");
    }
}
