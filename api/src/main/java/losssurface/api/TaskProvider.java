package losssurface.api;

/**
 * Service-provider interface for tasks. Register an implementation with {@code provides} in
 * the plugin's module-info (and in {@code META-INF/services} for the class path).
 */
public interface TaskProvider {

    /** Stable kebab-case name the user types, e.g. {@code mnist}. Unique across all plugins. */
    String name();

    /** One line saying what it does. */
    String description();

    /**
     * Creates the task from the run's settings. Read every setting here (reads are how the
     * runner knows which keys are valid) and fail with a {@link SettingsException} on bad values.
     */
    Task create(Settings settings);
}
