package losssurface.viz;

import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.Settings;

/** Provides {@code png}: 3D surface and contour pictures per metric, 1D line plots, training curves. */
public final class PngRendererProvider implements RendererProvider {
    @Override
    public String name() {
        return "png";
    }

    @Override
    public String description() {
        return "PNG pictures: 3D surface and labelled contour map per metric (or the 1D line), training curves";
    }

    @Override
    public Renderer create(Settings settings) {
        Pictures pictures = new Pictures(PngOptions.read(settings));
        return (run, dir) -> {
            System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
            return pictures.write(run, dir);
        };
    }
}
