package losssurface.api;

import java.util.OptionalDouble;

/**
 * A task learned by acting in an {@link Environment}: the kind of task the Q-learning trainers
 * train. A new discrete-action environment is one more plugin providing such a task; the
 * trainers pick it up without change. Its surface is the trained {@link Agent}'s objective, chosen
 * by the trainer's settings, so an environment plugin needs only this api.
 */
public interface EnvironmentTask extends Task {

    /** A fresh environment instance (not shared; environments are not thread-safe). */
    Environment newEnvironment();

    /** Mean evaluation return at which the task counts as solved (CartPole-v1: 475), if defined. */
    default OptionalDouble solvedReturn() {
        return OptionalDouble.empty();
    }

    /** The agent's own objective in this environment (see {@link Agent#objective}). */
    @Override
    default Objective objective(TrainedModel model, RunContext context) {
        if (model instanceof Agent agent) {
            return agent.objective(this, context);
        }
        throw new LossSurfaceException("An environment task needs an agent trained by an RL trainer (e.g. dqn or "
                + "q-network), got a " + model.getClass().getSimpleName() + ". Train this task with an RL trainer.");
    }
}
