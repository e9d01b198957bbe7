package losssurface.plugin.cartpole;

import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.TaskProvider;

/** Provides the {@code cartpole} task: Gymnasium's CartPole-v1 for the RL trainers ({@code dqn}, {@code q-network}). */
public final class CartPoleTaskProvider implements TaskProvider {
    @Override
    public String name() {
        return "cartpole";
    }

    @Override
    public String description() {
        return "CartPole-v1 (Gymnasium): balance a pole on a cart, solved at mean return 475";
    }

    @Override
    public Task create(Settings settings) {
        return new CartPoleTask();
    }
}
