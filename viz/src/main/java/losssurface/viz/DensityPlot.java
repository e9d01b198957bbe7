package losssurface.viz;

import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Hessian's spectral density ({@code esd.npy}, stochastic Lanczos quadrature) as PyHessian
 * draws it, density on a log axis, with the eigenvalues on a symmetric log axis
 * ({@code sign(x) log10(1 + |x| / c)}, linear within c of zero), so that the few large outliers
 * and the bulk near zero, negative eigenvalues included, show at once.
 */
final class DensityPlot {

    /** Densities below this are drawn at it (PyHessian adds 1e-7 before its log plot). */
    static final double FLOOR = 1e-7;

    private DensityPlot() {
    }

    /** The symmetric log of x with linear threshold c. */
    static double symlog(double x, double c) {
        return Math.signum(x) * Math.log10(1 + Math.abs(x) / c);
    }

    /** @param esd {@code [points, 2]}: eigenvalue, density */
    static Path draw(double[] esd, String who, double[] top, Path file) throws IOException {
        int n = esd.length / 2;
        double maxAbs = 0;
        for (int g = 0; g < n; g++) {
            maxAbs = Math.max(maxAbs, Math.abs(esd[2 * g]));
        }
        double c = Math.max(1e-12, 1e-3 * maxAbs);
        double x0 = symlog(esd[0], c);
        double x1 = symlog(esd[2 * (n - 1)], c);
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        double hi = FLOOR;
        for (int g = 0; g < n; g++) {
            hi = Math.max(hi, esd[2 * g + 1]);
        }
        ColorScale y = new ColorScale(FLOOR, hi * 2, true);
        Canvas canvas = new Canvas(1000, 560);
        canvas.title(List.of("Hessian eigenvalue density \u2014 " + who, String.format(Locale.ROOT,
                "stochastic Lanczos quadrature; top eigenvalues %s", topText(top))), 500, 14);
        double left = 110;
        double width = 840;
        double up = 80;
        double height = 380;
        canvas.g.setColor(Canvas.GRID);
        canvas.stroke(0.8f);
        List<Double> xticks = ticks(esd[0], esd[2 * (n - 1)], c);
        for (double v : xticks) {
            double px = left + (symlog(v, c) - x0) / (x1 - x0) * width;
            canvas.g.drawLine((int) px, (int) up, (int) px, (int) (up + height));
        }
        Path2D path = new Path2D.Double();
        for (int g = 0; g < n; g++) {
            double px = left + (symlog(esd[2 * g], c) - x0) / (x1 - x0) * width;
            double py = up + (1 - y.position(Math.max(FLOOR, esd[2 * g + 1]))) * height;
            if (g == 0) {
                path.moveTo(px, py);
            } else {
                path.lineTo(px, py);
            }
        }
        canvas.g.setColor(LinePlot.FIRST);
        canvas.stroke(2.0f);
        canvas.g.draw(path);
        canvas.g.setColor(Canvas.INK);
        canvas.stroke(1.2f);
        canvas.g.drawRect((int) left, (int) up, (int) width, (int) height);
        canvas.g.setFont(Canvas.font(12, false));
        for (double v : xticks) {
            double px = left + (symlog(v, c) - x0) / (x1 - x0) * width;
            canvas.g.drawLine((int) px, (int) (up + height), (int) px, (int) (up + height + 5));
            canvas.text(Ticks.label(v), px, up + height + 7, 0.5, 0);
        }
        for (double v : Ticks.log(y.min(), y.max())) {
            double py = up + (1 - y.position(v)) * height;
            canvas.g.drawLine((int) left - 5, (int) py, (int) left, (int) py);
            canvas.text(Ticks.label(v), left - 8, py, 1, 0.5);
        }
        canvas.g.setFont(Canvas.font(13, false));
        canvas.text(String.format(Locale.ROOT, "eigenvalue (symmetric log axis, linear within %s of 0)", Ticks.label(c)),
                left + width / 2, up + height + 30, 0.5, 0);
        canvas.g.setFont(Canvas.font(13, true));
        canvas.verticalText("density (log)", left - 70, up + height / 2);
        canvas.save(file);
        return file;
    }

    private static String topText(double[] top) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < Math.min(3, top.length); k++) {
            parts.add(String.format(Locale.ROOT, "%.4g", top[k]));
        }
        return String.join(", ", parts) + (top.length > 3 ? ", ..." : "");
    }

    /** 0 and the signed powers of ten within [lo, hi] that lie beyond the linear band. */
    static List<Double> ticks(double lo, double hi, double c) {
        List<Double> out = new ArrayList<>();
        if (lo <= 0 && hi >= 0) {
            out.add(0.0);
        }
        for (int e = (int) Math.floor(Math.log10(c)) + 1; e <= 15; e++) {
            double p = Math.pow(10, e);
            if (p <= hi) {
                out.add(p);
            }
            if (-p >= lo) {
                out.add(-p);
            }
        }
        return out;
    }
}
