package losssurface.plugin.probes;

import losssurface.api.Check;
import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;
import losssurface.api.Curvature;

/** Provides {@code convexity}: the convexity map |lambda_min / lambda_max| over the random plane (Li et al. 2018). */
public final class ConvexityProvider implements ProbeProvider {
    @Override
    public String name() {
        return ConvexityProbe.PREFIX;
    }

    @Override
    public String description() {
        return "The loss and |lambda_min / lambda_max| of the Hessian (Lanczos at each point) over a coarse random plane (Li et al. 2018)";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new ConvexityProbe(new ConvexityProbe.Config(
                GridSpec.read(settings, "convexity.grid", 11),
                settings.range("convexity.x-range", new Settings.Range(-1, 1)),
                settings.range("convexity.y-range", new Settings.Range(-1, 1)),
                DirectionSettings.read(settings, ConvexityProbe.PREFIX),
                Check.between("convexity.iterations", 2, 10_000, settings.integer("convexity.iterations", 20)),
                Curvature.Products.valueOf(settings.choice("convexity.products", "auto", java.util.Set.of("differences", "exact", "auto"))
                        .toUpperCase(java.util.Locale.ROOT)),
                Check.between("convexity.step", 1e-9, 10.0, settings.decimal("convexity.step", 1e-2))));
    }
}
