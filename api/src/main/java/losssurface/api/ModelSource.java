package losssurface.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads models that other tools trained and saved (a DL4J zip, an ONNX file...), so that
 * {@code probe --model FILE --data DATA} can draw their surfaces. The module that owns a format
 * provides its source ({@link ModelSourceProvider}); the runner asks every installed source how well
 * a file matches and opens it with the best.
 */
public interface ModelSource {

    /** How well a file matches a source's format, weakest first. */
    enum Match {
        /** Not this format (or the file cannot be read). */
        NO,
        /** Possibly this format: nothing better is known (e.g. a file that is no zip may be ONNX). */
        MAYBE,
        /** The file's first bytes are this format's. */
        CONTENT,
        /** The file is named as this format's files are (e.g. {@code .onnx}). */
        NAME
    }

    /** How well {@code model} matches this source's format, by its name or first bytes; cheap, and never throws. */
    Match match(Path model);

    /**
     * Reads {@code model} and the examples in {@code data}, and makes the objective it is probed on.
     *
     * @throws LossSurfaceException naming what is wrong with either file, and the fix
     * @throws SettingsException    when an option does not apply to this format
     */
    Opened open(Path model, Path data, Options options, Progress progress);

    /**
     * How the data is read and scored.
     *
     * @param labelColumn   the CSV column that holds the labels
     * @param loss          the loss of the model's output ({@code auto}, or a format's own choice, e.g. ONNX's
     *                      {@code cross-entropy-logits})
     * @param batch         examples per batch, where the format evaluates in batches; 0 for the format's own default
     * @param dropNonFinite leave out examples that hold a NaN or infinity (otherwise they are refused)
     */
    record Options(String labelColumn, String loss, int batch, boolean dropNonFinite, long maxElements) {
        /** The loss every format understands: chosen from the model's output and the labels. */
        public static final String AUTO = "auto";
        /**
         * The largest tensor a model file may declare, in elements (2^31), unless raised: model files are untrusted
         * input, refused before their declared sizes cost memory.
         */
        public static final long MAX_ELEMENTS = 1L << 31;

        public Options {
            Objects.requireNonNull(labelColumn, "labelColumn");
            Objects.requireNonNull(loss, "loss");
            Check.between("--max-elements", 1L, Long.MAX_VALUE / 8, maxElements);
        }

        /** The options with the default size limit, {@link #MAX_ELEMENTS}. */
        public Options(String labelColumn, String loss, int batch, boolean dropNonFinite) {
            this(labelColumn, loss, batch, dropNonFinite, MAX_ELEMENTS);
        }
    }

    /**
     * A model read from a file, and its objective over the data.
     *
     * @param model       the parameters and what is known of the model
     * @param objective   the loss (and metrics) over the data's examples; the caller closes it
     * @param description one line saying what was loaded, for the user
     */
    record Opened(TrainedModel model, Objective objective, String description) {
        public Opened {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(description, "description");
        }
    }
}
