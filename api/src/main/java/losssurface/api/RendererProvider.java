package losssurface.api;

/**
 * The extension point for renderers (e.g. {@code png}): {@link #create} reads the renderer's
 * settings and returns the {@link Renderer}. See {@link PluginProvider} for what every provider
 * has.
 */
public interface RendererProvider extends PluginProvider<Renderer> {

    /** Whether the renderer runs when the user names none. Default: yes. */
    default boolean onByDefault() {
        return true;
    }

    /**
     * Creates the renderer from the run's settings (see {@link PluginProvider#create}). Declared here with
     * its own return type, so that plugins compiled against earlier versions of this interface
     * still link.
     */
    @Override
    Renderer create(Settings settings);
}
