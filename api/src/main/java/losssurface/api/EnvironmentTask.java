package losssurface.api;

/**
 * A task learned by acting in an {@link Environment}: the kind of task the Q-learning trainers
 * train. A new discrete-action environment is one more plugin providing such a task; the
 * trainers pick it up without change.
 */
public interface EnvironmentTask extends Task {

    /** A fresh environment instance (not shared; environments are not thread-safe). */
    Environment newEnvironment();

    /** Mean evaluation return at which the task counts as solved (CartPole-v1: 475), if defined. */
    default java.util.OptionalDouble solvedReturn() {
        return java.util.OptionalDouble.empty();
    }
}
