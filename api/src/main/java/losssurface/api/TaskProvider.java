package losssurface.api;

/**
 * The extension point for tasks (e.g. {@code mnist}): {@link #create} reads the task's settings
 * and returns the {@link Task}. See {@link PluginProvider} for what every provider has.
 */
public interface TaskProvider extends PluginProvider<Task> {
}
