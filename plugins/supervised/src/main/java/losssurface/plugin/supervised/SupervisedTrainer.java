package losssurface.plugin.supervised;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
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
import losssurface.nn.Shuffle;
import losssurface.nn.SupervisedTask;
import losssurface.nn.SupervisedTask.Hyperparameters;
import losssurface.nn.dense.EngineFit;
import losssurface.plugin.supervised.SupervisedSettings.Engine;

/**
 * Minibatch Adam on the task's network. A seeded share of the training examples is held out
 * ({@code supervised.validation}); the rest are visited in a seeded random order every epoch. The
 * parameters are snapshot before training and after every epoch, and theta* is the snapshot with
 * the lowest validation loss (the last one when nothing is held out). The steps run on our own
 * engine ({@link EngineFit}: dense and convolutional networks) where it can train the network, else
 * through DL4J's {@code fit}; both take the same steps on the same batches, and the summary says
 * which ran.
 */
final class SupervisedTrainer implements Trainer {

    /** Mixed into the run seed for the validation split, so it does not coincide with other seeded draws. */
    private static final long SPLIT_SEED = 0x5EED_5B11L;

    private final SupervisedSettings settings;

    SupervisedTrainer(SupervisedSettings settings) {
        this.settings = settings;
    }

    @Override
    public TrainedModel train(Task task, RunContext context) {
        SupervisedTask supervised = (SupervisedTask) task;
        Hyperparameters hp = settings.over(supervised.recommended());
        DataSet all = supervised.trainingSet(context);
        DataSet test = supervised.testSet(context);
        int total = all.numExamples();
        int inputs = (int) all.getFeatures().size(1);
        int outputs = (int) all.getLabels().size(1);
        float[] x = all.getFeatures().dup('c').data().asFloat();
        float[] y = all.getLabels().dup('c').data().asFloat();
        all = null; // the arrays above are the training data from here on

        if (hp.validation() >= total) {
            throw new SettingsException(SupervisedSettings.VALIDATION + " is " + hp.validation() + " but the training set has only "
                    + total + " examples. Hold out fewer (0 to " + (total - 1) + "; 0 makes theta* the last epoch).");
        }
        int[][] split = split(total, hp.validation(), context.seed());
        int[] validationRows = split[0];
        int[] trainRows = split[1];
        int n = trainRows.length;
        if (hp.batchSize() > n) {
            throw new SettingsException(SupervisedSettings.BATCH + " is " + hp.batchSize() + " but " + n
                    + " examples are left for training" + (hp.validation() > 0 ? " (after holding out " + hp.validation()
                    + " for validation)" : "") + ". Choose a batch size between 1 and " + n + ".");
        }

        MultiLayerConfiguration conf = supervised.network(context.seed());
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            if (layerConf.getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new Adam(hp.learningRate()));
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Optional<String> notOnEngine = settings.engine() == Engine.DL4J ? Optional.of("chosen with "
                + SupervisedSettings.ENGINE + "=dl4j") : EngineFit.unsupported(net);
        if (settings.engine() == Engine.OWN && notOnEngine.isPresent()) {
            throw new SettingsException(SupervisedSettings.ENGINE + " is own, but our engine cannot train this network: "
                    + notOnEngine.get() + ". Use " + SupervisedSettings.ENGINE + "=auto (or dl4j) to train it with DL4J.");
        }
        if (notOnEngine.isPresent() && settings.engine() == Engine.AUTO) {
            context.progress().info("Training with DL4J's fit: our engine cannot train this network ("
                    + notOnEngine.get() + ").");
        }
        NetworkObjective testScore = NetworkObjective.of(net, test, "the test set");
        NetworkObjective validationScore = validationRows.length == 0 ? null
                : NetworkObjective.of(net, rows(x, y, inputs, outputs, validationRows, 0, validationRows.length),
                        "the validation examples");

        List<float[]> checkpoints = new ArrayList<>();
        checkpoints.add(net.params().toFloatVector());
        double[] trainLoss = new double[hp.epochs()];
        double[] validationLoss = new double[hp.epochs()];
        double[] testLoss = new double[hp.epochs()];
        double[] testAccuracy = new double[hp.epochs()];
        boolean classifier = testScore.metrics().contains("accuracy");
        int batches = (n + hp.batchSize() - 1) / hp.batchSize();
        int best = hp.epochs() - 1;
        long started = System.nanoTime();
        long stepping = 0; // nanoseconds in the training steps alone, without scoring between epochs
        long lastEpoch = 0;
        EngineFit fit = notOnEngine.isEmpty() ? EngineFit.of(net, hp.learningRate(), hp.batchSize(), context.threads()) : null;
        float[] testX = fit != null ? test.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat() : null;
        float[] testY = fit != null ? test.getLabels().castTo(DataType.FLOAT).dup('c').data().asFloat() : null;
        int[] testRows = java.util.stream.IntStream.range(0, test.numExamples()).toArray();
        try (Progress.Meter meter = context.progress().meter("Training", (long) hp.epochs() * batches, "batches")) {
            int[] order = trainRows.clone();
            for (int epoch = 0; epoch < hp.epochs(); epoch++) {
                Shuffle.shuffle(order, context.seed() * 1_000_003L + epoch);
                double sum = 0;
                long epochStart = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    int from = b * hp.batchSize();
                    int size = Math.min(hp.batchSize(), n - from);
                    double loss;
                    if (fit != null) {
                        loss = fit.step(x, y, order, from, size);
                    } else {
                        net.fit(rows(x, y, inputs, outputs, order, from, size));
                        loss = net.score();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new LossSurfaceException("Training diverged in epoch " + (epoch + 1) + " (loss " + loss
                                + "). Lower " + SupervisedSettings.RATE + " (now " + hp.learningRate() + ").");
                    }
                    sum += loss * size;
                    if (b % 20 == 0 || b == batches - 1) {
                        meter.update((long) epoch * batches + b + 1,
                                String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f", epoch + 1, hp.epochs(),
                                        b + 1, batches, loss));
                    }
                }
                lastEpoch = System.nanoTime() - epochStart;
                stepping += lastEpoch;
                trainLoss[epoch] = sum / n;
                float[] params = fit != null ? fit.parameters() : net.params().toFloatVector();
                // our engine scores with its own forward pass (DL4J's takes seconds per epoch for a CNN)
                validationLoss[epoch] = validationScore == null ? Double.NaN
                        : fit != null ? fit.evaluate(x, y, validationRows)[0] : validationScore.evaluate(params)[0];
                double[] scored = fit != null ? fit.evaluate(testX, testY, testRows) : testScore.evaluate(params);
                testLoss[epoch] = scored[0];
                testAccuracy[epoch] = classifier ? scored[1] : Double.NaN;
                checkpoints.add(params);
                if (validationScore != null && (epoch == 0 || validationLoss[epoch] < validationLoss[best])) {
                    best = epoch;
                }
                int every = Math.max(1, hp.epochs() / 10);
                if ((epoch + 1) % every == 0 || epoch == hp.epochs() - 1) {
                    context.progress().info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, %stest loss %.4f%s",
                        epoch + 1, hp.epochs(), trainLoss[epoch],
                        validationScore == null ? "" : String.format(Locale.ROOT, "validation loss %.4f, ", validationLoss[epoch]),
                        testLoss[epoch],
                        classifier ? String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * testAccuracy[epoch]) : ""));
                }
            }
        } finally {
            if (fit != null) {
                fit.close();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        net.params().assign(Nd4j.createFromArray(checkpoints.get(best + 1)));
        if (fit != null && fit.kind().equals("dense")) {
            // theta*'s test loss exactly as the objective (and so the plain surface's centre) computes it; the other
            // epochs' keep the engine's forward pass, equal to float rounding. A convolutional network keeps the
            // engine's (DL4J's forward pass of it takes seconds, and its fast evaluator differs from both by rounding).
            double[] scored = testScore.evaluate(checkpoints.get(best + 1));
            testLoss[best] = scored[0];
            testAccuracy[best] = classifier ? scored[1] : Double.NaN;
        }
        if (validationScore != null) {
            context.progress().info(String.format(Locale.ROOT, "theta* is epoch %d of %d, the lowest validation loss (%.4f)%s.",
                    best + 1, hp.epochs(), validationLoss[best],
                    classifier ? String.format(Locale.ROOT, "; test accuracy %.2f%%", 100 * testAccuracy[best]) : ""));
        }

        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train-loss", trainLoss);
        if (validationScore != null) {
            series.put("validation-loss", validationLoss);
        }
        series.put("test-loss", testLoss);
        if (classifier) {
            series.put("test-accuracy", testAccuracy);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs", hp.epochs());
        summary.put("batch-size", hp.batchSize());
        summary.put("learning-rate", hp.learningRate());
        summary.put("optimizer", "adam");
        summary.put("engine", fit != null ? fit.kind() : "dl4j");
        notOnEngine.ifPresent(why -> summary.put("engine-reason", why));
        summary.put("train-examples", n);
        summary.put("validation-examples", validationRows.length);
        summary.put("test-examples", test.numExamples());
        summary.put("train-seconds", seconds);
        summary.put("seconds-per-epoch", stepping / 1e9 / hp.epochs());
        summary.put("last-epoch-seconds", lastEpoch / 1e9);
        summary.put("theta-star-epoch", best + 1);
        summary.put("theta-star-chosen-by", validationScore == null ? "last epoch" : "lowest validation loss");
        if (validationScore != null) {
            summary.put("validation-loss", validationLoss[best]);
        }
        summary.put("test-loss", testLoss[best]);
        if (classifier) {
            summary.put("test-accuracy", testAccuracy[best]);
        }
        return new NetworkModel(net, checkpoints, new TrainingHistory("epoch", series), summary);
    }

    /**
     * The network this trainer made for {@code task}, with the saved theta*: the task's
     * architecture at the run seed, its parameters set to {@code saved}'s.
     */
    @Override
    public Optional<TrainedModel> restore(Task task, TrainedModel saved, RunContext context) {
        MultiLayerNetwork net = new MultiLayerNetwork(((SupervisedTask) task).network(context.seed()));
        net.init();
        float[] theta = saved.parameters();
        if (theta.length != net.numParams()) {
            throw new LossSurfaceException("The saved theta* has " + theta.length + " parameters but the task's network has "
                    + net.numParams() + ": the task's settings changed since. Start a new run.");
        }
        net.params().assign(Nd4j.createFromArray(theta));
        return Optional.of(new NetworkModel(net, saved.checkpoints(), saved.history(), saved.summary()));
    }

    /** {validation rows, training rows} of {@code total} examples, each ascending; the split is drawn from {@code seed}. */
    static int[][] split(int total, int validation, long seed) {
        int[] all = Shuffle.permutation(total, seed ^ SPLIT_SEED);
        int[] held = Arrays.copyOf(all, validation);
        int[] kept = Arrays.copyOfRange(all, validation, total);
        Arrays.sort(held);
        Arrays.sort(kept);
        return new int[][] {held, kept};
    }

    /** The examples {@code order[from .. from + size)} as a DataSet. */
    private static DataSet rows(float[] x, float[] y, int inputs, int outputs, int[] order, int from, int size) {
        float[] bx = new float[size * inputs];
        float[] by = new float[size * outputs];
        for (int k = 0; k < size; k++) {
            System.arraycopy(x, order[from + k] * inputs, bx, k * inputs, inputs);
            System.arraycopy(y, order[from + k] * outputs, by, k * outputs, outputs);
        }
        return new DataSet(Nd4j.create(bx, new long[] {size, inputs}, 'c'), Nd4j.create(by, new long[] {size, outputs}, 'c'));
    }
}
