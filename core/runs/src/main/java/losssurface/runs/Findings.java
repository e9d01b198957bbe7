package losssurface.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.api.Comparison;
import losssurface.api.RunResult;
import losssurface.api.Cliffs;
import losssurface.api.Surface;

/**
 * The numbers under a comparison's pictures, one row per run, from each surface's analysis
 * ({@code "sharpness"}, {@code "curvature"}) and, for agents, the greedy return at theta*: so that
 * a comparison states in numbers what the pictures suggest. A number a run lacks is a dash. The
 * comparison page and sheet show it, and the demo prints it.
 */
public final class Findings {

    /** The model summary's greedy evaluation return at theta* (agents). */
    static final String RETURN = "eval-return-mean";
    static final String RETURN_STD = "eval-return-std";
    /** A return surface's spread and worst-episode metrics. */
    static final String RETURN_SPREAD = "return-std";
    static final String RETURN_MIN = "return-min";

    /** {@code metric}'s value at the grid point nearest theta*. */
    private static double centre(Surface s, String metric) {
        return s.value(metric, nearest(s.axes().get(0).values()), s.isPlane() ? nearest(s.axes().get(1).values()) : 0);
    }

    private static int nearest(double[] values) {
        int k = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) < Math.abs(values[k])) {
                k = i;
            }
        }
        return k;
    }

    private final List<String> header = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    public Findings(Comparison comparison) {
        boolean agents = comparison.runs().stream().anyMatch(r -> r.model().summary().get(RETURN) instanceof Number);
        String metric = comparison.runs().get(0).surface().lossMetric();
        header.addAll(List.of("run", "centre " + metric, "top eigenvalue", "trace \u00b1 s.e.", "\u03b5-sharpness",
                "adaptive sharpness", "basin radius d1 / d2", "mean change at r 0.25"));
        if (agents) {
            header.add("greedy return at \u03b8*");
        }
        boolean cliffs = comparison.runs().stream().anyMatch(r -> r.surface().info().get(Surface.CLIFFS) instanceof Map<?, ?>);
        if (cliffs) {
            header.addAll(List.of("return spread at \u03b8* (std / min)", "cliff points (within r " + Cliffs.RADIUS + ")"));
        }
        for (RunResult r : comparison.runs()) {
            Map<String, Object> sharp = map(r.surface().info().get(Surface.SHARPNESS));
            Map<String, Object> curv = map(r.surface().info().get(Surface.CURVATURE));
            List<String> row = new ArrayList<>();
            row.add(comparison.label(r));
            Object centre = sharp.containsKey("centre-loss") ? sharp.get("centre-loss") : sharp.get("centre-return");
            row.add(number(centre));
            Object eigen = curv.get("eigenvalues") instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
            row.add(number(eigen));
            row.add(curv.get("trace") instanceof Number t
                    ? number(t) + " \u00b1 " + (curv.get("trace-stderr") instanceof Number s ? format(s.doubleValue(), 2) : "?") : "\u2013");
            row.add(number(sharp.get("epsilon-sharpness")));
            row.add(number(sharp.get("adaptive-sharpness")));
            Map<String, Object> basin = map(sharp.get("basin-radius"));
            List<?> steps = sharp.get("grid-step") instanceof List<?> l ? l : List.of();
            List<String> radii = new ArrayList<>();
            int axis = 0;
            for (Object v : basin.values()) {
                Object step = axis < steps.size() ? steps.get(axis) : null;
                axis++;
                radii.add(!(v instanceof Number radius) ? "beyond grid" : step instanceof Number h && radius.doubleValue() < h.doubleValue()
                        ? "< " + format(h.doubleValue(), 2) + " (" + number(radius) + ")" : number(radius));
            }
            row.add(radii.isEmpty() ? "\u2013" : String.join(" / ", radii));
            row.add(number(map(sharp.get("average-direction")).get("0.25")));
            if (agents) {
                Object ret = r.model().summary().get(RETURN);
                Object std = r.model().summary().get(RETURN_STD);
                row.add(ret instanceof Number n ? format(n.doubleValue(), 4) + (std instanceof Number s ? " \u00b1 " + format(s.doubleValue(), 3) : "")
                        : "\u2013");
            }
            if (cliffs) {
                Surface surface = r.surface();
                row.add(surface.metrics().containsAll(List.of(RETURN_SPREAD, RETURN_MIN))
                        ? number(centre(surface, RETURN_SPREAD)) + " / " + number(centre(surface, RETURN_MIN)) : "\u2013");
                Map<String, Object> found = map(surface.info().get(Surface.CLIFFS));
                row.add(found.get("count") instanceof Number n ? n.intValue() + " of " + found.get("points")
                        + (found.get("share-within-radius") instanceof Number share ? String.format(Locale.ROOT, " (%.0f%% of %s)",
                        100 * share.doubleValue(), found.get("points-within-radius")) : "") : "\u2013");
            }
            rows.add(row);
        }
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** Whether any run has a number to show beyond its name. */
    public boolean any() {
        return rows.stream().anyMatch(r -> r.stream().skip(1).anyMatch(c -> !c.equals("\u2013")));
    }

    /** What the columns are, in a sentence for under the table. */
    public static final String NOTE = "From each run's surface.json: \u03b5-sharpness (Keskar et al.) and adaptive sharpness in"
            + " percent of 1 + the centre loss, by projected gradient ascent; basin radius where the loss first doubles along"
            + " each direction (a return: first halves; \"< h\": inside the grid's first cell, an interpolation); the curvature where measured (curvature=on, or the hessian probe);"
            + " a return surface's spread over its episodes at theta*, and its cliff points (Sullivan et al.'s criterion, marked on the return maps)."
            + " A dash: not measured for that run (its surface.json says why).";

    /** The table as lines of text, columns aligned. */
    public List<String> lines() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int k = 0; k < widths.length; k++) {
                widths[k] = Math.max(widths[k], row.get(k).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < widths.length; k++) {
                line.append(String.format(Locale.ROOT, "%-" + (widths[k] + 2) + "s", row.get(k)));
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String number(Object o) {
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? format(n.doubleValue(), 4) : "\u2013";
    }

    static String format(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "g", v);
    }
}
