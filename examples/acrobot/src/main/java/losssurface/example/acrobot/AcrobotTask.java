package losssurface.example.acrobot;

import java.util.OptionalDouble;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;

/**
 * Swinging up Acrobot-v1; solved at a mean return of -100, Gymnasium's reward threshold. Its
 * surface is the trained agent's RL objective (the api's default {@code objective}), chosen with the
 * RL trainers' {@code rl.*} settings, so the task only supplies environments.
 */
final class AcrobotTask implements EnvironmentTask {

    @Override
    public Environment newEnvironment() {
        return new Acrobot();
    }

    @Override
    public OptionalDouble solvedReturn() {
        return OptionalDouble.of(-100);
    }
}
