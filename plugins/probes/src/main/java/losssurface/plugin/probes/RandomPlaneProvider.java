package losssurface.plugin.probes;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/** Provides {@code random-plane}: the 2D surface along two filter-normalised Gaussian directions. */
public final class RandomPlaneProvider implements ProbeProvider {
    @Override
    public String name() {
        return "random-plane";
    }

    @Override
    public String description() {
        return "Loss over a grid of theta* + a d1 + b d2, d1 and d2 filter-normalised Gaussian directions (Li et al. 2018)";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new RandomPlaneProbe(new RandomPlaneProbe.Config(
                GridSpec.read(settings, "plane.grid"),
                settings.range("plane.x-range", new Settings.Range(-1, 1)),
                settings.range("plane.y-range", new Settings.Range(-1, 1)),
                DirectionSettings.read(settings, "plane"),
                settings.flag("plane.orthogonalize", false)));
    }
}
