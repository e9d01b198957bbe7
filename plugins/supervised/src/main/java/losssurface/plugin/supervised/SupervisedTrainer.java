package losssurface.plugin.supervised;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import losssurface.api.LossSurfaceException;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.SettingsException;
import losssurface.api.Task;
import losssurface.api.TrainedModel;
import losssurface.api.Trainer;
import losssurface.api.TrainingHistory;
import losssurface.nn.NetworkModel;
import losssurface.nn.NetworkObjective;
import losssurface.nn.SupervisedTask.Hyperparameters;
import losssurface.nn.SupervisedTask;

/**
 * Minibatch Adam on the task's network. The examples are reshuffled every epoch from a seeded
 * generator; the parameters are snapshot before training and after every epoch.
 */
final class SupervisedTrainer implements Trainer {

    private final SupervisedSettings settings;

    SupervisedTrainer(SupervisedSettings settings) {
        this.settings = settings;
    }

    @Override
    public TrainedModel train(Task task, RunContext context) {
        SupervisedTask supervised = (SupervisedTask) task;
        Hyperparameters hp = settings.over(supervised.recommended());
        DataSet train = supervised.trainingSet(context);
        DataSet test = supervised.testSet(context);
        int n = train.numExamples();
        if (hp.batchSize() > n) {
            throw new SettingsException(SupervisedSettings.BATCH + " is " + hp.batchSize() + " but the training set has only "
                    + n + " examples. Choose a batch size between 1 and " + n + ".");
        }

        MultiLayerConfiguration conf = supervised.network(context.seed());
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            if (layerConf.getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new Adam(hp.learningRate()));
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        NetworkObjective testScore = NetworkObjective.of(net, test, "the test set");

        List<float[]> checkpoints = new ArrayList<>();
        checkpoints.add(net.params().toFloatVector());
        double[] trainLoss = new double[hp.epochs()];
        double[] testLoss = new double[hp.epochs()];
        double[] testAccuracy = new double[hp.epochs()];
        boolean classifier = testScore.metrics().contains("accuracy");
        int batches = (n + hp.batchSize() - 1) / hp.batchSize();
        long started = System.nanoTime();
        try (Progress.Meter meter = context.progress().meter("Training", (long) hp.epochs() * batches, "batches")) {
            for (int epoch = 0; epoch < hp.epochs(); epoch++) {
                train.shuffle(context.seed() * 1_000_003L + epoch);
                List<DataSet> minibatches = train.batchBy(hp.batchSize());
                double sum = 0;
                for (int b = 0; b < minibatches.size(); b++) {
                    DataSet batch = minibatches.get(b);
                    net.fit(batch);
                    double loss = net.score();
                    if (!Double.isFinite(loss)) {
                        throw new LossSurfaceException("Training diverged in epoch " + (epoch + 1) + " (loss " + loss
                                + "). Lower " + SupervisedSettings.RATE + " (now " + hp.learningRate() + ").");
                    }
                    sum += loss * batch.numExamples();
                    if (b % 20 == 0 || b == minibatches.size() - 1) {
                        meter.update((long) epoch * batches + b + 1,
                                String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f", epoch + 1, hp.epochs(),
                                        b + 1, minibatches.size(), loss));
                    }
                }
                trainLoss[epoch] = sum / n;
                double[] scored = testScore.evaluate(net.params().toFloatVector());
                testLoss[epoch] = scored[0];
                testAccuracy[epoch] = classifier ? scored[1] : Double.NaN;
                checkpoints.add(net.params().toFloatVector());
                int every = Math.max(1, hp.epochs() / 10);
                if ((epoch + 1) % every == 0 || epoch == hp.epochs() - 1) {
                    context.progress().info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, test loss %.4f%s",
                        epoch + 1, hp.epochs(), trainLoss[epoch], testLoss[epoch],
                        classifier ? String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * testAccuracy[epoch]) : ""));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train-loss", trainLoss);
        series.put("test-loss", testLoss);
        if (classifier) {
            series.put("test-accuracy", testAccuracy);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs", hp.epochs());
        summary.put("batch-size", hp.batchSize());
        summary.put("learning-rate", hp.learningRate());
        summary.put("optimizer", "adam");
        summary.put("train-examples", n);
        summary.put("test-examples", test.numExamples());
        summary.put("train-seconds", seconds);
        summary.put("test-loss", testLoss[hp.epochs() - 1]);
        if (classifier) {
            summary.put("test-accuracy", testAccuracy[hp.epochs() - 1]);
        }
        return new NetworkModel(net, checkpoints, new TrainingHistory("epoch", series), summary);
    }
}
