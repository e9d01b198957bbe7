package losssurface.nn.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The plain-Java arithmetic against DL4J's own forward pass, backpropagation and Adam. */
class DenseTrainerTest {

    static final int ROWS = 7;

    static float[] inputs(int rows, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    /** A DL4J Q-network as the RL trainers build it: ReLU hidden layers, identity output, MSE loss, Adam. */
    static MultiLayerNetwork network(int observations, int actions, List<Integer> hidden, double learningRate, long seed) {
        org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder list = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(seed).weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .updater(new org.nd4j.linalg.learning.config.Adam(learningRate)).list();
        int in = observations;
        for (int i = 0; i < hidden.size(); i++) {
            list.layer(i, new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(in).nOut(hidden.get(i))
                    .activation(org.nd4j.linalg.activations.Activation.RELU).build());
            in = hidden.get(i);
        }
        list.layer(hidden.size(), new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nIn(in).nOut(actions)
                .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    @Test
    void forwardPassIsDl4jsOutput() {
        MultiLayerNetwork net = network(4, 3, List.of(16, 8), 1e-3, 3);
        DenseTrainer mlp = new DenseTrainer(net, 1e-3, ROWS);
        float[] x = inputs(ROWS, 4, 1);
        float[] mine = mlp.forward(x, ROWS).clone();
        float[] theirs = net.output(Nd4j.create(x, new long[] {ROWS, 4}, DataType.FLOAT), false).dup('c').data().asFloat();
        assertThat(java.util.Arrays.copyOf(mine, ROWS * 3)).containsExactly(theirs, within(1e-5f));
        assertThat(mlp.parameters()).isEqualTo(net.params().toFloatVector());
    }

    @Test
    void gradientAndAdamStepAreDl4jsOnTheTdLossAtTheTakenActions() {
        MultiLayerNetwork net = network(4, 3, List.of(16, 8), 1e-2, 5);
        DenseTrainer mlp = new DenseTrainer(net, 1e-2, ROWS);
        float[] x = inputs(ROWS, 4, 2);
        int[] actions = {0, 2, 1, 1, 0, 2, 2};
        double[] targets = {0.5, -1, 2, 0.1, 0, 1.5, -0.3};
        float[] q = mlp.forward(x, ROWS).clone();
        // DL4J: MSE towards labels equal to its outputs except at the taken actions. Its loss per
        // example is sum_k (q - label)^2 / nOut, averaged over the minibatch, i.e. the mean squared
        // TD error divided by nOut.
        float[] labels = java.util.Arrays.copyOf(q, ROWS * 3);
        double[] dOut = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            labels[r * 3 + actions[r]] = (float) targets[r];
            dOut[r] = 2 * (q[r * 3 + actions[r]] - targets[r]) / ROWS / 3;
        }
        float[] mine = mlp.backward(ROWS, actions, dOut).clone();
        INDArray in = Nd4j.create(x, new long[] {ROWS, 4}, DataType.FLOAT);
        INDArray y = Nd4j.create(labels, new long[] {ROWS, 3}, DataType.FLOAT);
        net.setInput(in);
        net.setLabels(y);
        net.computeGradientAndScore();
        float[] theirs = net.gradient().gradient().toFloatVector(); // summed over examples
        for (int i = 0; i < theirs.length; i++) {
            theirs[i] /= ROWS;
        }
        assertThat(mine).containsExactly(theirs, within(1e-6f));
        // one Adam step each (every parameter moves by about the learning rate, 1e-2): the same step
        float[] before = mlp.parameters();
        mlp.adamStep();
        net.fit(in, y);
        float[] after = net.params().toFloatVector();
        float[] stepped = mlp.parameters();
        double worst = 0;
        for (int i = 0; i < after.length; i++) {
            if (Math.abs(theirs[i]) > 1e-6) { // where the gradient is ~0, Adam's step is the sign of rounding noise
                worst = Math.max(worst, Math.abs((stepped[i] - before[i]) - (after[i] - before[i])));
            }
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    void otherArchitecturesAreRefused() {
        MultiLayerNetwork tanh = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam()).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        tanh.init();
        assertThatThrownBy(() -> new DenseTrainer(tanh, 1e-3, 1)).hasMessageContaining("expected ReLU hidden layers and an identity output");
    }

    @Test
    void aTwinIsIndependent() {
        DenseTrainer a = new DenseTrainer(network(2, 2, List.of(4), 1e-2, 1), 1e-2, 2);
        DenseTrainer b = a.twin();
        assertThat(b.parameters()).isEqualTo(a.parameters());
        a.forward(new float[] {1, 1}, 1);
        a.backward(1, new int[] {0}, new double[] {1});
        a.adamStep();
        assertThat(b.parameters()).isNotEqualTo(a.parameters());
        a.copyTo(b);
        assertThat(b.parameters()).isEqualTo(a.parameters());
    }
}
