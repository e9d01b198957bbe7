package losssurface.plugin.cartpole;

import java.util.OptionalDouble;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;

/**
 * Balancing CartPole-v1; solved at a mean return of 475. Its surface is the trained agent's RL
 * objective, chosen with the RL trainers' {@code rl.*} settings.
 */
final class CartPoleTask implements EnvironmentTask {

    @Override
    public Environment newEnvironment() {
        return new CartPole();
    }

    @Override
    public OptionalDouble solvedReturn() {
        return OptionalDouble.of(475);
    }
}
