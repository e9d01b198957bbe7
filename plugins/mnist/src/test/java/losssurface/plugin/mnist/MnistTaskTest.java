package losssurface.plugin.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.TrainingHistory;
import losssurface.nn.NetworkModel;

/** The task on a tiny synthetic MNIST-shaped set written by the test. */
class MnistTaskTest {

    @TempDir
    Path dir;

    private final RunContext context = RunContext.quiet(11);

    private MnistTask task(Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(extra);
        values.put("mnist.dir", dir.toString());
        return (MnistTask) new MnistTaskProvider().create(Settings.of(values));
    }

    @Test
    void networkIs784To128To64To10AndSeeded() {
        MnistTask task = task(Map.of());
        MultiLayerNetwork a = new MultiLayerNetwork(task.network(5));
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(task.network(5));
        b.init();
        MultiLayerNetwork c = new MultiLayerNetwork(task.network(6));
        c.init();

        assertThat(a.numParams()).isEqualTo(784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
        assertThat(a.getnLayers()).isEqualTo(3);
        assertThat(a.getLayerWiseConfigurations().toJson()).contains("ActivationReLU", "ActivationSoftmax", "LossMCXENT");
        assertThat(a.params()).isEqualTo(b.params());
        assertThat(a.params()).isNotEqualTo(c.params());

        MultiLayerNetwork one = new MultiLayerNetwork(task(Map.of("mnist.hidden", "32")).network(1));
        one.init();
        assertThat(one.numParams()).isEqualTo(784 * 32 + 32 + 32 * 10 + 10);
    }

    @Test
    void loadsScalesAndOneHotEncodes() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, true);
        MnistTask task = task(Map.of());

        DataSet train = task.trainingSet(context);
        DataSet test = task.testSet(context);

        assertThat(train.getFeatures().shape()).containsExactly(6, 784);
        assertThat(train.getLabels().shape()).containsExactly(6, 10);
        assertThat(test.getFeatures().shape()).containsExactly(4, 784);
        assertThat(test.getLabels().shape()).containsExactly(4, 10);
        INDArray x = train.getFeatures();
        assertThat(x.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        assertThat(x.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        for (int[] at : new int[][] {{0, 0}, {2, 100}, {5, 783}}) {
            assertThat(x.getDouble(at[0], at[1])).isCloseTo(TestFiles.pixel(at[0], at[1]) / 255.0, within(1e-6));
        }
        assertThat(x.maxNumber().doubleValue()).isCloseTo(1.0, within(1e-6)); // pixel value 255 occurs
        assertThat(train.getLabels().sum(1).toDoubleVector()).containsOnly(1.0);
        assertThat(train.getLabels().argMax(1).toIntVector()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(test.getLabels().argMax(1).toIntVector()).containsExactly(3, 4, 5, 6);
    }

    @Test
    void readsOnceAndHandsOutAFreshTrainingSetEachTime() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, false);
        MnistTask task = task(Map.of());
        DataSet first = task.trainingSet(context);
        DataSet test = task.testSet(context);
        for (MnistFile f : MnistFile.values()) {
            Files.delete(dir.resolve(f.fileName()));
        }

        first.shuffle(3);
        DataSet second = task.trainingSet(context);

        assertThat(second).isNotSameAs(first);
        assertThat(second.getLabels().argMax(1).toIntVector()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(task.testSet(context)).isSameAs(test);
        assertThat(task.evaluationSet(context)).isSameAs(test);
        assertThat(task.evaluationName()).isEqualTo("the 4 MNIST test images");
    }

    @Test
    void evaluatesOnTheTrainingSetWhenAsked() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, false);
        MnistTask task = task(Map.of("mnist.eval", "train"));

        assertThat(task.evaluationSet(context).numExamples()).isEqualTo(6);
        assertThat(task.evaluationName()).isEqualTo("the 6 MNIST training images");
    }

    @Test
    void seededSubsetOfTheTestSet() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 20, false);
        MnistTask seeded = task(Map.of("mnist.eval", "subset", "mnist.eval-size", "5", "mnist.eval-seed", "9"));

        DataSet subset = seeded.evaluationSet(context);
        DataSet again = task(Map.of("mnist.eval", "subset", "mnist.eval-size", "5", "mnist.eval-seed", "9"))
                .evaluationSet(RunContext.quiet(12345));
        DataSet otherSeed = task(Map.of("mnist.eval", "subset", "mnist.eval-size", "5", "mnist.eval-seed", "10"))
                .evaluationSet(context);

        assertThat(subset.numExamples()).isEqualTo(5);
        assertThat(subset.getFeatures()).isEqualTo(again.getFeatures());
        assertThat(subset.getFeatures()).isNotEqualTo(otherSeed.getFeatures());
        // Each row is one of the test images, with its own label, rows ascending and distinct.
        DataSet test = seeded.testSet(context);
        int previous = -1;
        for (int i = 0; i < 5; i++) {
            int row = rowOf(test, subset.getFeatures().getRow(i));
            assertThat(row).isGreaterThan(previous);
            assertThat(test.getLabels().getRow(row)).isEqualTo(subset.getLabels().getRow(i));
            previous = row;
        }
        assertThat(seeded.evaluationName()).isEqualTo("a subset of 5 MNIST test images (of 20) drawn with seed 9");
        assertThat(task(Map.of("mnist.eval", "subset", "mnist.eval-size", "5")).evaluationSet(context).getFeatures())
                .as("without mnist.eval-seed the run seed draws the subset")
                .isEqualTo(task(Map.of("mnist.eval", "subset", "mnist.eval-size", "5", "mnist.eval-seed", "11"))
                        .evaluationSet(context).getFeatures());
    }

    private static int rowOf(DataSet data, INDArray features) {
        for (int r = 0; r < data.numExamples(); r++) {
            if (data.getFeatures().getRow(r).equals(features)) {
                return r;
            }
        }
        throw new AssertionError("not a row of the test set");
    }

    @Test
    void subsetLargerThanTheTestSet() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, false);
        MnistTask task = task(Map.of("mnist.eval", "subset"));

        assertThatThrownBy(() -> task.evaluationSet(context))
                .isInstanceOf(SettingsException.class)
                .hasMessage("mnist.eval-size is 1000 but the test set has only 4 images. Choose 1..4, or use"
                        + " --set mnist.eval=test to score all of them.");
    }

    @Test
    void missingFileInTheGivenFolder() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        MnistTask task = task(Map.of());

        assertThatThrownBy(() -> task.testSet(context))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageStartingWith(dir + " has no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz).")
                .hasMessageEndingWith("fix mnist.dir, or leave it out to fetch them.");
    }

    @Test
    void objectiveScoresTheEvaluationSet() throws IOException {
        TestFiles.writeTinyMnist(dir, 6, 4, false);
        MnistTask task = task(Map.of());
        MultiLayerNetwork net = new MultiLayerNetwork(task.network(3));
        net.init();

        Objective objective = task.objective(new NetworkModel(net, List.of(), TrainingHistory.empty(), Map.of()), context);
        double[] values = objective.evaluate(net.params().toFloatVector());

        assertThat(objective.metrics()).containsExactly("loss", "accuracy");
        assertThat(objective.description()).isEqualTo("mean cross-entropy (natural log) and accuracy over the 4 MNIST test images");
        assertThat(values[0]).isCloseTo(net.score(task.testSet(context), false), within(1e-3));
        assertThat(values[1]).isBetween(0.0, 1.0);
    }
}
