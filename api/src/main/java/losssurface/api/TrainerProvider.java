package losssurface.api;

/**
 * Service-provider interface for trainers. Register an implementation with {@code provides} in
 * the plugin's module-info (and in {@code META-INF/services} for the class path).
 */
public interface TrainerProvider {

    /** Stable kebab-case name the user types, e.g. {@code supervised}. Unique across all plugins. */
    String name();

    /** One line saying what it does. */
    String description();

    /**
     * The kind of task this trainer can train, e.g. {@code SupervisedTask.class}. The runner
     * refuses other pairings and names the trainers that fit.
     */
    Class<? extends Task> taskType();

    /**
     * Creates the trainer from the run's settings. Read every setting here (reads are how the
     * runner knows which keys are valid) and fail with a {@link SettingsException} on bad values.
     */
    Trainer create(Settings settings);
}
