package losssurface.plugin.probes;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/** Provides {@code random-line}: the 1D slice along one filter-normalised Gaussian direction. */
public final class RandomLineProvider implements ProbeProvider {
    @Override
    public String name() {
        return "random-line";
    }

    @Override
    public String description() {
        return "Loss along theta* + a d, d a filter-normalised Gaussian direction (the 1D random-plane)";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new RandomLineProbe(new RandomLineProbe.Config(
                settings.integer( "line.points", 101),
                settings.range("line.range", new Settings.Range(-1, 1)),
                DirectionSettings.read(settings, "line")));
    }
}
