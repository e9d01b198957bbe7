package losssurface.api;

/** Trains a model for a task and hands back theta* with its history. */
public interface Trainer {

    /**
     * Trains on {@code task}. The runner only passes tasks of the provider's
     * {@link TrainerProvider#taskType()}.
     */
    TrainedModel train(Task task, RunContext context);

    /**
     * The model this trainer trained on {@code task} before, rebuilt without training from what a
     * run folder kept of it ({@code saved}: theta*, checkpoints, history and summary), e.g. to
     * finish an interrupted surface in another process or on another machine. Empty when this
     * trainer cannot; the runner then trains again (the same seed should give the same theta*,
     * which the saved surface tiles check).
     */
    default java.util.Optional<TrainedModel> restore(Task task, TrainedModel saved, RunContext context) {
        return java.util.Optional.empty();
    }
}
