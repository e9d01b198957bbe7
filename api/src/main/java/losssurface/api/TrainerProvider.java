package losssurface.api;

/**
 * The extension point for trainers (e.g. {@code dqn}): {@link #create} reads the trainer's
 * settings and returns the {@link Trainer}. See {@link PluginProvider} for what every provider has.
 */
public interface TrainerProvider extends PluginProvider<Trainer> {

    /**
     * The kind of task this trainer can train, e.g. {@code EnvironmentTask.class}. The runner
     * refuses other pairings and names the trainers that fit.
     */
    Class<? extends Task> taskType();

    /**
     * Creates the trainer from the run's settings (see {@link PluginProvider#create}). Declared here with
     * its own return type, so that plugins compiled against earlier versions of this interface
     * still link.
     */
    @Override
    Trainer create(Settings settings);

    /**
     * The keys of {@link #settings()} that make the trained model (the training schedule, the network), as opposed
     * to those that only choose what the model is drawn on (e.g. an agent's RL objectives). A run that draws the
     * model another run trained ({@code run --from}) must give these as that run did. By default every setting.
     */
    default java.util.Set<String> trainingSettings() {
        return settings().keySet();
    }
}
