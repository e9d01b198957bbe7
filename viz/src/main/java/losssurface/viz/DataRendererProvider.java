package losssurface.viz;

import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.Settings;

/** Provides {@code data}: the run's numbers as NumPy and JSON files. Always on. */
public final class DataRendererProvider implements RendererProvider {
    @Override
    public String name() {
        return "data";
    }

    @Override
    public String description() {
        return "The numbers: surface.json, provenance.json, layout.json and NumPy files (loss.npy, theta.npy, directions...)";
    }

    @Override
    public Role role() {
        return Role.NUMBERS;
    }

    @Override
    public Renderer create(Settings settings) {
        return new DataRenderer();
    }
}
