package losssurface.runner;

import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.TrainedModel;

/** A test task that no stock trainer can train (it is not a SupervisedTask). */
public final class CoinTaskProvider implements TaskProvider {
    @Override
    public String name() {
        return "coin";
    }

    @Override
    public String description() {
        return "test task no trainer fits";
    }

    @Override
    public Task create(Settings settings) {
        return new Task() {
            @Override
            public Objective objective(TrainedModel model, RunContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
