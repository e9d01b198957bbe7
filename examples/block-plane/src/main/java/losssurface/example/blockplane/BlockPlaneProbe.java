package losssurface.example.blockplane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import losssurface.api.Axis;
import losssurface.api.Check;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.ParameterBlock;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceProbe;
import losssurface.api.SurfaceSize;

/**
 * The loss over theta* + a d1 + b d2 where d1 and d2 are Gaussian within one parameter block and
 * zero elsewhere, each scaled to the norm of that block in theta*: how the loss depends on one
 * layer's weights with the rest held at theta*. The probe only chooses the directions; tiles,
 * shares, resume, progress and {@code surface.max-points} come from the framework's surface job.
 */
final class BlockPlaneProbe implements SurfaceProbe {

    /**
     * @param block  {@code block-plane.block}: the parameter block's name in {@code layout.json}, or empty for the
     *               first weight block
     * @param points {@code block-plane.grid}: points per axis (N x N), default 21
     * @param range  {@code block-plane.range}: coordinates along both directions, default -1:1
     * @param seed   {@code block-plane.seed}: the directions' seed, default the run seed
     */
    record Config(Optional<String> block, int points, Settings.Range range, OptionalLong seed) {
        Config {
            Check.between("block-plane.grid", 2, 10_001, points);
        }

        static Config read(Settings settings) {
            String block = settings.string("block-plane.block", "");
            return new Config(block.isBlank() ? Optional.empty() : Optional.of(block.strip()),
                    settings.integer("block-plane.grid", 21), settings.range("block-plane.range", new Settings.Range(-1, 1)),
                    settings.optionalLong("block-plane.seed", "the run seed"));
        }
    }

    private final Config config;

    BlockPlaneProbe(Config config) {
        this.config = config;
    }

    @Override
    public Optional<SurfaceSize> size() {
        return Optional.of(new SurfaceSize("block-plane.grid", (long) config.points() * config.points()));
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        float[] theta = input.centre();
        List<ParameterBlock> blocks = input.objective().layout().blocks();
        ParameterBlock block = config.block()
                .map(name -> blocks.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(() ->
                        new LossSurfaceException("block-plane.block is '" + name + "', but the model has no such parameter block."
                                + " Its blocks: " + blocks.stream().map(ParameterBlock::name).toList() + ".")))
                .orElseGet(() -> blocks.stream().filter(b -> b.kind() == ParameterBlock.Kind.WEIGHT).findFirst().orElseThrow(() ->
                        new LossSurfaceException("block-plane needs a weight block, and this model has none. Name a block with"
                                + " block-plane.block=NAME.")));
        long seed = config.seed().orElse(input.context().seed());
        Random random = new Random(seed);
        float[] d1 = direction(theta, block, random);
        float[] d2 = direction(theta, block, random);
        double[] values = config.range().linspace(config.points());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", "block-plane");
        info.put("block", block.name());
        info.put("block-size", block.length());
        info.put("direction-seed", seed);
        info.put("grid", config.points() + "x" + config.points());
        info.put("range", config.range().toString());
        String label = String.format(Locale.ROOT, "direction %%d in block %s (seed %d)", block.name(), seed);
        return new SurfacePlan(theta, List.of(new Axis("alpha", String.format(Locale.ROOT, label, 1), values),
                new Axis("beta", String.format(Locale.ROOT, label, 2), values)),
                List.of(new Direction("direction-1", d1), new Direction("direction-2", d2)), List.of(), info);
    }

    /** A Gaussian direction within {@code block}, zero elsewhere, with the block's norm in theta*. */
    static float[] direction(float[] theta, ParameterBlock block, Random random) {
        float[] d = new float[theta.length];
        double norm = 0;
        double target = 0;
        for (int k = block.offset(); k < block.offset() + block.length(); k++) {
            d[k] = (float) random.nextGaussian();
            norm += (double) d[k] * d[k];
            target += (double) theta[k] * theta[k];
        }
        double scale = norm == 0 ? 0 : Math.sqrt(target / norm);
        for (int k = block.offset(); k < block.offset() + block.length(); k++) {
            d[k] = (float) (d[k] * scale);
        }
        return d;
    }
}
