package losssurface.nn.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The engine's convolutional training step against DL4J's {@code fit} on the same network and minibatches. */
class ConvFitTest {

    static final int N = 60;
    static final int H = 10;
    static final int W = 9;
    static final int C = 2;

    /**
     * Two channels of 10x9 images; a padded 3x3 convolution, a max pool, a strided convolution with
     * tanh, an average pool, a dense layer and the output layer: every code path of the engine.
     */
    static MultiLayerNetwork network(Activation out, LossFunctions.LossFunction loss, int outputs) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).stride(1, 2).nOut(5).activation(Activation.TANH)
                        .convolutionMode(ConvolutionMode.Truncate).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 1).stride(1, 1).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(loss).nOut(outputs).activation(out).build())
                .setInputType(InputType.convolutionalFlat(H, W, C))
                .build());
        net.init();
        return net;
    }

    /** Three epochs of shuffled batches of 16 (the last of each 12) on both; returns the parameters' relative difference. */
    static double trainBoth(MultiLayerNetwork net, float[] x, float[] y, int outputs, double[] worstScore, int threads) {
        MultiLayerNetwork reference = net.clone();
        int inputs = C * H * W;
        SplittableRandom r = new SplittableRandom(5);
        try (ConvFit fit = new ConvFit(net, 1e-2, 16, threads)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                worstScore[0] = Math.max(worstScore[0], DenseFitTest.epochOnBoth(fit, reference, x, y, N, inputs, outputs, 16, r));
            }
            float[] mine = fit.parameters();
            float[] theirs = reference.params().toFloatVector();
            assertThat(mine).isNotEqualTo(net.params().toFloatVector()); // it trained
            double diff = 0;
            double norm = 0;
            double moved = 0;
            float[] start = net.params().toFloatVector();
            for (int i = 0; i < mine.length; i++) {
                diff += (mine[i] - theirs[i]) * (double) (mine[i] - theirs[i]);
                norm += theirs[i] * (double) theirs[i];
                moved += (theirs[i] - start[i]) * (double) (theirs[i] - start[i]);
            }
            assertThat(Math.sqrt(moved / norm)).isGreaterThan(1e-2); // DL4J's steps moved the parameters well beyond the tolerance
            fit.copyInto(net);
            assertThat(net.params().toFloatVector()).isEqualTo(mine);
            // a forward pass alone scores what DL4J scores
            double[] scored = fit.evaluate(x, y, java.util.stream.IntStream.range(0, N).toArray());
            double theirsScore = reference.score(new DataSet(Nd4j.create(x, new long[] {N, inputs}, 'c'),
                    Nd4j.create(y, new long[] {N, outputs}, 'c')));
            assertThat(Math.abs(scored[0] - theirsScore) / theirsScore).isLessThan(1e-5);
            if (outputs == 3) { // the classifier: the same rows counted correct as the objective counts
                double[] objective = losssurface.nn.NetworkObjective.of(reference, new DataSet(Nd4j.create(x, new long[] {N, inputs}, 'c'),
                        Nd4j.create(y, new long[] {N, outputs}, 'c')), "the examples").evaluate(mine);
                assertThat(scored[1]).isEqualTo(objective[1]);
            }
            return Math.sqrt(diff / norm);
        }
    }

    @Test
    void softmaxCrossEntropyStepsAreDl4jsFit() {
        MultiLayerNetwork net = network(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, 3);
        double[] score = new double[1];
        double relative = trainBoth(net, DenseFitTest.uniform(N * C * H * W, 1), DenseFitTest.oneHot(N, 3, 2), 3, score, 2);
        assertThat(relative).isLessThan(1e-5);
        assertThat(score[0]).isLessThan(1e-5);
    }

    @Test
    void identityMseStepsAreDl4jsFit() {
        MultiLayerNetwork net = network(Activation.IDENTITY, LossFunctions.LossFunction.MSE, 2);
        double[] score = new double[1];
        double relative = trainBoth(net, DenseFitTest.uniform(N * C * H * W, 3), DenseFitTest.uniform(N * 2, 4), 2, score, 1);
        assertThat(relative).isLessThan(1e-5);
        assertThat(score[0]).isLessThan(1e-4); // the reported score: squared errors DL4J adds in float (as in DenseFitTest)
    }

    @Test
    void theStepsAreTheSameOnAnyNumberOfThreads() {
        float[] x = DenseFitTest.uniform(N * C * H * W, 5);
        float[] y = DenseFitTest.oneHot(N, 3, 6);
        int[] order = java.util.stream.IntStream.range(0, N).map(i -> (i * 7) % N).toArray();
        float[][] trained = new float[2][];
        double[][] losses = new double[2][];
        int[] threads = {1, 3};
        for (int t = 0; t < 2; t++) {
            MultiLayerNetwork net = network(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, 3);
            try (ConvFit fit = new ConvFit(net, 1e-2, 16, threads[t])) {
                int[] batches = {16, 1, 15, 16, 12}; // a batch of one leaves the second part empty
                losses[t] = new double[batches.length];
                for (int b = 0, from = 0; b < batches.length; from += batches[b], b++) {
                    losses[t][b] = fit.step(x, y, order, from, batches[b]);
                }
                trained[t] = fit.parameters();
            }
        }
        assertThat(trained[1]).isEqualTo(trained[0]);
        assertThat(losses[1]).isEqualTo(losses[0]);
    }

    @Test
    void whatTheEngineDoesNotTrainIsNamed() {
        MultiLayerNetwork bn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build());
        bn.init();
        assertThat(EngineFit.unsupported(bn)).hasValueSatisfying(m -> assertThat(m).contains("layer 1 is a BatchNormalization"));
        assertThatThrownBy(() -> EngineFit.of(bn, 1e-3, 8, 2)).hasMessageContaining("BatchNormalization");
        MultiLayerNetwork same = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build());
        same.init();
        assertThat(ConvFit.unsupported(same)).hasValueSatisfying(m -> assertThat(m).contains("ConvolutionMode.Same"));
        MultiLayerNetwork fine = network(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, 3);
        assertThat(EngineFit.unsupported(fine)).isEmpty();
        try (EngineFit fit = EngineFit.of(fine, 1e-3, 8, 2)) {
            assertThat(fit.kind()).isEqualTo("convolutional");
            assertThatThrownBy(() -> fit.step(new float[9 * C * H * W], new float[27], new int[9], 0, 9)).hasMessageContaining("1 to 8");
        }
    }
}
