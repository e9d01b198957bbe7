package losssurface.api;

import java.util.Objects;

/**
 * A discrete-action reinforcement-learning environment with seeded resets, in the manner of
 * Gymnasium: {@link #reset(long)} starts an episode, {@link #step(int)} advances it. An episode
 * ends when a step is {@code terminated} (a terminal state: no bootstrapping past it) or
 * {@code truncated} (a time limit: the state is not terminal). Instances are not thread-safe;
 * make one per thread with {@link EnvironmentTask#newEnvironment()}.
 */
public interface Environment {

    /** Length of every observation vector. */
    int observationSize();

    /** Number of actions; actions are {@code 0 .. actionCount() - 1}. */
    int actionCount();

    /** Starts a new episode; the same seed gives the same initial state. Returns the first observation. */
    float[] reset(long seed);

    /**
     * Takes {@code action} in the current episode.
     *
     * @throws IllegalStateException if no episode is running (not reset, or already ended)
     * @throws IllegalArgumentException if the action is out of range
     */
    Step step(int action);

    /**
     * The result of one step.
     *
     * @param observation the next observation
     * @param reward      the reward for the step
     * @param terminated  the episode reached a terminal state
     * @param truncated   the episode was cut by a time limit (not terminal)
     */
    record Step(float[] observation, double reward, boolean terminated, boolean truncated) {
        public Step {
            Objects.requireNonNull(observation, "observation");
            observation = observation.clone();
        }

        @Override
        public float[] observation() {
            return observation.clone();
        }

        /** Whether the episode is over, for either reason. */
        public boolean done() {
            return terminated || truncated;
        }
    }
}
