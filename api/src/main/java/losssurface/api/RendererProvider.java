package losssurface.api;

/**
 * Service-provider interface for renderers. Register an implementation with {@code provides} in
 * the plugin's module-info (and in {@code META-INF/services} for the class path).
 */
public interface RendererProvider {

    /** Stable kebab-case name the user types, e.g. {@code png}. Unique across all plugins. */
    String name();

    /** One line saying what it does. */
    String description();

    /** Whether the renderer runs when the user names none. Default: yes. */
    default boolean onByDefault() {
        return true;
    }

    /**
     * Creates the renderer from the run's settings. Read every setting here (reads are how the
     * runner knows which keys are valid) and fail with a {@link SettingsException} on bad values.
     */
    Renderer create(Settings settings);
}
