package losssurface.example.blockplane;

import losssurface.api.ProbeProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;

/**
 * Provides the {@code block-plane} probe. Registered with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services/losssurface.api.ProbeProvider}.
 */
public final class BlockPlaneProvider implements ProbeProvider {
    @Override
    public String name() {
        return "block-plane";
    }

    @Override
    public String description() {
        return "Loss over theta* + a d1 + b d2 with d1, d2 random within one parameter block (a layer's weights), scaled to its norm";
    }

    @Override
    public SurfaceProbe create(Settings settings) {
        return new BlockPlaneProbe(BlockPlaneProbe.Config.read(settings));
    }
}
