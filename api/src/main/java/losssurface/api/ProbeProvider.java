package losssurface.api;

/**
 * The extension point for probes (e.g. {@code random-plane}): {@link #create} reads the probe's
 * settings and returns the {@link SurfaceProbe}. See {@link PluginProvider} for what every
 * provider has.
 */
public interface ProbeProvider extends PluginProvider<SurfaceProbe> {

    /**
     * Creates the probe from the run's settings (see {@link PluginProvider#create}). Declared here with
     * its own return type, so that plugins compiled against earlier versions of this interface
     * still link.
     */
    @Override
    SurfaceProbe create(Settings settings);
}
