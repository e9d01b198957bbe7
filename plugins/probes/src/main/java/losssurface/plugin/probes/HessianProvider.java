package losssurface.plugin.probes;

import losssurface.api.Check;
import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/** Provides {@code hessian}: the plane of the two sharpest directions at theta*. */
public final class HessianProvider implements ProbeProvider {
    @Override
    public String name() {
        return "hessian";
    }

    @Override
    public String description() {
        return "The Hessian's top eigenvalues (Lanczos) and trace (Hutchinson) at theta*, and the loss on the plane of its top-2 eigenvectors";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new HessianProbe(new HessianProbe.Config(
                GridSpec.read(settings, "hessian.grid"),
                settings.range("hessian.x-range", new Settings.Range(-1, 1)),
                settings.range("hessian.y-range", new Settings.Range(-1, 1)),
                Check.between("hessian.iterations", 2, 10_000, settings.integer("hessian.iterations", 30)),
                Check.between("hessian.k", 2, 1_000, settings.integer("hessian.k", 5)),
                Check.between("hessian.trace-samples", 0, 100_000, settings.integer("hessian.trace-samples", 100)),
                Check.between("hessian.trace-tolerance", 0.0, 1.0, settings.decimal("hessian.trace-tolerance", 0.02)),
                Check.between("hessian.step", 1e-9, 10.0, settings.decimal("hessian.step", 1e-2)),
                HessianProbe.Products.valueOf(settings.choice("hessian.products", "differences",
                        java.util.Set.of("differences", "exact", "auto")).toUpperCase(java.util.Locale.ROOT)),
                settings.optionalLong("hessian.seed", "the run seed")));
    }
}
