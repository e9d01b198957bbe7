package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;

/**
 * The loss at theta* + a d1 + b d2 over an N x M grid of (a, b). d1 and d2 are drawn, in that
 * order, from one {@code java.util.Random} seeded with the direction seed, then normalised.
 */
final class RandomPlaneProbe implements SurfaceProbe {

    /**
     * @param grid         grid points along d1 and d2 ({@code plane.grid}, default 51x51)
     * @param xRange       {@code plane.x-range}, default -1:1
     * @param yRange       {@code plane.y-range}, default -1:1
     * @param directions   {@code plane.seed}, {@code plane.norm}, {@code plane.bias}
     * @param orthogonalize {@code plane.orthogonalize}: make d2 orthogonal to d1 (default false)
     */
    record Config(GridSpec grid, Settings.Range xRange, Settings.Range yRange, DirectionSettings directions,
                  boolean orthogonalize) {
    }

    private final Config config;

    RandomPlaneProbe(Config config) {
        this.config = config;
    }

    /** d1 and d2, drawn in that order from one {@code java.util.Random} seeded with {@code seed}, then normalised. */
    static float[][] draw(float[] theta, losssurface.api.ParameterLayout layout, DirectionSettings settings, long seed) {
        Random random = new Random(seed);
        float[] d1 = Directions.gaussian(theta.length, random);
        float[] d2 = Directions.gaussian(theta.length, random);
        Directions.normalise(d1, theta, layout, settings.norm(), settings.keepBiases());
        Directions.normalise(d2, theta, layout, settings.norm(), settings.keepBiases());
        return new float[][] {d1, d2};
    }

    @Override
    public java.util.Optional<SurfaceSize> size() {
        return java.util.Optional.of(config.grid().size());
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        float[] theta = input.centre();
        long seed = config.directions().seedOr(input.context().seed());
        float[][] d = draw(theta, objective.layout(), config.directions(), seed);
        float[] d1 = d[0];
        float[] d2 = d[1];
        double cosineBefore = Directions.cosine(d1, d2);
        if (config.orthogonalize()) {
            Directions.orthogonalise(d2, d1);
        }
        double[] alphas = config.xRange().linspace(config.grid().xPoints());
        double[] betas = config.yRange().linspace(config.grid().yPoints());
        Map<String, Object> info = new LinkedHashMap<>();

        String norm = config.directions().norm().label();
        info.put("method", "random-plane");
        info.put("direction-seed", seed);
        info.put("normalisation", config.directions().norm().name().toLowerCase(Locale.ROOT));
        info.put("biases", config.directions().keepBiases() ? "keep" : "zero");
        info.put("orthogonalized", config.orthogonalize());
        info.put("direction-cosine", Directions.cosine(d1, d2));
        info.put("direction-cosine-before-orthogonalization", cosineBefore);
        info.put("grid", config.grid().toString());
        info.put("x-range", config.xRange().toString());
        info.put("y-range", config.yRange().toString());
        return new SurfacePlan(theta, List.of(new Axis("alpha", "direction 1 (" + norm + ", seed " + seed + ")", alphas),
                        new Axis("beta", "direction 2 (" + norm + ", seed " + seed + ")", betas)),
                List.of(new Direction("direction-1", d1), new Direction("direction-2", d2)), List.of(), info);
    }
}
