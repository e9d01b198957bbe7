package losssurface.plugin.cartpole;

import java.util.Objects;
import java.util.OptionalDouble;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.Objective;
import losssurface.api.RunContext;
import losssurface.api.TrainedModel;
import losssurface.api.dl4j.RlObjectiveSettings;

/**
 * Balancing CartPole-v1; solved at a mean return of 475. Its surface is the RL objective chosen
 * with the {@code rl.*} settings (see {@link RlObjectiveSettings}).
 */
final class CartPoleTask implements EnvironmentTask {

    private final RlObjectiveSettings rl;

    CartPoleTask(RlObjectiveSettings rl) {
        this.rl = Objects.requireNonNull(rl, "rl");
    }

    RlObjectiveSettings rlSettings() {
        return rl;
    }

    @Override
    public Environment newEnvironment() {
        return new CartPole();
    }

    @Override
    public OptionalDouble solvedReturn() {
        return OptionalDouble.of(475);
    }

    @Override
    public Objective objective(TrainedModel model, RunContext context) {
        return rl.objective(model, this, context);
    }
}
