package losssurface.example.acrobot;

import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.TaskProvider;

/**
 * Provides the {@code acrobot} task: Gymnasium's Acrobot-v1 for the RL trainers ({@code dqn},
 * {@code q-network}). Registered with {@code provides} in {@code module-info.java} and in
 * {@code META-INF/services/losssurface.api.TaskProvider}. The task has no settings of its own.
 */
public final class AcrobotTaskProvider implements TaskProvider {
    @Override
    public String name() {
        return "acrobot";
    }

    @Override
    public String description() {
        return "Acrobot-v1 (Gymnasium): swing a two-link pendulum's tip above a bar, solved at mean return -100";
    }

    @Override
    public Task create(Settings settings) {
        return new AcrobotTask();
    }
}
