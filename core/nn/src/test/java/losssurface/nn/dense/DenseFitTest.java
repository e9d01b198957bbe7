package losssurface.nn.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The engine's training step against DL4J's {@code fit} on the same network and minibatches. */
class DenseFitTest {

    static final int N = 100;

    static MultiLayerNetwork network(int inputs, int outputs, Activation hidden, Activation out,
                                     LossFunctions.LossFunction loss, NeuralNetConfiguration.Builder base) {
        MultiLayerNetwork net = new MultiLayerNetwork(base.seed(11).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(32).activation(hidden).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(16).activation(hidden).build())
                .layer(new OutputLayer.Builder(loss).nIn(16).nOut(outputs).activation(out).build())
                .build());
        net.init();
        return net;
    }

    static float[] uniform(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    static float[] oneHot(int rows, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] y = new float[rows * classes];
        for (int i = 0; i < rows; i++) {
            y[i * classes + r.nextInt(classes)] = 1;
        }
        return y;
    }

    /**
     * One epoch of the same minibatches, in a shuffled order drawn from {@code r}, on the engine and through
     * DL4J's {@code fit}; returns the largest relative difference between the two reported batch losses.
     */
    static double epochOnBoth(EngineFit fit, MultiLayerNetwork reference, float[] x, float[] y, int n, int inputs, int outputs,
                              int batch, SplittableRandom r) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double worst = 0;
        for (int from = 0; from < n; from += batch) {
            int rows = Math.min(batch, n - from);
            float[] bx = new float[rows * inputs];
            float[] by = new float[rows * outputs];
            for (int k = 0; k < rows; k++) {
                System.arraycopy(x, order[from + k] * inputs, bx, k * inputs, inputs);
                System.arraycopy(y, order[from + k] * outputs, by, k * outputs, outputs);
            }
            double mine = fit.step(x, y, order, from, rows);
            reference.fit(new DataSet(Nd4j.create(bx, new long[] {rows, inputs}, 'c'),
                    Nd4j.create(by, new long[] {rows, outputs}, 'c')));
            worst = Math.max(worst, Math.abs(mine - reference.score()) / reference.score());
        }
        return worst;
    }

    /**
     * Three epochs of batches of 32 (the last of each epoch 4 examples) in a shuffled order, on the
     * engine and through DL4J's fit; returns ||engine - dl4j|| / ||dl4j|| of the final parameters.
     */
    static double trainBoth(MultiLayerNetwork net, float[] x, float[] y, int inputs, int outputs, double[] scores) {
        MultiLayerNetwork reference = net.clone();
        SplittableRandom r = new SplittableRandom(5);
        double worstScore = 0;
        try (DenseFit fit = new DenseFit(net, 1e-2, 32)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                worstScore = Math.max(worstScore, epochOnBoth(fit, reference, x, y, N, inputs, outputs, 32, r));
            }
            scores[0] = worstScore;
            float[] mine = fit.parameters();
            float[] theirs = reference.params().toFloatVector();
            assertThat(mine).isNotEqualTo(net.params().toFloatVector()); // it trained
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < mine.length; i++) {
                diff += (mine[i] - theirs[i]) * (double) (mine[i] - theirs[i]);
                norm += theirs[i] * (double) theirs[i];
            }
            fit.copyInto(net);
            assertThat(net.params().toFloatVector()).isEqualTo(mine);
            // a forward pass alone scores what DL4J scores, on a subset of the rows in any order
            int[] some = {7, 3, 99, 42, 0, 15};
            float[] sx = new float[some.length * inputs];
            float[] sy = new float[some.length * outputs];
            for (int k = 0; k < some.length; k++) {
                System.arraycopy(x, some[k] * inputs, sx, k * inputs, inputs);
                System.arraycopy(y, some[k] * outputs, sy, k * outputs, outputs);
            }
            double theirsScore = reference.score(new DataSet(Nd4j.create(sx, new long[] {some.length, inputs}, 'c'),
                    Nd4j.create(sy, new long[] {some.length, outputs}, 'c')));
            scores[1] = Math.abs(fit.evaluate(x, y, some)[0] - theirsScore) / theirsScore;
            return Math.sqrt(diff / norm);
        }
    }

    @Test
    void softmaxCrossEntropyStepsAreDl4jsFit() {
        MultiLayerNetwork net = network(20, 5, Activation.RELU, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT,
                new NeuralNetConfiguration.Builder().updater(new Adam(1e-2)));
        double[] score = new double[2];
        double relative = trainBoth(net, uniform(N * 20, 1), oneHot(N, 5, 2), 20, 5, score);
        assertThat(relative).isLessThan(1e-5);
        assertThat(score[0]).isLessThan(1e-5);
        assertThat(score[1]).isLessThan(1e-5);
    }

    @Test
    void tanhMseStepsAreDl4jsFit() {
        MultiLayerNetwork net = network(6, 2, Activation.TANH, Activation.IDENTITY, LossFunctions.LossFunction.MSE,
                new NeuralNetConfiguration.Builder().updater(new Adam(1e-2)));
        double[] score = new double[2];
        double relative = trainBoth(net, uniform(N * 6, 3), uniform(N * 2, 4), 6, 2, score);
        assertThat(relative).isLessThan(1e-5);
        // the reported and the evaluated score only (not what is trained on): a mean of small squared
        // errors, which DL4J adds up in float and the engine in double, agrees to a few float roundings
        assertThat(score[0]).isLessThan(1e-4);
        assertThat(score[1]).isLessThan(1e-4);
    }

    @Test
    void whatDl4jWouldTrainDifferentlyIsRefusedWithTheReason() {
        NeuralNetConfiguration.Builder sgd = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1));
        assertThat(DenseFit.unsupported(network(4, 3, Activation.RELU, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, sgd)))
                .hasValueSatisfying(m -> assertThat(m).contains("not updated by Adam"));
        NeuralNetConfiguration.Builder l2 = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).l2(1e-4);
        assertThat(DenseFit.unsupported(network(4, 3, Activation.RELU, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, l2)))
                .hasValueSatisfying(m -> assertThat(m).contains("regularised"));
        NeuralNetConfiguration.Builder dropout = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).dropOut(0.5);
        assertThat(DenseFit.unsupported(network(4, 3, Activation.RELU, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, dropout)))
                .hasValueSatisfying(m -> assertThat(m).contains("dropout"));
        NeuralNetConfiguration.Builder adam = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3));
        MultiLayerNetwork sigmoidXent = network(4, 3, Activation.RELU, Activation.SIGMOID, LossFunctions.LossFunction.XENT, adam);
        assertThat(DenseFit.unsupported(sigmoidXent)).hasValueSatisfying(m -> assertThat(m).contains("softmax with MCXENT"));
        assertThatThrownBy(() -> new DenseFit(sigmoidXent, 1e-3, 8)).hasMessageContaining("identity with MSE");
        MultiLayerNetwork fine = network(4, 3, Activation.RELU, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, adam);
        assertThat(DenseFit.unsupported(fine)).isEmpty();
        try (DenseFit fit = new DenseFit(fine, 1e-3, 8)) {
            assertThatThrownBy(() -> fit.step(new float[40], new float[30], new int[10], 0, 9))
                    .hasMessageContaining("1 to 8");
        }
        assertThat(Nd4j.dataType()).isEqualTo(DataType.FLOAT);
    }
}
