package losssurface.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.GridRequest;
import losssurface.api.SurfaceEvaluator;
import losssurface.nn.GraphObjective;
import losssurface.nn.NetworkObjective;

/**
 * The {@code dl4j-onnx} evaluator against DL4J's own forward pass (the plain method): at theta* and at two points off
 * it, to 1e-5 relative, on convolutional networks like the MNIST CNN, with and without batch normalisation, as a
 * MultiLayerNetwork and as a ComputationGraph.
 */
class Dl4jOnnxEvaluatorTest {

    /** Images of {@code side} x {@code side} pixels, flat as MNIST's, with labels that depend on them. */
    static DataSet images(int n, int side, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][side * side];
        float[][] y = new float[n][10];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            for (int p = 0; p < side * side; p++) {
                x[i][p] = (float) (r.nextDouble() * 0.5 + (p % 10 == c ? 0.5 : 0));
            }
            y[i][c] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    /** conv 5x5x8, max-pool 2, conv 3x3x6 (stride 1, padding 1), average pool 2, [batch norm], dense 16, softmax 10. */
    static MultiLayerNetwork cnn(boolean batchNorm, int side, long seed) {
        var list = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(0.01)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(6).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build());
        if (batchNorm) {
            list.layer(new BatchNormalization.Builder().build());
        }
        MultiLayerConfiguration conf = list
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.LEAKYRELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(side, side, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static void assertAgreesWithDl4j(MultiLayerNetwork net, DataSet data) {
        assertAgreesWithDl4j(NetworkObjective.of(net, data, "test images"), net.params().toFloatVector());
    }

    static void assertAgreesWithDl4j(losssurface.api.Objective objective, float[] centre) {
        Dl4jOnnxEvaluator evaluator = new Dl4jOnnxEvaluator();
        assertThat(evaluator.support(objective)).isEqualTo(SurfaceEvaluator.Support.YES);
        Random r = new Random(9);
        float[] d1 = new float[centre.length];
        float[] d2 = new float[centre.length];
        for (int i = 0; i < centre.length; i++) {
            d1[i] = (float) (r.nextGaussian() * 0.1);
            d2[i] = (float) (r.nextGaussian() * 0.1);
        }
        objective.layout().clearState(d1);
        objective.layout().clearState(d2);
        double[] alphas = {-1, 0, 0.5};
        double[] betas = {0, 0.7};
        GridRequest grid = new GridRequest(centre, d1, alphas, d2, betas, 1);
        try (SurfaceEvaluator.Prepared prepared = evaluator.prepare(objective, grid)) {
            SurfaceEvaluator.Worker worker = prepared.worker();
            assertThat(prepared.note()).contains("converted to ONNX in memory");
            float[] p = new float[centre.length];
            for (int[] point : List.of(new int[] {1, 0}, new int[] {0, 1}, new int[] {2, 1})) {
                grid.point(point[0], point[1], p);
                double[] ours = worker.point(point[0], point[1]);
                double[] dl4j = objective.evaluate(p);
                assertThat(ours).hasSameSizeAs(dl4j);
                for (int m = 0; m < ours.length; m++) {
                    assertThat(ours[m]).as("metric %d at a=%s b=%s", m, alphas[point[0]], betas[point[1]])
                            .isCloseTo(dl4j[m], within(1e-5 * Math.max(1, Math.abs(dl4j[m]))));
                }
            }
        }
    }

    @Test
    void aConvolutionalNetworkScoresAsDl4jDoesAtTheCentreAndOffIt() {
        DataSet train = images(200, 16, 1);
        MultiLayerNetwork net = cnn(false, 16, 3);
        for (int i = 0; i < 5; i++) {
            net.fit(train);
        }
        assertAgreesWithDl4j(net, images(120, 16, 2));
    }

    @Test
    void batchNormalisationIsScoredWithItsRunningStatistics() {
        DataSet train = images(200, 16, 4);
        MultiLayerNetwork net = cnn(true, 16, 5);
        for (int i = 0; i < 5; i++) {
            net.fit(train); // the running mean and variance move away from 0 and 1
        }
        assertAgreesWithDl4j(net, images(120, 16, 6));
    }

    /** The CNN as a ComputationGraph: a chain of layer vertices, preprocessors added from the input type. */
    static ComputationGraph graph(double l2, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(0.01)).l2(l2)
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "pool") // the var + eps form
                .addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").setInputTypes(InputType.convolutionalFlat(16, 16, 1)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void aComputationGraphThatIsAChainOfLayersScoresAsDl4jDoes() {
        ComputationGraph graph = graph(0, 11);
        DataSet train = images(200, 16, 12);
        for (int i = 0; i < 5; i++) {
            graph.fit(train);
        }
        assertAgreesWithDl4j(GraphObjective.of(graph, images(120, 16, 13), true, "test images"), graph.params().toFloatVector());

        ComputationGraph regularised = graph(1e-3, 11);
        assertThat(new Dl4jOnnxEvaluator().support(GraphObjective.of(regularised, images(10, 16, 13), true, "x")).why())
                .contains("regularised");

        ComputationGraph branched = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build());
        branched.init();
        assertThat(Dl4jToOnnx.unsupported(branched)).hasValueSatisfying(w -> assertThat(w).contains("vertex b takes [in] (a chain of layers, each fed by the one before, is covered)"));
    }

    @Test
    void multilayerPerceptronsAreLeftToFastMlpAndUncoveredLayersAreNamed() {
        MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        mlp.init();
        DataSet small = new DataSet(Nd4j.rand(6, 4), Nd4j.eye(3).repeat(0, 2));
        assertThat(new Dl4jOnnxEvaluator().support(NetworkObjective.of(mlp, small, "x"))).isEqualTo(SurfaceEvaluator.Support.NOT_ITS_KIND);

        MultiLayerNetwork sigmoidMse = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(3).activation(Activation.SIGMOID).build())
                .build());
        sigmoidMse.init();
        assertThat(Dl4jToOnnx.unsupported(sigmoidMse)).isEmpty(); // the conversion covers it; the loss does not
        assertThat(new Dl4jOnnxEvaluator().support(NetworkObjective.of(sigmoidMse, small, "x")).why())
                .contains("the output layer's loss is not softmax cross-entropy");
        MultiLayerNetwork lstm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(4).nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        lstm.init();
        assertThat(Dl4jToOnnx.unsupported(lstm)).hasValueSatisfying(w -> assertThat(w).contains("layer 0 is a LSTM"));
    }
}
