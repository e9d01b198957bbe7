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

    /**
     * The task's training data as minibatches of {@code batchSize} for {@code model}'s network, with the
     * loss and its gradient at any parameters: what {@code connect} fits a curve between two solutions
     * on ({@link Connection}). Empty (the default) when the task has none to offer, e.g. an agent,
     * whose data is its own experience; {@code connect} then draws the straight line only, and says so.
     */
    default java.util.Optional<Connection.Batches> trainingBatches(TrainedModel model, RunContext context, int batchSize) {
        return java.util.Optional.empty();
    }
}
