package losssurface.plugin.probes;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.Curvature;
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
                Curvature.Config.read(settings, HessianProbe.PREFIX)));
    }
}
