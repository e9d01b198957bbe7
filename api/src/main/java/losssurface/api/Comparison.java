package losssurface.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Several runs to be drawn side by side (a renderer's {@link Renderer#compare}: one colour scale and one
 * view for all), the metrics they share, and a statement of every way the runs differ in how their
 * surfaces were measured (directions seed, normalisation, biases, grid, probe), so that a
 * comparison is never silently unfair.
 */
public final class Comparison {

    private final List<RunResult> runs;

    /** @param runs two or more runs that share a metric, all planes or all lines */
    public Comparison(List<RunResult> runs) {
        if (runs.size() < 2) {
            throw new LossSurfaceException("compare needs at least two runs, got " + runs.size() + ".");
        }
        this.runs = List.copyOf(runs);
        if (metrics().isEmpty()) {
            throw new LossSurfaceException("These runs share no metric to compare: "
                    + String.join("; ", runs.stream().map(r -> r.name() + " has " + r.surface().metrics()).toList()) + ".");
        }
        boolean planes = runs.get(0).surface().isPlane();
        if (runs.stream().anyMatch(r -> r.surface().isPlane() != planes)) {
            throw new LossSurfaceException("compare needs runs of the same kind: all planes or all lines.");
        }
    }

    public List<RunResult> runs() {
        return runs;
    }

    /** Metrics every run has, in the first run's order. */
    public List<String> metrics() {
        Set<String> common = new LinkedHashSet<>(runs.get(0).surface().metrics());
        runs.forEach(r -> common.retainAll(r.surface().metrics()));
        return List.copyOf(common);
    }

    /**
     * How the runs' measurements differ, one sentence each; empty when they were measured alike
     * (same objective, probe, directions seed, normalisation, biases and grid).
     */
    public List<String> differences() {
        List<String> out = new ArrayList<>();
        differ(out, "objective", r -> r.surface().objective());
        differ(out, "probe", r -> r.provenance().probe());
        differ(out, "directions seed", r -> info(r, "direction-seed"));
        differ(out, "normalisation", r -> info(r, "normalisation"));
        differ(out, "biases", r -> info(r, "biases"));
        differ(out, "orthogonalisation", r -> info(r, "orthogonalized"));
        differ(out, "grid", Comparison::grid);
        return out;
    }

    /**
     * A run's name in the comparison: task and trainer, and when another run shares both and the
     * runs' settings differ, this run's value of the first such setting (the task's own settings first, e.g.
     * {@code mnist.network}), so that two runs of one task and trainer can be told apart:
     * "mnist · supervised (mnist.network=cnn)". Settings without a value in some run are passed over.
     */
    public String label(RunResult run) {
        String who = run.provenance().task() + " \u00b7 " + run.provenance().trainer();
        if (runs.stream().filter(r -> (r.provenance().task() + " \u00b7 " + r.provenance().trainer()).equals(who)).count() < 2) {
            return who; // task and trainer already tell this run apart
        }
        String own = run.provenance().task() + ".";
        return runs.stream().flatMap(r -> r.provenance().settings().keySet().stream()).distinct()
                .filter(key -> runs.stream().allMatch(r -> !r.provenance().settings().getOrDefault(key, "").isEmpty()))
                .filter(key -> runs.stream().map(r -> r.provenance().settings().get(key)).distinct().count() > 1)
                .min(java.util.Comparator.comparing((String key) -> !key.startsWith(own)).thenComparing(key -> key))
                .map(key -> who + " (" + key + "=" + run.provenance().settings().get(key) + ")")
                .orElse(who);
    }

    /** What the runs share, for the page's header, e.g. "random-plane, directions seed 42, filter normalisation, 51 x 51 over [-1, 1] x [-1, 1]". */
    public String sameMeasurement() {
        RunResult r = runs.get(0);
        return r.provenance().probe() + ", directions seed " + info(r, "direction-seed") + ", " + info(r, "normalisation")
                + " normalisation, biases " + info(r, "biases") + ", grid " + grid(r);
    }

    private static String info(RunResult r, String key) {
        return String.valueOf(r.surface().info().getOrDefault(key, "?"));
    }

    private static String grid(RunResult r) {
        Surface s = r.surface();
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.axes().size(); k++) {
            double[] v = s.axes().get(k).values();
            b.append(k == 0 ? "" : " x ").append(v.length).append(" points over [").append(v[0]).append(", ")
                    .append(v[v.length - 1]).append("]");
        }
        return b.toString();
    }

    private void differ(List<String> out, String what, java.util.function.Function<RunResult, String> value) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (RunResult r : runs) {
            byValue.computeIfAbsent(value.apply(r), v -> new ArrayList<>()).add(r.name());
        }
        if (byValue.size() > 1) {
            List<String> parts = new ArrayList<>();
            byValue.forEach((v, names) -> parts.add(v + " (" + String.join(", ", names) + ")"));
            out.add("The runs differ in " + what + ": " + String.join(" vs ", parts)
                    + ". Their surfaces are not measured alike; compare them with care.");
        }
    }
}
