package losssurface.api;

import java.util.List;
import java.util.Map;

/**
 * What a trainer hands back: the trained parameters theta*, their layout, snapshots taken while
 * training, and what was measured. Tasks turn it into an {@link Objective}; trainers usually
 * return a richer subtype (e.g. one that also holds the network).
 */
public interface TrainedModel {

    /** theta*, the trained parameters (a copy the caller may keep). */
    float[] parameters();

    ParameterLayout layout();

    /**
     * Parameter snapshots taken during training (e.g. after every epoch), oldest first; may be
     * empty. By default empty: a model loaded from a file carries no record of its training.
     */
    default List<float[]> checkpoints() {
        return List.of();
    }

    /** Curves recorded while training; by default none (a model loaded from a file). */
    default TrainingHistory history() {
        return TrainingHistory.empty();
    }

    /** Headline numbers for the report and provenance, e.g. {@code test-accuracy}. */
    Map<String, Object> summary();

    /**
     * Extra arrays a renderer should save with the run (name without extension to values);
     * e.g. the transitions an RL objective is computed over. Default: none.
     */
    default Map<String, NamedArray> artefacts() {
        return Map.of();
    }

    /**
     * Writes the model in its framework's own format (e.g. a DL4J network as the zip DL4J's
     * {@code ModelSerializer} reads) to {@code file}, atomically, so that a run folder keeps a copy
     * that the framework and {@code losssurface probe --model} can load. By default there is none.
     *
     * @return whether a file was written
     */
    default boolean saveNative(java.nio.file.Path file) throws java.io.IOException {
        return false;
    }

    /** A model that is only its parameters and what was recorded (e.g. one read back from a run folder), without checkpoints. */
    static TrainedModel of(float[] parameters, ParameterLayout layout, TrainingHistory history, Map<String, Object> summary) {
        return new Fixed(parameters, layout, history, summary);
    }

    /** The same with the parameter snapshots taken while training (e.g. a model a run folder kept to resume). */
    static TrainedModel of(float[] parameters, ParameterLayout layout, TrainingHistory history, Map<String, Object> summary,
                           List<float[]> checkpoints) {
        return new Fixed(parameters, layout, history, summary, checkpoints);
    }

    /** {@link #of}'s model. */
    record Fixed(float[] theta, ParameterLayout layout, TrainingHistory history, Map<String, Object> summary,
                 List<float[]> snapshots) implements TrainedModel {
        public Fixed {
            java.util.Objects.requireNonNull(layout, "layout");
            java.util.Objects.requireNonNull(history, "history");
            layout.requireFits(theta, "The parameters");
            theta = theta.clone();
            summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
            snapshots = snapshots.stream().map(float[]::clone).toList();
        }

        /** Without checkpoints. */
        public Fixed(float[] theta, ParameterLayout layout, TrainingHistory history, Map<String, Object> summary) {
            this(theta, layout, history, summary, List.of());
        }

        @Override
        public float[] parameters() {
            return theta.clone();
        }

        @Override
        public List<float[]> checkpoints() {
            return snapshots.stream().map(float[]::clone).toList();
        }
    }
}
