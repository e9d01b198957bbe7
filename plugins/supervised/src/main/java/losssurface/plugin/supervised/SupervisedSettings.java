package losssurface.plugin.supervised;

import java.util.OptionalDouble;
import java.util.OptionalInt;

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
 */
record SupervisedSettings(OptionalInt epochs, OptionalInt batchSize, OptionalDouble learningRate) {

    static final String EPOCHS = "supervised.epochs";
    static final String BATCH = "supervised.batch-size";
    static final String RATE = "supervised.learning-rate";

    SupervisedSettings {
        epochs.ifPresent(e -> Check.between(EPOCHS, 1, 100_000, e));
        batchSize.ifPresent(b -> Check.positive(BATCH, b));
        learningRate.ifPresent(r -> Check.between(RATE, 1e-9, 10.0, r));
    }

    static SupervisedSettings from(Settings s) {
        return new SupervisedSettings(s.optionalInteger(EPOCHS, "the task's"), s.optionalInteger(BATCH, "the task's"),
                s.optionalDecimal(RATE, "the task's"));
    }

    /** These settings over the task's recommendation. */
    Hyperparameters over(Hyperparameters recommended) {
        return new Hyperparameters(epochs.orElse(recommended.epochs()), batchSize.orElse(recommended.batchSize()),
                learningRate.orElse(recommended.learningRate()));
    }
}
