package losssurface.plugin.supervised;

import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.Trainer;
import losssurface.api.TrainerProvider;
import losssurface.nn.SupervisedTask;

/** Provides the {@code supervised} trainer. */
public final class SupervisedTrainerProvider implements TrainerProvider {
    @Override
    public String name() {
        return "supervised";
    }

    @Override
    public String description() {
        return "Minibatch Adam on a DL4J network for any supervised task; snapshots every epoch";
    }

    @Override
    public Class<? extends Task> taskType() {
        return SupervisedTask.class;
    }

    @Override
    public Trainer create(Settings settings) {
        return new SupervisedTrainer(SupervisedSettings.from(settings));
    }
}
