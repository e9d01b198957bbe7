package losssurface.plugin.probes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import losssurface.api.Axis;
import losssurface.api.Check;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;

/**
 * The loss at {@code (1 - t) from + t to}, i.e. {@code from + t (to - from)}, over evenly spaced t.
 * t = 0 is {@code from}, t = 1 is {@code to}; the range reaches beyond both (default -0.5 to 1.5).
 * By default {@code from} is the first training checkpoint (the initial parameters) and
 * {@code to} is theta*.
 */
final class InterpolateProbe implements SurfaceProbe {

    /**
     * @param from   {@code interpolate.from}: a .npy vector; default the first checkpoint
     * @param to     {@code interpolate.to}: a .npy vector; default theta*
     * @param points {@code interpolate.points}, default 101
     * @param range  {@code interpolate.range}, default -0.5:1.5
     */
    record Config(Optional<Path> from, Optional<Path> to, int points, Settings.Range range) {
        Config {
            Check.between("interpolate.points", 2, 1_000_001, points);
        }
    }

    private final Config config;

    InterpolateProbe(Config config) {
        this.config = config;
    }

    @Override
    public java.util.Optional<SurfaceSize> size() {
        return java.util.Optional.of(new SurfaceSize("interpolate.points", config.points()));
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        float[] from = config.from().map(p -> VectorFiles.read(p, objective.layout(), "interpolate.from")).orElseGet(() -> {
            if (input.checkpoints().isEmpty()) {
                throw new LossSurfaceException("interpolate starts from the initial parameters, but this model has no "
                        + "training checkpoints. Set interpolate.from=FILE.npy (e.g. another run's theta.npy).");
            }
            return input.checkpoints().get(0);
        });
        float[] to = config.to().map(p -> VectorFiles.read(p, objective.layout(), "interpolate.to")).orElseGet(input::centre);
        float[] d = new float[from.length];
        double distance = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = to[i] - from[i];
            distance += (double) d[i] * d[i];
        }
        if (distance == 0) {
            throw new LossSurfaceException("interpolate: the two end points are the same vector; there is no line to draw.");
        }
        double[] ts = config.range().linspace(config.points());
        Map<String, Object> info = new LinkedHashMap<>();

        info.put("method", "interpolate");
        info.put("from", config.from().map(Path::toString).orElse("initial parameters (checkpoint 0)"));
        info.put("to", config.to().map(Path::toString).orElse("theta* (trained parameters)"));
        info.put("distance", Math.sqrt(distance));
        info.put("points", config.points());
        info.put("range", config.range().toString());
        return new SurfacePlan(from, List.of(new Axis("t", "t: 0 = " + (config.from().isPresent() ? "from" : "initial") + ", 1 = "
                        + (config.to().isPresent() ? "to" : "trained"), ts)),
                List.of(new Direction("direction-1", d)), List.of(), info);
    }
}
