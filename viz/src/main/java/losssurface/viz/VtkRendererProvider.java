package losssurface.viz;

import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.Settings;

/**
 * Provides {@code vtk}: every surface as a VTK XML structured grid ({@code surface.vts}) for ParaView and
 * other VTK readers, and a comparison as one multi-block file ({@code compare.vtm}).
 */
public final class VtkRendererProvider implements RendererProvider {
    @Override
    public String name() {
        return "vtk";
    }

    @Override
    public String description() {
        return "surface.vts for ParaView: the grid's coordinates as points, every metric as point data; compare.vtm for comparisons";
    }

    @Override
    public Renderer create(Settings settings) {
        return new VtkRenderer(VtkRenderer.Height.read(settings));
    }
}
