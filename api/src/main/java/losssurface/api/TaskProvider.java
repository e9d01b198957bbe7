package losssurface.api;

/**
 * The extension point for tasks (e.g. {@code mnist}): {@link #create} reads the task's settings
 * and returns the {@link Task}. See {@link PluginProvider} for what every provider has.
 */
public interface TaskProvider extends PluginProvider<Task> {

    /**
     * Creates the task from the run's settings (see {@link PluginProvider#create}). Declared here with
     * its own return type, so that plugins compiled against earlier versions of this interface
     * still link.
     */
    @Override
    Task create(Settings settings);
}
