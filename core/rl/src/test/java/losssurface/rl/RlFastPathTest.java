package losssurface.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.Environment;
import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.Progress;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.Layouts;

/** The fast grid evaluators of the RL objectives agree with their plain evaluation. */
class RlFastPathTest {

    /** A 1D walk on 0..6 from a seeded start; action 1 moves right; the episode ends at either end or after 30 steps. */
    static final class Walk implements Environment {
        private int pos;
        private int steps;

        public int observationSize() {
            return 2;
        }

        public int actionCount() {
            return 2;
        }

        public float[] reset(long seed) {
            pos = 1 + (int) Math.floorMod(seed * 7919, 5);
            steps = 0;
            return obs();
        }

        public Step step(int action) {
            pos += action == 1 ? 1 : -1;
            steps++;
            boolean end = pos <= 0 || pos >= 6;
            return new Step(obs(), pos >= 6 ? 1.0 : 0.1, end, !end && steps >= 30);
        }

        private float[] obs() {
            return new float[] {pos / 6f, (float) Math.sin(pos)};
        }
    }

    static MultiLayerNetwork qnet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** {@code request} through the surface job with the rl and nn evaluators installed, chosen by {@code evaluator}. */
    static GridValues evaluate(String evaluator, losssurface.api.Objective o, GridRequest request) {
        return new losssurface.runs.SurfaceJob(java.util.List.of(new FastRolloutEvaluatorProvider(),
                new losssurface.nn.dense.FastMlpEvaluatorProvider()), new losssurface.runs.SurfaceJob.Config(evaluator, 1_000_000))
                .evaluate(o, request, Progress.silent());
    }

    static GridRequest grid(float[] theta) {
        java.util.Random r = new java.util.Random(3);
        float[] d1 = new float[theta.length];
        float[] d2 = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            d1[i] = (float) (0.3 * r.nextGaussian());
            d2[i] = (float) (0.3 * r.nextGaussian());
        }
        return new GridRequest(theta, d1, new double[] {-1, -0.5, 0, 0.5, 1}, d2, new double[] {-1, 0, 1});
    }

    @Test
    void tdObjectivesFastAndPlainAgree() {
        MultiLayerNetwork net = qnet();
        Transitions d = Transitions.collect(net, new Walk(), 400, 0.5, 11);
        float[] theta = net.params().toFloatVector();
        for (TdObjective o : new TdObjective[] {TdObjective.frozen(net, 0.9, d), TdObjective.online(net, 0.9, d)}) {
            GridRequest request = grid(theta);
            GridValues fast = evaluate("fast", o, request);
            GridValues plain = evaluate("plain", o, request);
            assertThat(fast.evaluator()).isEqualTo("fast-mlp");
            for (int m = 0; m < 2; m++) {
                for (int c = 0; c < request.points(); c++) {
                    double p = plain.values()[m][c];
                    assertThat(fast.values()[m][c]).as("%s metric %d cell %d", o.target(), m, c)
                            .isCloseTo(p, within(1e-4 * Math.max(1e-3, Math.abs(p))));
                }
            }
        }
    }

    /** The fast return surface of {@code net} over {@link #grid}, checked equal to the plain one. */
    static GridValues assertReturnSurfacesEqual(MultiLayerNetwork net) {
        ReturnObjective o = ReturnObjective.of(net, Walk::new, 100, 6);
        GridRequest request = grid(net.params().toFloatVector());
        GridValues fast = evaluate("fast", o, request);
        GridValues plain = evaluate("plain", o, request);
        assertThat(fast.evaluator()).isEqualTo("fast-rollout");
        assertThat(fast.values()[0]).containsExactly(plain.values()[0], within(1e-9));
        assertThat(fast.values()[1]).containsExactly(plain.values()[1], within(1e-9));
        return fast;
    }

    @Test
    void returnObjectiveFastAndPlainAgree() {
        assertReturnSurfacesEqual(qnet());
    }

    /** The Q-network with its two outputs one float step apart: the greedy choice hangs on rounding. */
    static MultiLayerNetwork nearlyTied() {
        MultiLayerNetwork net = qnet();
        org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(2).getParam("W");
        org.nd4j.linalg.api.ndarray.INDArray b = net.getLayer(2).getParam("b");
        for (int k = 0; k < w.rows(); k++) {
            w.putScalar(k, 1, Math.nextUp(w.getFloat(k, 0)));
        }
        b.putScalar(0, 1, b.getFloat(0, 0));
        return net;
    }

    @Test
    void theDoubleForwardPassAnswersOnlyWhenFloatRoundingCannotChangeTheGreedyAction() {
        MultiLayerNetwork net = qnet();
        DenseNet forward = DenseNet.of(Layouts.of(net));
        float[] p = net.params().toFloatVector();
        double[][] scratch = forward.scratch();
        float[] obs = {0.5f, 0.3f};
        float[] q = net.output(org.nd4j.linalg.factory.Nd4j.create(new float[][] {obs}), false).toFloatVector();
        assertThat(forward.greedy(p, obs, 0, scratch)).isEqualTo(Rollouts.argmax(q, 0, 2));

        MultiLayerNetwork tied = nearlyTied();
        assertThat(forward.greedy(tied.params().toFloatVector(), obs, 0, scratch)).isEqualTo(-1);
    }

    @Test
    void nearTiesAreSettledByTheLibrarySoFastAndPlainReturnsAreEqual() {
        GridValues fast = assertReturnSurfacesEqual(nearlyTied()); // the grid's centre (0, 0) is the tied network
        assertThat(fast.note()).matches("[1-9][0-9]* of [0-9]+ greedy steps were near ties settled by DL4J's own forward pass");
    }
}
