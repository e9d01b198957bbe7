package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import losssurface.api.Axis;
import losssurface.api.Check;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;

/**
 * The loss at theta* + a d over evenly spaced a. d is the first Gaussian direction drawn from the
 * direction seed, so it equals {@code random-plane}'s d1 for the same seed and normalisation.
 */
final class RandomLineProbe implements SurfaceProbe {

    /**
     * @param points     {@code line.points}, default 101
     * @param range      {@code line.range}, default -1:1
     * @param directions {@code line.seed}, {@code line.norm}, {@code line.bias}
     */
    record Config(int points, Settings.Range range, DirectionSettings directions) {
        Config {
            Check.between("line.points", 2, 1_000_001, points);
        }
    }

    private final Config config;

    RandomLineProbe(Config config) {
        this.config = config;
    }

    @Override
    public java.util.Optional<SurfaceSize> size() {
        return java.util.Optional.of(new SurfaceSize("line.points", config.points()));
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        float[] theta = input.centre();
        long seed = config.directions().seedOr(input.context().seed());
        float[] d = Directions.gaussian(theta.length, new Random(seed));
        Directions.normalise(d, theta, objective.layout(), config.directions().norm(), config.directions().keepBiases());
        double[] alphas = config.range().linspace(config.points());
        Map<String, Object> info = new LinkedHashMap<>();

        info.put("method", "random-line");
        info.put("direction-seed", seed);
        info.put("normalisation", config.directions().norm().name().toLowerCase(Locale.ROOT));
        info.put("biases", config.directions().keepBiases() ? "keep" : "zero");
        info.put("points", config.points());
        info.put("range", config.range().toString());
        return new SurfacePlan(theta, List.of(new Axis("alpha", "direction 1 (" + config.directions().norm().label() + ", seed " + seed + ")", alphas)),
                List.of(new Direction("direction-1", d)), List.of(), info);
    }
}
