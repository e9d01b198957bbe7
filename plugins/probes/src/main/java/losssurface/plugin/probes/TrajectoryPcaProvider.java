package losssurface.plugin.probes;

import losssurface.api.Check;
import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/** Provides {@code trajectory-pca}: the plane of the training path's two principal components (Li et al. section 7). */
public final class TrajectoryPcaProvider implements ProbeProvider {
    @Override
    public String name() {
        return "trajectory-pca";
    }

    @Override
    public String description() {
        return "Loss on the plane of the top-2 PCA directions of the training checkpoints, with the training path drawn on it";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new TrajectoryPcaProbe(new TrajectoryPcaProbe.Config(
                GridSpec.read(settings, "pca.grid"),
                settings.optionalRange("pca.x-range", "auto"),
                settings.optionalRange("pca.y-range", "auto"),
                Check.between("pca.margin", 0.0, 10.0, settings.decimal("pca.margin", 0.3))));
    }
}
