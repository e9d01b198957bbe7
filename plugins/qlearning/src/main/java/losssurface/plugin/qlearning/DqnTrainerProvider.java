package losssurface.plugin.qlearning;

import java.util.LinkedHashMap;
import java.util.Map;

import losssurface.api.EnvironmentTask;
import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.Trainer;
import losssurface.api.TrainerProvider;
import losssurface.rl.RlObjectiveSettings;

/**
 * Provides the {@code dqn} trainer: experience replay, minibatch Adam steps on the Huber (or
 * squared) TD error and a target network synchronised every K steps. Settings: the shared
 * {@code q.*} keys (see {@link QSettings}) and the {@code dqn.*} keys (see {@link DqnSettings}).
 */
public final class DqnTrainerProvider implements TrainerProvider {
    @Override
    public String name() {
        return "dqn";
    }

    @Override
    public String description() {
        return "DQN: replay memory, minibatches, target network, epsilon schedule, Huber or MSE loss, Adam";
    }

    @Override
    public Class<? extends Task> taskType() {
        return EnvironmentTask.class;
    }

    @Override
    public Trainer create(Settings settings) {
        QSettings q = QSettings.read(settings, QSettings.Schedule.DQN);
        RlObjectiveSettings surface = RlObjectiveSettings.read(settings);
        DqnSettings d = DqnSettings.read(settings);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("replay", d.replay());
        extra.put("batch-size", d.batchSize());
        extra.put("target-sync", d.targetSync());
        extra.put("loss", d.loss());
        extra.put("learning-starts", d.learningStarts());
        extra.put("train-every", d.trainEvery());
        extra.put("gradient-steps", d.gradientSteps());
        extra.put("double-q", d.doubleQ());
        return new QTrainer(name(), q, surface, (net, seed) -> new DqnLearner(net, net.twin(), q.gamma(), d, seed),
                extra, d.batchSize());
    }

    /** Every setting but the RL objectives' ({@code rl.*}), which choose what the agent is drawn on. */
    @Override
    public java.util.Set<String> trainingSettings() {
        return RlObjectiveSettings.withoutThese(settings().keySet());
    }
}
