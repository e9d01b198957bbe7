package losssurface.api;

/**
 * A learning problem: the data or environment, the model to train, and how a trained model is
 * measured. Trainers recognise the kinds of task they can train by the sub-interface a task
 * implements (e.g. {@link EnvironmentTask}, or the networks module's {@code SupervisedTask}).
 */
public interface Task {

    /**
     * The objective whose surface is drawn for {@code model}: e.g. cross-entropy and accuracy over
     * the test set. Called once per run, after training.
     */
    Objective objective(TrainedModel model, RunContext context);
}
