package losssurface.plugin.probes;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/** Provides {@code interpolate}: the loss on the line through two parameter vectors (Goodfellow et al. 2015). */
public final class InterpolateProvider implements ProbeProvider {
    @Override
    public String name() {
        return "interpolate";
    }

    @Override
    public String description() {
        return "Loss on the line (1 - t) theta_from + t theta_to, by default from the initial to the trained parameters";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new InterpolateProbe(new InterpolateProbe.Config(
                settings.path("interpolate.from"),
                settings.path("interpolate.to"),
                settings.integer( "interpolate.points", 101),
                settings.range("interpolate.range", new Settings.Range(-0.5, 1.5))));
    }
}
