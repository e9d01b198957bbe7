package losssurface.plugin.qlearning;

import java.util.Map;

import losssurface.api.EnvironmentTask;
import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.Trainer;
import losssurface.api.TrainerProvider;
import losssurface.rl.RlObjectiveSettings;

/**
 * Provides the {@code q-network} trainer: online Q-learning with a network, one gradient step per
 * environment step on the transition just taken, no replay memory and no target network.
 * Settings: the shared {@code q.*} keys (see {@link QSettings}).
 */
public final class QNetworkTrainerProvider implements TrainerProvider {
    @Override
    public String name() {
        return "q-network";
    }

    @Override
    public String description() {
        return "Online Q-learning with a network (no replay, no target network), epsilon-greedy, Adam";
    }

    @Override
    public Class<? extends Task> taskType() {
        return EnvironmentTask.class;
    }

    @Override
    public Trainer create(Settings settings) {
        QSettings q = QSettings.read(settings);
        RlObjectiveSettings surface = RlObjectiveSettings.read(settings);
        return new QTrainer(name(), q, surface, (net, seed) -> new OnlineLearner(net, q.gamma()),
                Map.of("replay", 0, "target-network", false), 2);
    }

    /** Every setting but the RL objectives' ({@code rl.*}), which choose what the agent is drawn on. */
    @Override
    public java.util.Set<String> trainingSettings() {
        return RlObjectiveSettings.withoutThese(settings().keySet());
    }
}
