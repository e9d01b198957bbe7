package losssurface.api;

/**
 * The extension point for probes (e.g. {@code random-plane}): {@link #create} reads the probe's
 * settings and returns the {@link SurfaceProbe}. See {@link PluginProvider} for what every
 * provider has.
 */
public interface ProbeProvider extends PluginProvider<SurfaceProbe> {
}
