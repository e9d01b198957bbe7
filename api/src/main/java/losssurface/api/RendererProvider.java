package losssurface.api;

/**
 * The extension point for renderers (e.g. {@code png}): {@link #create} reads the renderer's
 * settings and returns the {@link Renderer}. See {@link PluginProvider} for what every provider
 * has.
 */
public interface RendererProvider extends PluginProvider<Renderer> {

    /**
     * What a renderer writes, which fixes the order renderers run in: the numbers first (the others
     * draw from them and a run without them is not a run), then pictures, then pages, which link
     * every picture of the folder.
     */
    enum Role {
        /** The run's numbers (NumPy, JSON): exactly one such renderer, always run, first. */
        NUMBERS,
        /** Pictures drawn from the numbers. */
        PICTURES,
        /** Pages that show and link the pictures in the run folder, written last. */
        PAGES
    }

    /** What this renderer writes (default {@link Role#PICTURES}); renderers run in this order, by name within a role. */
    default Role role() {
        return Role.PICTURES;
    }

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
