package losssurface.plugin.supervised;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.Check;
import losssurface.api.RunContext;
import losssurface.nn.SupervisedTask;

/**
 * y = sin(3 x1) + x2^2 + noise, x uniform on [-1, 1]^2. The data is drawn from the run seed; a
 * quarter of it is held out as the test set, which is also the evaluation set.
 */
final class RegressionTask implements SupervisedTask {

    /**
     * @param samples {@code regression.samples}: examples in all (a quarter held out)
     * @param hidden  {@code regression.hidden}: hidden layer sizes
     * @param noise   {@code regression.noise}: standard deviation of the label noise
     */
    record Config(int samples, List<Integer> hidden, double noise) {
        Config {
            Check.between("regression.samples", 8, 10_000_000, samples);
            RegressionTaskProvider.checkHidden("regression.hidden", hidden);
            Check.between("regression.noise", 0.0, 10.0, noise);
            hidden = List.copyOf(hidden);
        }
    }

    private final Config config;
    private DataSet all;
    private long dataSeed;

    RegressionTask(Config config) {
        this.config = config;
    }

    @Override
    public MultiLayerConfiguration network(long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = 2;
        for (int i = 0; i < config.hidden().size(); i++) {
            int out = config.hidden().get(i);
            list.layer(i, new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.TANH).build());
            in = out;
        }
        list.layer(config.hidden().size(), new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(in).nOut(1).activation(Activation.IDENTITY).build());
        return list.build();
    }

    @Override
    public DataSet trainingSet(RunContext context) {
        DataSet data = data(context.seed());
        int cut = data.numExamples() - data.numExamples() / 4;
        return slice(data, 0, cut);
    }

    @Override
    public DataSet testSet(RunContext context) {
        DataSet data = data(context.seed());
        int cut = data.numExamples() - data.numExamples() / 4;
        return slice(data, cut, data.numExamples());
    }

    @Override
    public String evaluationName() {
        return "the " + config.samples() / 4 + " held-out regression examples";
    }

    @Override
    public Hyperparameters recommended() {
        return new Hyperparameters(100, 32, 1e-2);
    }

    private static DataSet slice(DataSet data, int from, int to) {
        return new DataSet(data.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(),
                data.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
    }

    private synchronized DataSet data(long seed) {
        if (all == null || dataSeed != seed) {
            Random random = new Random(seed ^ 0x5DEECE66DL);
            int n = config.samples();
            float[][] x = new float[n][2];
            float[][] y = new float[n][1];
            for (int i = 0; i < n; i++) {
                double x1 = 2 * random.nextDouble() - 1;
                double x2 = 2 * random.nextDouble() - 1;
                x[i][0] = (float) x1;
                x[i][1] = (float) x2;
                y[i][0] = (float) (Math.sin(3 * x1) + x2 * x2 + config.noise() * random.nextGaussian());
            }
            all = new DataSet(Nd4j.create(x), Nd4j.create(y));
            dataSeed = seed;
        }
        return all;
    }
}
