package losssurface.viz;

import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.Settings;

/** Provides {@code html}: an interactive, offline page per run and an index of all runs. */
public final class HtmlRendererProvider implements RendererProvider {
    @Override
    public String name() {
        return "html";
    }

    @Override
    public String description() {
        return "Interactive offline page per run (rotatable 3D surface, contours, slices, provenance) and an index of runs";
    }

    @Override
    public Role role() {
        return Role.PAGES; // the index links the pictures the other renderers drew
    }

    @Override
    public Renderer create(Settings settings) {
        return new HtmlRenderer(PngOptions.readLog(settings));
    }
}
