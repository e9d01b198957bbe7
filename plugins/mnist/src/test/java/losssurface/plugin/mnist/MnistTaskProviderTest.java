package losssurface.plugin.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.TaskProvider;
import losssurface.nn.SupervisedTask;

class MnistTaskProviderTest {

    @TempDir
    Path dir;

    /** Tests run on the class path, so this finds the provider through META-INF/services. */
    @Test
    void serviceLoaderFindsExactlyTheTasksOfThisModule() {
        List<String> names = ServiceLoader.load(TaskProvider.class).stream()
                .filter(p -> p.type().getPackageName().equals("losssurface.plugin.mnist"))
                .map(p -> p.get().name()).toList();

        assertThat(names).containsExactly("mnist");
        assertThat(new MnistTaskProvider().description()).isNotBlank().doesNotContain("\n");
    }

    private static MnistTask create(Map<String, String> values) {
        return (MnistTask) new MnistTaskProvider().create(Settings.of(values));
    }

    @Test
    void defaults() {
        MnistTask task = create(Map.of());

        MnistTask.Config c = task.config();
        assertThat(c.hidden()).containsExactly(128, 64);
        assertThat(c.dir()).isEmpty();
        assertThat(c.cache()).isEmpty();
        assertThat(c.evaluation()).isEqualTo(MnistTask.Evaluation.TEST);
        assertThat(c.subsetSize()).isEqualTo(1000);
        assertThat(task.recommended()).isEqualTo(new SupervisedTask.Hyperparameters(12, 128, 1e-3, 5000));
        assertThat(task.evaluationName()).isEqualTo("the MNIST test images");
    }

    /** mnist.network=cnn: the LeNet-like network of bench's ONNX model, fed flat rows of 784 pixels, filters on axis 0. */
    @Test
    void theConvolutionalNetwork() {
        MnistTask task = create(Map.of("mnist.network", "cnn"));
        assertThat(task.config().network()).isEqualTo(MnistTask.Network.CNN);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(task.network(1));
        net.init();
        assertThat(net.numParams()).as("as the PyTorch MnistCnn: 208 + 3216 + 16448 + 650").isEqualTo(20_522);
        assertThat(losssurface.nn.SavedNetwork.flatInputs(net)).isEqualTo(784);
        losssurface.api.ParameterBlock conv = losssurface.nn.dense.Layouts.of(net).blocks().stream()
                .filter(b -> b.name().equals("0_W")).findFirst().orElseThrow();
        assertThat(conv.shape()).containsExactly(8, 1, 5, 5);
        assertThat(conv.outputAxis()).isZero();
        assertThat(net.output(org.nd4j.linalg.factory.Nd4j.zeros(2, 784)).shape()).containsExactly(2, 10);
        assertThat(losssurface.nn.dense.DenseNet.unsupported(net)).isPresent();

        assertThatThrownBy(() -> create(Map.of("mnist.network", "cnn", "mnist.hidden", "32")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("mnist.hidden sets the MLP's hidden layers, but mnist.network is cnn");
        assertThatThrownBy(() -> create(Map.of("mnist.network", "resnet"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("mnist.network");
    }

    @Test
    void readsEveryKeyInCreate() {
        Settings settings = Settings.empty().forOwner("task mnist");
        new MnistTaskProvider().create(settings);

        assertThat(settings.knownKeys().get("task mnist"))
                .containsEntry("mnist.hidden", "128,64")
                .containsEntry("mnist.eval", "test")
                .containsEntry("mnist.eval-size", "1000")
                .containsEntry("mnist.eval-seed", "the run seed")
                .containsKeys("mnist.dir", "mnist.cache");
    }

    @Test
    void acceptsValidSettings() {
        MnistTask task = create(Map.of("mnist.hidden", "300, 100 ,50", "mnist.dir", dir.toString(), "mnist.eval", "SUBSET",
                "mnist.eval-size", "250", "mnist.eval-seed", "-5"));

        MnistTask.Config c = task.config();
        assertThat(c.hidden()).containsExactly(300, 100, 50);
        assertThat(c.dir()).contains(dir);
        assertThat(c.evaluation()).isEqualTo(MnistTask.Evaluation.SUBSET);
        assertThat(c.subsetSize()).isEqualTo(250);
        assertThat(c.evalSeed()).hasValue(-5);
        assertThat(create(Map.of("mnist.hidden", "10")).config().hidden()).containsExactly(10);
    }

    @Test
    void hiddenSizeZero() {
        assertThatThrownBy(() -> create(Map.of("mnist.hidden", "128,0")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("mnist.hidden sizes must be whole numbers from 1 to 100000, was 0 in '128,0'."
                        + " Write the hidden layer sizes as positive whole numbers separated by commas,"
                        + " e.g. --set mnist.hidden=128,64.");
    }

    @Test
    void hiddenSizesNotNumbers() {
        assertThatThrownBy(() -> create(Map.of("mnist.hidden", "a,b")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("mnist.hidden must be a whole number, was 'a'.")
                .hasMessageEndingWith("e.g. --set mnist.hidden=128,64.");
        assertThatThrownBy(() -> create(Map.of("mnist.hidden", "-3")))
                .hasMessageContaining("was -3 in '-3'");
    }

    @Test
    void hiddenSizesEmpty() {
        assertThatThrownBy(() -> create(Map.of("mnist.hidden", "")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("mnist.hidden must be a whole number, was ''.")
                .hasMessageEndingWith("e.g. --set mnist.hidden=128,64.");
    }

    @Test
    void unknownEvaluationMode() {
        assertThatThrownBy(() -> create(Map.of("mnist.eval", "validation")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("mnist.eval must be one of subset, test, train, was 'validation'.");
    }

    @Test
    void subsetSettingsWithoutSubset() {
        assertThatThrownBy(() -> create(Map.of("mnist.eval-size", "500")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("mnist.eval-size only applies to a subset, but mnist.eval is test."
                        + " Add --set mnist.eval=subset, or drop mnist.eval-size.");
        assertThatThrownBy(() -> create(Map.of("mnist.eval", "train", "mnist.eval-seed", "3")))
                .hasMessageStartingWith("mnist.eval-seed only applies to a subset, but mnist.eval is train.");
    }

    @Test
    void subsetSizeNotPositive() {
        assertThatThrownBy(() -> create(Map.of("mnist.eval", "subset", "mnist.eval-size", "0")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("mnist.eval-size must be > 0, was 0.");
    }

    @Test
    void dirThatIsNotAFolder() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> create(Map.of("mnist.dir", missing.toString())))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("mnist.dir is '" + missing + "', which is not a folder (it does not exist).")
                .hasMessageContaining("t10k-labels-idx1-ubyte (raw or .gz)");
    }

    @Test
    void dirAndCacheTogether() {
        assertThatThrownBy(() -> create(Map.of("mnist.dir", dir.toString(), "mnist.cache", dir.toString())))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("mnist.dir and mnist.cache are both given");
    }

    @Test
    void tildeIsTheHomeFolder() {
        assertThat(MnistTaskProvider.expandHome(Path.of("~/data/mnist")))
                .isEqualTo(Path.of(System.getProperty("user.home"), "data", "mnist"));
        assertThat(MnistTaskProvider.expandHome(Path.of("rel/~"))).isEqualTo(Path.of("rel/~"));
    }
}
