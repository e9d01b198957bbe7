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
        return "Loss on the plane of the Hessian's top-2 eigenvectors at theta* (power iteration on Hessian-vector products)";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new HessianProbe(new HessianProbe.Config(
                GridSpec.read(settings, "hessian.grid"),
                settings.range("hessian.x-range", new Settings.Range(-1, 1)),
                settings.range("hessian.y-range", new Settings.Range(-1, 1)),
                Check.between("hessian.iterations", 1, 10_000, settings.integer("hessian.iterations", 30)),
                Check.between("hessian.tolerance", 0.0, 1.0, settings.decimal("hessian.tolerance", 1e-4)),
                Check.between("hessian.step", 1e-9, 10.0, settings.decimal("hessian.step", 1e-2)),
                settings.optionalLong("hessian.seed", "the run seed")));
    }
}
