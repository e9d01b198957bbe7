package losssurface.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** "Nice" axis ticks (1, 2, 2.5, 5 x 10^k steps) and their labels. */
final class Ticks {
    private Ticks() {
    }

    /** About {@code count} round values covering [lo, hi]. */
    static List<Double> of(double lo, double hi, int count) {
        List<Double> out = new ArrayList<>();
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            out.add(lo);
            return out;
        }
        double raw = (hi - lo) / Math.max(1, count);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (double v = first; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return out;
    }

    /** Ticks at powers of ten (and 2, 5 times them when few) within [lo, hi], lo > 0. */
    static List<Double> log(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        int a = (int) Math.floor(Math.log10(lo));
        int b = (int) Math.ceil(Math.log10(hi));
        double[] mults = b - a <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        for (int e = a; e <= b; e++) {
            for (double m : mults) {
                double v = m * Math.pow(10, e);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        if (out.size() < 2) {
            out.clear();
            out.add(lo);
            out.add(hi);
        }
        return out;
    }

    /** A short label: 0.5, 12, 1.2e-05, 3e+03. */
    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            String s = String.format(Locale.ROOT, "%.4g", v);
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.2g", v).replace("e-0", "e-").replace("e+0", "e+");
    }
}
