package losssurface.api;

/** Trains a model for a task and hands back theta* with its history. */
public interface Trainer {

    /**
     * Trains on {@code task}. The runner only passes tasks of the provider's
     * {@link TrainerProvider#taskType()}.
     */
    TrainedModel train(Task task, RunContext context);
}
