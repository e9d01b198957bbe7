package losssurface.api;

/**
 * A trained model that acts in an environment. The trainer that made it knows how its surface is
 * measured there (e.g. a TD loss over a fixed transition set, or the greedy policy's return), so an
 * {@link EnvironmentTask} asks the agent for its objective: an environment plugin never needs to
 * know about networks.
 */
public interface Agent extends TrainedModel {

    /** The objective whose surface is drawn for this agent acting in {@code task}'s environment. */
    Objective objective(EnvironmentTask task, RunContext context);
}
