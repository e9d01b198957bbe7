package losssurface.viz;

import losssurface.api.Check;
import losssurface.api.Settings;

/**
 * Options of the {@code png} renderer.
 *
 * @param log       {@code png.log}: logarithmic colour and height scale: {@code auto} (default: when every value
 *                  is positive and they span more than 50x), {@code true} or {@code false}
 * @param vmax      {@code png.vmax}: clip values above this (default: none, NaN)
 * @param levels    {@code png.levels}: contour levels (default 15)
 * @param width     {@code png.width}: picture width in pixels (default 1000)
 * @param height    {@code png.height}: picture height in pixels (default 760)
 * @param elevation {@code png.elevation}: 3D view elevation in degrees (default 35)
 * @param azimuth   {@code png.azimuth}: 3D view azimuth in degrees (default -60)
 */
record PngOptions(String log, double vmax, int levels, int width, int height, double elevation, double azimuth) {

    PngOptions {
        Check.between("png.levels", 2, 200, levels);
        Check.between("png.width", 300, 8000, width);
        Check.between("png.height", 250, 8000, height);
        Check.between("png.elevation", 0.0, 90.0, elevation);
        Check.between("png.azimuth", -360.0, 360.0, azimuth);
        if (!Double.isNaN(vmax) && !Double.isFinite(vmax)) {
            throw new losssurface.api.SettingsException("png.vmax must be a finite number, was " + vmax + ".");
        }
        if (log.equals("true") && !Double.isNaN(vmax) && vmax <= 0) {
            throw new losssurface.api.SettingsException("png.vmax must be > 0 with png.log=true, was " + vmax + ".");
        }
    }

    /** The {@code png.log} setting, which the html renderer's log-scale switch starts from too. */
    static String readLog(Settings s) {
        return s.choice("png.log", "auto", java.util.Set.of("auto", "true", "false"));
    }

    static PngOptions read(Settings s) {
        return new PngOptions(readLog(s), s.optionalDecimal("png.vmax", "none").orElse(Double.NaN),
                s.integer("png.levels", 15), s.integer("png.width", 1000), s.integer("png.height", 760),
                s.decimal("png.elevation", 35), s.decimal("png.azimuth", -60));
    }

    /** Whether {@code values} are drawn on a log scale under these options. */
    boolean logFor(double[] values) {
        return logFor(log, values);
    }

    /** Whether {@code values} are drawn on a log scale under {@code png.log=log}. */
    static boolean logFor(String log, double[] values) {
        if (log.equals("false")) {
            return false;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                if (v <= 0) {
                    return false;
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return false;
        }
        return log.equals("true") || hi / lo > 50;
    }

    static PngOptions defaults() {
        return read(Settings.empty());
    }
}
