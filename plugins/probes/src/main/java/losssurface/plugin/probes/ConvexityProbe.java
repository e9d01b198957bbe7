package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceProbe;
import losssurface.api.SurfaceSize;
import losssurface.api.Curvature;

/**
 * The convexity map of Li et al. 2018 (loss-landscape's): on the random plane (the same directions
 * as {@code random-plane} with the same seed and normalisation), at each point of a coarse grid, the
 * loss and |λmin / λmax| of the Hessian there, λmin and λmax the extreme Ritz values of a Lanczos run
 * at that point (metrics {@code convexity}, {@code lambda-min}, {@code lambda-max}). Near 0: locally
 * convex (λmin small against λmax); large: strongly non-convex. The points go through the surface job
 * like any other surface's (tiles, resume, shares), the measurement being the objective it evaluates.
 */
final class ConvexityProbe implements SurfaceProbe {

    /** The setting prefix. */
    static final String PREFIX = "convexity";

    /**
     * @param grid       {@code convexity.grid}, default 11x11
     * @param xRange     {@code convexity.x-range}, default -1:1
     * @param yRange     {@code convexity.y-range}, default -1:1
     * @param directions {@code convexity.seed}, {@code convexity.norm}, {@code convexity.bias} (as {@code plane.*})
     * @param steps      {@code convexity.iterations}: Lanczos steps (products) per point (default 20)
     * @param products   {@code convexity.products}: auto (default), exact or differences
     * @param step       {@code convexity.step}: the central differences' step (0.01)
     */
    record Config(GridSpec grid, Settings.Range xRange, Settings.Range yRange, DirectionSettings directions, int steps,
                  Curvature.Products products, double step) {
    }

    private final Config config;

    ConvexityProbe(Config config) {
        this.config = config;
    }

    @Override
    public Optional<SurfaceSize> size() {
        return Optional.of(config.grid().size());
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        float[] theta = input.centre();
        long seed = config.directions().seedOr(input.context().seed());
        float[][] d = RandomPlaneProbe.draw(theta, objective.layout(), config.directions(), seed);
        Measured measured = new Measured(objective, config, seed);
        // the cost, stated before the surface starts: one point measured here
        long t0 = System.nanoTime();
        double[] centre = measured.evaluate(theta);
        double perPoint = (System.nanoTime() - t0) / 1e9;
        long points = (long) config.grid().xPoints() * config.grid().yPoints();
        input.context().progress().info(String.format(Locale.ROOT, "Convexity map: at each of %d points the loss and a Lanczos"
                        + " run of %d Hessian-vector products (%s); at theta* that took %.2f s (|lambda_min/lambda_max| %.3g), so"
                        + " about %.0f s for the grid on %d worker%s", points, config.steps(), measured.method, perPoint, centre[1],
                perPoint * points / input.context().threads(), input.context().threads(), input.context().threads() == 1 ? "" : "s"));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", PREFIX);
        info.put("algorithm", "|lambda_min / lambda_max| from the extreme Ritz values of " + config.steps()
                + " Lanczos steps (full reorthogonalisation) at each point; products " + measured.method);
        info.put("direction-seed", seed);
        info.put("normalisation", config.directions().norm().name().toLowerCase(Locale.ROOT));
        info.put("biases", config.directions().keepBiases() ? "keep" : "zero");
        info.put("direction-cosine", Directions.cosine(d[0], d[1]));
        info.put("grid", config.grid().toString());
        info.put("x-range", config.xRange().toString());
        info.put("y-range", config.yRange().toString());
        info.put("seconds-per-point-at-theta*", perPoint);
        String norm = config.directions().norm().label();
        return new SurfacePlan(theta, List.of(
                new Axis("alpha", "direction 1 (" + norm + ", seed " + seed + ")", config.xRange().linspace(config.grid().xPoints())),
                new Axis("beta", "direction 2 (" + norm + ", seed " + seed + ")", config.yRange().linspace(config.grid().yPoints()))),
                List.of(new Direction("direction-1", d[0]), new Direction("direction-2", d[1])), List.of(), info, measured);
    }

    /** The loss and the Hessian's extremes at a point, as the metrics the surface job evaluates. */
    static final class Measured implements Objective {
        private final Objective inner;
        private final Config config;
        private final long seed;
        private volatile String method = "not made yet";

        Measured(Objective inner, Config config, long seed) {
            this.inner = inner;
            this.config = config;
            this.seed = seed;
        }

        @Override
        public ParameterLayout layout() {
            return inner.layout();
        }

        @Override
        public List<String> metrics() {
            return List.of(inner.metrics().get(0), "convexity", "lambda-min", "lambda-max");
        }

        @Override
        public double[] evaluate(float[] parameters) {
            double loss = inner.evaluate(parameters)[0];
            Curvature.Extremes e = Curvature.extremes(inner, parameters, config.products(), config.step(), config.steps(), seed,
                    PREFIX + ".products");
            method = e.method();
            return new double[] {loss, e.max() == 0 ? Double.NaN : Math.abs(e.min() / e.max()), e.min(), e.max()};
        }

        @Override
        public Optional<Objective> copy() {
            return inner.copy().map(c -> new Measured(c, config, seed));
        }

        @Override
        public String description() {
            return "convexity |lambda_min/lambda_max| (" + config.steps() + " Lanczos steps a point) of " + inner.description();
        }

        @Override
        public String identity() {
            return "convexity map, " + config.steps() + " Lanczos steps, products " + config.products().key() + ", step "
                    + config.step() + ", seed " + seed + ", of " + inner.identity();
        }
    }
}
