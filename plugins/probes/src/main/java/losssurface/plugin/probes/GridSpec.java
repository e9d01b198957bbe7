package losssurface.plugin.probes;

import java.util.Locale;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.SurfaceSize;

/**
 * The size of a plane grid, written {@code N} (N x N) or {@code NxM}.
 *
 * @param key     the setting it was read from, e.g. {@code plane.grid}
 * @param xPoints points along the first direction
 * @param yPoints points along the second direction
 */
record GridSpec(String key, int xPoints, int yPoints) {

    GridSpec {
        Check.between("grid points per axis", 2, 10_001, xPoints);
        Check.between("grid points per axis", 2, 10_001, yPoints);
    }

    /** Reads {@code key} (e.g. {@code plane.grid}), default {@code 51x51}. */
    static GridSpec read(Settings settings, String key) {
        return read(settings, key, 51);
    }

    /** The same with a default of {@code points} x {@code points}. */
    static GridSpec read(Settings settings, String key, int points) {
        String text = settings.string(key, points + "x" + points);
        String[] parts = text.toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length > 2) {
            throw new SettingsException(key + " must be N or NxM, e.g. 51 or 51x41, was '" + text + "'.");
        }
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            try {
                out[i] = Integer.parseInt(parts[Math.min(i, parts.length - 1)].trim());
            } catch (NumberFormatException e) {
                throw new SettingsException(key + " must be N or NxM, e.g. 51 or 51x41, was '" + text + "'.");
            }
            if (out[i] < 2 || out[i] > 10_001) {
                throw new SettingsException(key + " points per axis must be between 2 and 10001, was " + out[i] + ".");
            }
        }
        return new GridSpec(key, out[0], out[1]);
    }

    /** The number of points, for the surface job's {@code surface.max-points}. */
    SurfaceSize size() {
        return new SurfaceSize(key, (long) xPoints * yPoints);
    }

    @Override
    public String toString() {
        return xPoints + "x" + yPoints;
    }
}
