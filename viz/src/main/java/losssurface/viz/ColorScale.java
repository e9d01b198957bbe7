package losssurface.viz;

import java.awt.Color;

/**
 * Maps values to viridis colours over {@code [min, max]}, optionally on a log scale. Values
 * above the top are clipped to it; non-finite values have no colour (drawn as gaps).
 *
 * @param min lowest value shown
 * @param max highest value shown
 * @param log whether the scale is logarithmic (then min must be > 0)
 */
record ColorScale(double min, double max, boolean log) {

    /** viridis at 17 evenly spaced stops (matplotlib's values). */
    private static final int[] VIRIDIS = {
        0x440154, 0x481a6c, 0x472f7d, 0x414487, 0x39568c, 0x31688e, 0x2a788e, 0x23888e, 0x1f988b,
        0x22a884, 0x35b779, 0x54c568, 0x7ad151, 0xa5db36, 0xd2e21b, 0xfde725, 0xfde725};

    ColorScale {
        if (!(max > min)) {
            max = min + (min == 0 ? 1 : Math.abs(min) * 1e-6 + 1e-12);
        }
        if (log && !(min > 0)) {
            throw new IllegalArgumentException("a log colour scale needs positive values, min was " + min);
        }
    }

    /**
     * The scale for {@code values}: their finite range, clipped above at {@code vmax} when given
     * (NaN for none). For a log scale the bottom is the smallest positive value.
     */
    static ColorScale of(double[] values, double vmax, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = log ? 1 : 0;
            hi = lo + 1;
        }
        if (Double.isFinite(vmax)) {
            hi = Math.min(hi, vmax);
            lo = Math.min(lo, hi);
        }
        return new ColorScale(lo, hi, log);
    }

    /** Position of {@code v} on the scale, 0 at min and 1 at max, clipped; NaN for non-finite values. */
    double position(double v) {
        if (!Double.isFinite(v) || log && v <= 0) {
            return Double.NaN;
        }
        double t = log ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
        return Math.max(0, Math.min(1, t));
    }

    /** The value at position {@code t} in [0, 1]. */
    double valueAt(double t) {
        return log ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
    }

    /** The colour of {@code v}, or null for a gap. */
    Color color(double v) {
        double t = position(v);
        return Double.isNaN(t) ? null : viridis(t);
    }

    static Color viridis(double t) {
        double x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 2);
        int i = (int) Math.floor(x);
        double f = x - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8 & 0xff, b >> 8 & 0xff, f), mix(a & 0xff, b & 0xff, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) + ((b & 0xff) - (a & 0xff)) * f);
    }
}
