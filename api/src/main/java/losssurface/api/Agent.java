package losssurface.api;

import java.util.List;

/**
 * A trained model that acts in an environment. The trainer that made it knows how its surface is
 * measured there (e.g. a TD loss over a fixed transition set, or the greedy policy's return), so an
 * {@link EnvironmentTask} asks the agent for its objective: an environment plugin never needs to
 * know about networks.
 */
public interface Agent extends TrainedModel {

    /** The objective whose surface is drawn for this agent acting in {@code task}'s environment. */
    Objective objective(EnvironmentTask task, RunContext context);

    /**
     * The objectives this agent was asked to be drawn on, by name (e.g. {@code td-frozen},
     * {@code return}); the first is {@link #objective(EnvironmentTask, RunContext)}'s. A run draws
     * one surface per name from this one trained model, with the same directions. By default just
     * one, unnamed: an empty list.
     */
    default List<String> objectiveNames() {
        return List.of();
    }

    /** The objective called {@code name}, one of {@link #objectiveNames()}. */
    default Objective objective(EnvironmentTask task, RunContext context, String name) {
        throw new IllegalArgumentException("this agent offers no objective called '" + name + "'");
    }
}
