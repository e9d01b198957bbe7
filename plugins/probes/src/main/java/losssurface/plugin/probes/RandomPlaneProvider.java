package losssurface.plugin.probes;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
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
        int[] grid = grid(settings.string("plane.grid", "51x51"));
        return new RandomPlaneProbe(new RandomPlaneProbe.Config(
                grid[0], grid[1],
                settings.range("plane.x-range", new Settings.Range(-1, 1)),
                settings.range("plane.y-range", new Settings.Range(-1, 1)),
                DirectionSettings.read(settings, "plane"),
                settings.flag("plane.orthogonalize", false)));
    }

    /** Parses {@code 51} or {@code 51x41}. */
    static int[] grid(String text) {
        String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        if (parts.length > 2) {
            throw new SettingsException("plane.grid must be N or NxM, e.g. 51 or 51x41, was '" + text + "'.");
        }
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            String p = parts[Math.min(i, parts.length - 1)].trim();
            try {
                out[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new SettingsException("plane.grid must be N or NxM, e.g. 51 or 51x41, was '" + text + "'.");
            }
        }
        return out;
    }
}
