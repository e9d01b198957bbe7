package losssurface.runs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import losssurface.api.Check;
import losssurface.api.Cliffs;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.Curvature;
import losssurface.api.Sharpness;

/**
 * The analysis stage, after a surface is whole: numbers about its centre that any run can have,
 * written to {@code surface.json} for tools.
 * <ul>
 *   <li>{@code "sharpness"}, for every surface: the average-direction sharpness and the basin radius
 *   read off the surface, and, where the objective has gradients, ε-sharpness and adaptive
 *   sharpness by projected gradient ascent ({@link Sharpness});</li>
 *   <li>{@code "cliffs"}, for a return surface: the points where the return falls off a cliff
 *   ({@link Cliffs}), their count and their share near theta*, with the {@code cliff} grid that marks
 *   them;</li>
 *   <li>{@code "curvature"}: the one a probe measured (the {@code hessian} probe), or, with
 *   {@code curvature=on}, measured here ({@link Curvature}); its eigenvectors and spectral density
 *   are kept as {@code eigenvectors.npy} and {@code esd.npy}.</li>
 * </ul>
 * What an objective cannot give (no gradients: an ONNX model, a greedy return) is said in the
 * numbers' place, with why.
 */
public final class Analysis {

    /** Who reads the stage's settings, as {@code list} and unknown-key errors name it. */
    public static final String OWNER = "analysis";
    /** {@code on} measures the curvature at theta* for any run. */
    public static final String CURVATURE = "curvature";
    /** The prefix of the curvature measurement's settings ({@code curvature.k}, ...). */
    public static final String PREFIX = "curvature";
    /** {@code off} skips the sharpness numbers. */
    public static final String SHARPNESS = "sharpness";

    /**
     * The stage's settings.
     *
     * @param curvature  {@value #CURVATURE}: measure the curvature at theta* (off by default)
     * @param measure    {@code curvature.*}: what to measure
     * @param sharpness  {@value #SHARPNESS}: the sharpness numbers (on by default)
     * @param epsilon    {@code sharpness.epsilon}: the box's relative size (1e-3)
     * @param iterations {@code sharpness.iterations}: ascent steps, one gradient and one loss each (10)
     * @param budget     {@code sharpness.budget}: seconds the two ascents may take, estimated from one loss (a gradient taken as three)
     *                   before they start; above it they are skipped with a sentence (60)
     */
    public record Config(boolean curvature, Curvature.Config measure, boolean sharpness, double epsilon, int iterations,
                         double budget) {
        public Config {
            java.util.Objects.requireNonNull(measure, "measure");
            if (!(epsilon > 0) || iterations < 1) {
                throw new IllegalArgumentException("epsilon must be positive and iterations at least 1, were " + epsilon
                        + " and " + iterations);
            }
        }

        /** Reads the settings above. */
        public static Config read(Settings settings) {
            Settings own = settings.forOwner(OWNER);
            return new Config(own.choice(CURVATURE, "off", java.util.Set.of("on", "off")).equals("on"),
                    Curvature.Config.read(own, PREFIX),
                    own.choice(SHARPNESS, "on", java.util.Set.of("on", "off")).equals("on"),
                    Check.between("sharpness.epsilon", 1e-12, 1.0, own.decimal("sharpness.epsilon", 1e-3)),
                    Check.between("sharpness.iterations", 1, 10_000, own.integer("sharpness.iterations", 10)),
                    Check.between("sharpness.budget", 0.0, 1e9, own.decimal("sharpness.budget", 60)));
        }
    }

    /** The surface with its numbers added, and the arrays to keep in the run folder. */
    public record Outcome(Surface surface, Map<String, NamedArray> arrays) {
    }

    private final Config config;

    public Analysis(Config config) {
        this.config = config;
    }

    /** The stage with the default settings. */
    public static Analysis defaults() {
        return new Analysis(Config.read(Settings.empty()));
    }

    /** Adds the numbers about {@code surface}'s centre, measured on {@code objective}. */
    public Outcome run(Surface surface, Objective objective, RunContext context) {
        Progress progress = context.progress();
        Map<String, NamedArray> arrays = new LinkedHashMap<>();
        Surface out = surface;
        Object probed = surface.info().get(Surface.CURVATURE);
        Curvature.Result measured = probed instanceof Curvature.Result r ? r : null;
        if (measured == null && config.curvature()) {
            if (objective.hasGradient() || objective.hessian(surface.centre()).isPresent()) {
                measured = Curvature.measure(objective, surface.centre(), config.measure(), context.seed(), progress,
                        PREFIX + ".products");
            } else { // said, not thrown: the surface is computed, and an agent's other objectives may have it
                String why = "not measured: " + noGradients(objective) + " The sharpness numbers from the surface need none.";
                progress.info("Curvature " + why);
                out = out.withInfo(Surface.CURVATURE, Map.of("measured", false, "why", why));
            }
        }
        if (measured != null) {
            out = out.withInfo(Surface.CURVATURE, measured.json());
            arrays.putAll(measured.arrays());
            progress.info(String.format(Locale.ROOT, "Curvature: top eigenvalues %s%s (%d products in %.1f s)",
                    format(measured.eigenvalues()), measured.trace() == null ? "" : String.format(Locale.ROOT,
                            ", trace %.4g +- %.2g", measured.trace().trace(), measured.trace().stderr()),
                    measured.products(), measured.seconds()));
        }
        if (config.sharpness()) {
            out = out.withInfo(Surface.SHARPNESS, sharpness(surface, objective, progress, context.seed()));
        }
        if (surface.lossMetric().equals(Sharpness.RETURN)) {
            Cliffs.Found cliffs = Cliffs.of(surface, Sharpness.RETURN);
            out = out.withGrid(Cliffs.METRIC, cliffs.grid()).withInfo(Surface.CLIFFS, cliffs.json(Sharpness.RETURN));
            progress.info(String.format(Locale.ROOT, "Cliffs: %d of %d points%s", cliffs.count(), cliffs.points(),
                    cliffs.near() == 0 ? "" : String.format(Locale.ROOT, "; %d of the %d within radius %s of theta*",
                            cliffs.nearCliffs(), cliffs.near(), Cliffs.RADIUS)));
        }
        return new Outcome(out, arrays);
    }

    private Map<String, Object> sharpness(Surface surface, Objective objective, Progress progress, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", surface.lossMetric());
        try {
            Sharpness.FromSurface s = Sharpness.fromSurface(surface);
            boolean rewards = surface.lossMetric().equals(Sharpness.RETURN);
            m.put(rewards ? "centre-return" : "centre-loss", s.centre());
            Map<String, Double> average = new LinkedHashMap<>();
            s.average().forEach((r, v) -> average.put(String.valueOf(r), v));
            m.put("average-direction", average);
            m.put("average-direction-about", "the mean " + surface.lossMetric() + " change over the surface's directions at each radius (the circle"
                    + " of that radius on the plane, " + "bilinear interpolation; a line: its two points); radii beyond the grid left out");
            Map<String, Object> basin = new LinkedHashMap<>();
            for (int a = 0; a < surface.directions().size(); a++) {
                Optional<Double> r = s.basin().get(a);
                basin.put(surface.directions().get(a).name(), r.isPresent() ? r.get() : null);
            }
            m.put("basin-radius", basin);
            m.put("grid-step", s.step());
            m.put("basin-radius-about", "along each direction, the distance from theta* to where the " + surface.lossMetric()
                    + (rewards ? " first falls to half" : " first reaches twice") + " its centre value (the nearer side; linear interpolation, so a radius below grid-step is an estimate inside the first"
                    + " cell); null: not within the grid (" + s.extent() + " each way)");
        } catch (IllegalArgumentException e) {
            m.put("from-surface", "not computed: " + e.getMessage());
        }
        if (!objective.hasGradient()) {
            m.put("epsilon-sharpness", null);
            m.put("epsilon-sharpness-about", "not computed: " + noGradients(objective) + " The average-direction sharpness and"
                    + " basin radius above need none.");
            return m;
        }
        long t0 = System.nanoTime();
        objective.evaluate(surface.centre());
        double loss = (System.nanoTime() - t0) / 1e9;
        // a gradient costs about three losses (reverse mode: a forward pass and a backward pass of about twice its work);
        // estimated, not measured, so that a network too costly to differentiate is not differentiated just to find out
        double gradient = 3 * loss;
        double estimate = 2 * config.iterations() * gradient + 2 * (config.iterations() + 2) * loss;
        if (estimate > config.budget()) {
            String why = String.format(Locale.ROOT, "not computed: the two ascents would take about %.0f s (%d gradients of about"
                    + " %.2f s, three losses each, and %d losses of %.2f s), more than sharpness.budget=%s s. Raise it (--set sharpness.budget=%.0f) or"
                    + " lower sharpness.iterations.", estimate, 2 * config.iterations(), gradient, 2 * (config.iterations() + 2),
                    loss, java.math.BigDecimal.valueOf(config.budget()).stripTrailingZeros().toPlainString(), Math.ceil(estimate * 1.2));
            progress.info("Sharpness: epsilon-sharpness " + why);
            m.put("epsilon-sharpness", null);
            m.put("epsilon-sharpness-about", why);
            return m;
        }
        progress.info(String.format(Locale.ROOT, "Sharpness: epsilon %s, plain and adaptive box, %d ascent steps each (%d"
                + " gradients and %d losses, about %.0f s)", config.epsilon(), config.iterations(), 2 * config.iterations(),
                2 * (config.iterations() + 2), estimate));
        t0 = System.nanoTime();
        Sharpness.Ascent plain = Sharpness.ascent(objective, surface.centre(), config.epsilon(), false, config.iterations(),
                seed);
        Sharpness.Ascent adaptive = Sharpness.ascent(objective, surface.centre(), config.epsilon(), true, config.iterations(),
                seed + 1);
        m.put("epsilon", config.epsilon());
        m.put("epsilon-sharpness", plain.sharpness());
        m.put("epsilon-sharpness-about", Sharpness.describe(config.epsilon(), false, config.iterations()));
        m.put("adaptive-sharpness", adaptive.sharpness());
        m.put("adaptive-sharpness-about", Sharpness.describe(config.epsilon(), true, config.iterations()));
        m.put("ascent-iterations", config.iterations());
        m.put("ascent-seconds", (System.nanoTime() - t0) / 1e9);
        progress.info(String.format(Locale.ROOT, "Sharpness: epsilon-sharpness %.4g, adaptive %.4g", plain.sharpness(),
                adaptive.sharpness()));
        return m;
    }

    private static String noGradients(Objective objective) {
        return "this objective (" + objective.description() + ") has no gradients (an ONNX model's runtime gives none; a greedy"
                + " return is not differentiable, nor is a TD loss whose target moves with the parameters: an agent's td-frozen"
                + " surface has them).";
    }

    private static String format(double[] values) {
        List<String> parts = java.util.Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v)).toList();
        return String.join(", ", parts);
    }
}
