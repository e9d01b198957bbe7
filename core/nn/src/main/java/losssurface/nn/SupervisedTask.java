package losssurface.nn;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.dataset.DataSet;

import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.Task;
import losssurface.api.TrainedModel;

/**
 * A task learned from labelled examples by a DL4J {@code MultiLayerNetwork}: the kind of task the
 * {@code supervised} trainer trains. The task defines the architecture and the data; the
 * trainer chooses the optimiser.
 */
public interface SupervisedTask extends Task {

    /** The network to train, initialised from {@code seed}. Its last layer is an output layer with a loss. */
    MultiLayerConfiguration network(long seed);

    /** All training examples (features and labels), loaded once. */
    DataSet trainingSet(RunContext context);

    /** The held-out examples the trainer reports on after every epoch. */
    DataSet testSet(RunContext context);

    /** The examples every grid point is scored on; by default the test set. */
    default DataSet evaluationSet(RunContext context) {
        return testSet(context);
    }

    /** Mean loss (and accuracy for classifiers) of the trained network over {@link #evaluationSet}. */
    @Override
    default Objective objective(TrainedModel model, RunContext context) {
        if (!(model instanceof NetworkModel network)) {
            throw new IllegalArgumentException("A supervised task needs a NetworkModel, got " + model.getClass().getName());
        }
        return NetworkObjective.of(network.network(), evaluationSet(context), evaluationName());
    }

    /** The training set in minibatches for the network of {@code model} (a {@link NetworkModel}), for {@code connect}. */
    @Override
    default java.util.Optional<losssurface.api.Connection.Batches> trainingBatches(TrainedModel model, RunContext context,
                                                                                  int batchSize) {
        if (!(model instanceof NetworkModel network)) {
            return java.util.Optional.empty();
        }
        DataSet data = trainingSet(context);
        return java.util.Optional.of(new NetworkBatches(network.network(), data, batchSize, "the " + data.numExamples()
                + " training examples"));
    }

    /** Training settings that suit this task, used where the user sets none. */
    default Hyperparameters recommended() {
        return new Hyperparameters(10, 128, 1e-3);
    }

    /**
     * Training settings.
     *
     * @param epochs       passes over the training set
     * @param batchSize    examples per gradient step
     * @param learningRate Adam's step size
     * @param validation   training examples held out (a seeded split) to choose theta*: the epoch
     *                     with the lowest loss on them. 0 holds none out, and theta* is the last epoch
     */
    record Hyperparameters(int epochs, int batchSize, double learningRate, int validation) {
        public Hyperparameters {
            losssurface.api.Check.positive("epochs", epochs);
            losssurface.api.Check.positive("batch size", batchSize);
            losssurface.api.Check.positive("learning rate", learningRate);
            losssurface.api.Check.between("validation examples", 0, Integer.MAX_VALUE, validation);
        }

        /** Settings that hold nothing out: theta* is the last epoch. */
        public Hyperparameters(int epochs, int batchSize, double learningRate) {
            this(epochs, batchSize, learningRate, 0);
        }
    }

    /** Names the evaluation set in descriptions, e.g. "the 10000 MNIST test images". */
    default String evaluationName() {
        return "the evaluation set";
    }
}
