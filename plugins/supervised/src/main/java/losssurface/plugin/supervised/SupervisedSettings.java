package losssurface.plugin.supervised;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.nn.SupervisedTask.Hyperparameters;

/**
 * Settings of the {@code supervised} trainer. Each is optional; where one is not given, the
 * task's recommended value is used.
 *
 * @param epochs       {@code supervised.epochs}: passes over the training set
 * @param batchSize    {@code supervised.batch-size}: examples per Adam step
 * @param learningRate {@code supervised.learning-rate}: Adam's step size
 * @param validation   {@code supervised.validation}: training examples held out to choose theta* (0: the last epoch)
 * @param engine       {@code supervised.engine}: what computes the training steps
 */
record SupervisedSettings(OptionalInt epochs, OptionalInt batchSize, OptionalDouble learningRate, OptionalInt validation,
                          Engine engine) {

    static final String EPOCHS = "supervised.epochs";
    static final String BATCH = "supervised.batch-size";
    static final String RATE = "supervised.learning-rate";
    static final String VALIDATION = "supervised.validation";
    static final String ENGINE = "supervised.engine";

    /** The old name of {@code supervised.engine=own}, still accepted. */
    private static final String OLD_OWN = "dense";

    /** What computes the training steps ({@code supervised.engine}). */
    enum Engine {
        /** Our own engine where it can train the network, otherwise DL4J's fit. */
        AUTO,
        /**
         * Our own engine ({@code EngineFit}: dense networks by {@code DenseFit}, convolutional ones by
         * {@code ConvFit}); a network it cannot train is an error. Also accepted as {@code dense}, its name
         * from before it trained convolutional networks.
         */
        OWN,
        /** DL4J's own {@code fit}. */
        DL4J;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Engine of(String key) {
            return key.equals(OLD_OWN) ? OWN : valueOf(key.toUpperCase(Locale.ROOT));
        }

        static LinkedHashSet<String> keys() {
            return Arrays.stream(values()).map(Engine::key).collect(Collectors.toCollection(LinkedHashSet::new));
        }

        /** {@link #keys()} and the old name of {@link #OWN}. */
        static LinkedHashSet<String> accepted() {
            LinkedHashSet<String> keys = keys();
            keys.add(OLD_OWN);
            return keys;
        }
    }

    SupervisedSettings {
        epochs.ifPresent(e -> Check.between(EPOCHS, 1, 100_000, e));
        batchSize.ifPresent(b -> Check.positive(BATCH, b));
        learningRate.ifPresent(r -> Check.between(RATE, 1e-9, 10.0, r));
        validation.ifPresent(v -> Check.between(VALIDATION, 0, Integer.MAX_VALUE, v));
        Objects.requireNonNull(engine, "engine");
    }

    static SupervisedSettings from(Settings s) {
        return new SupervisedSettings(s.optionalInteger(EPOCHS, "the task's"), s.optionalInteger(BATCH, "the task's"),
                s.optionalDecimal(RATE, "the task's"), s.optionalInteger(VALIDATION, "the task's"),
                Engine.of(s.choice(ENGINE, Engine.AUTO.key(), Engine.accepted())));
    }

    /** These settings over the task's recommendation. */
    Hyperparameters over(Hyperparameters recommended) {
        return new Hyperparameters(epochs.orElse(recommended.epochs()), batchSize.orElse(recommended.batchSize()),
                learningRate.orElse(recommended.learningRate()), validation.orElse(recommended.validation()));
    }
}
