package losssurface.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.LossSurfaceException;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.FastMlpEvaluator;
import losssurface.nn.dense.Layouts;

class NetworkObjectiveTest {

    static MultiLayerNetwork classifier() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    static DataSet data(int n) {
        return data(n, 4);
    }

    static DataSet data(int n, int inputs) {
        java.util.Random r = new java.util.Random(5);
        float[][] x = new float[n][inputs];
        float[][] y = new float[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inputs; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i][r.nextInt(3)] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    @Test
    void crossEntropyMatchesDl4jScoreAndAccuracyMatchesItsEvaluation() {
        MultiLayerNetwork net = classifier();
        DataSet data = data(50);
        NetworkObjective objective = NetworkObjective.of(net, data, "50 random examples");
        assertThat(objective.metrics()).containsExactly("loss", "accuracy");
        double[] v = objective.evaluate(net.params().toFloatVector());
        assertThat(v[0]).isCloseTo(net.score(data, false), within(1e-5));
        int[] predicted = net.predict(data.getFeatures());
        int correct = 0;
        for (int i = 0; i < 50; i++) {
            correct += data.getLabels().getRow(i).argMax().getInt(0) == predicted[i] ? 1 : 0;
        }
        assertThat(v[1]).isEqualTo(correct / 50.0);
        assertThat(objective.description()).isEqualTo("mean cross-entropy (natural log) and accuracy over 50 random examples");
    }

    @Test
    void theGradientMatchesCentralDifferencesOfTheLoss() {
        MultiLayerNetwork net = classifier();
        NetworkObjective objective = NetworkObjective.of(net, data(40), "x");
        float[] theta = net.params().toFloatVector();
        float[] g = objective.gradient(theta);
        assertThat(g).hasSize(theta.length);
        for (int i : new int[] {0, 7, 19, 20, 24, 25, 30, 40, 42}) {
            float[] plus = theta.clone();
            float[] minus = theta.clone();
            plus[i] += 1e-2f;
            minus[i] -= 1e-2f;
            double fd = (objective.evaluate(plus)[0] - objective.evaluate(minus)[0]) / (plus[i] - minus[i]);
            assertThat(g[i]).as("parameter %d", i).isCloseTo((float) fd, within(2e-3f + 0.02f * Math.abs((float) fd)));
        }
    }

    static float[] randomDirection(int n, long seed, float scale) {
        java.util.Random r = new java.util.Random(seed);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (r.nextGaussian() * scale);
        }
        return d;
    }

    /** {@code request} through the surface job with the fast-mlp evaluator installed, chosen by {@code evaluator}. */
    static losssurface.api.GridValues evaluate(String evaluator, losssurface.api.Objective objective,
                                               losssurface.api.GridRequest request) {
        return new losssurface.runs.SurfaceJob(java.util.List.of(new losssurface.nn.dense.FastMlpEvaluatorProvider()),
                new losssurface.runs.SurfaceJob.Config(evaluator, 1_000_000)).evaluate(objective, request,
                losssurface.api.Progress.silent());
    }

    static void assertFastMatchesPlain(MultiLayerNetwork net, DataSet data, boolean plane) {
        NetworkObjective objective = NetworkObjective.of(net, data, "x");
        float[] theta = net.params().toFloatVector();
        double[] alphas = {-1, -0.3, 0, 0.5, 1};
        losssurface.api.GridRequest request = plane
                ? new losssurface.api.GridRequest(theta, randomDirection(theta.length, 1, 0.3f), alphas,
                        randomDirection(theta.length, 2, 0.3f), new double[] {-1, 0, 0.7})
                : losssurface.api.GridRequest.line(theta, randomDirection(theta.length, 1, 0.3f), alphas);
        losssurface.api.GridValues fast = evaluate("fast", objective, request);
        losssurface.api.GridValues plain = evaluate("plain", objective, request);
        assertThat(fast.evaluator()).isEqualTo("fast-mlp");
        assertThat(plain.evaluator()).isEqualTo("plain");
        for (int m = 0; m < plain.values().length; m++) {
            for (int c = 0; c < plain.values()[m].length; c++) {
                double p = plain.values()[m][c];
                assertThat(fast.values()[m][c]).as("metric %d cell %d", m, c).isCloseTo(p, within(1e-4 * Math.max(1, Math.abs(p))));
            }
        }
    }

    @Test
    void theFastGridEvaluatorAgreesWithThePlainOneForClassifiersAndRegressors() {
        assertFastMatchesPlain(classifier(), data(64), true);
        assertFastMatchesPlain(classifier(), data(64), false);
        MultiLayerNetwork deep = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        deep.init();
        DataSet regression = new DataSet(data(30).getFeatures(), Nd4j.rand(30, 2));
        assertFastMatchesPlain(deep, regression, true);
    }

    @Test
    void theFastGridEvaluatorAgreesForWideInputsManyBlocksAndSingleLayerNetworks() {
        // more inputs than FastMlpEvaluator.DIRECT_INPUTS: the first layer from its affine pieces;
        // two full blocks of examples and a partial one
        int inputs = FastMlpEvaluator.DIRECT_INPUTS + 24;
        MultiLayerNetwork wide = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(12).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(12).nOut(7).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        wide.init();
        DataSet many = data(2 * FastMlpEvaluator.BLOCK + 452, inputs);
        assertFastMatchesPlain(wide, many, true);
        assertFastMatchesPlain(wide, many, false);
        MultiLayerNetwork single = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        single.init();
        assertFastMatchesPlain(single, data(FastMlpEvaluator.BLOCK + 1), true);
    }

    /** Evaluates a line with the grid evaluator and checks it fell back to the plain method with {@code note}. */
    static void assertFallsBackToPlain(MultiLayerNetwork net, String note) {
        NetworkObjective objective = NetworkObjective.of(net, data(20), "x");
        float[] theta = net.params().toFloatVector();
        losssurface.api.GridRequest request = losssurface.api.GridRequest.line(theta, randomDirection(theta.length, 1, 0.1f),
                new double[] {-1, 0, 1});
        losssurface.api.GridValues values = evaluate("fast", objective, request);
        assertThat(values.evaluator()).isEqualTo("plain");
        assertThat(values.note()).isEqualTo(note);
        assertThat(values.values()[0][1]).isCloseTo(objective.evaluate(theta)[0], within(1e-12));
    }

    @Test
    void aHiddenActivationTheFastPathDoesNotComputeFallsBackToThePlainMethod() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.ELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        assertFallsBackToPlain(net, "fast path not used: layer 0 has activation elu(alpha=1.0) "
                + "(the fast path handles relu, identity, tanh, sigmoid)");
    }

    @Test
    void aNetworkTheFastPathCannotHandleFallsBackToThePlainMethodAndSaysWhy() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        assertFallsBackToPlain(net, "fast path not used: layer 1 is a BatchNormalization "
                + "(the fast path handles dense layers and a dense output layer)");
    }

    @Test
    void scoresACopySoTheCallersNetworkIsUntouched() {
        MultiLayerNetwork net = classifier();
        float[] before = net.params().toFloatVector();
        NetworkObjective objective = NetworkObjective.of(net, data(10), "x");
        float[] other = before.clone();
        other[0] += 1;
        objective.evaluate(other);
        assertThat(net.params().toFloatVector()).isEqualTo(before);
    }

    @Test
    void theLayoutFollowsDl4jsFlatVector() {
        ParameterLayout layout = Layouts.of(classifier());
        assertThat(layout.blocks()).extracting(ParameterBlock::name).containsExactly("0_W", "0_b", "1_W", "1_b");
        assertThat(layout.blocks().get(0).shape()).containsExactly(4, 5);
        assertThat(layout.blocks().get(0).order()).isEqualTo('f');
        assertThat(layout.blocks().get(1).shape()).containsExactly(5);
        assertThat(layout.blocks().get(2).offset()).isEqualTo(25);
        assertThat(layout.blocks().get(3).activation()).isEqualTo("softmax");
        // 0_W is column-major: neuron j's incoming weights are the contiguous column j
        MultiLayerNetwork net = classifier();
        float[] flat = net.params().toFloatVector();
        float[] w = net.getLayer(0).getParam("W").getColumn(2).toFloatVector();
        int[] idx = layout.blocks().get(0).neuronIndices(2);
        for (int i = 0; i < 4; i++) {
            assertThat(flat[idx[i]]).isEqualTo(w[i]);
        }
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsAClearError() {
        DataSet wrong = new DataSet(Nd4j.zeros(3, 7), Nd4j.zeros(3, 3));
        assertThatThrownBy(() -> NetworkObjective.of(classifier(), wrong, "x"))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessage("The evaluation data has 7 features per example but the network's input layer takes 4.");
    }
}
