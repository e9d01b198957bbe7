package losssurface.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import losssurface.api.Comparison;
import losssurface.api.Connection;
import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.RunResult;
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
        PngOptions options = PngOptions.read(settings);
        Pictures pictures = new Pictures(options);
        return new Renderer() {
            @Override
            public List<Path> render(RunResult run, Path dir) throws IOException {
                return pictures.write(run, dir);
            }

            @Override
            public List<Path> compare(Comparison comparison, Path dir) throws IOException {
                return new ComparisonPictures(comparison, options).sheets(dir);
            }

            @Override
            public List<Path> connect(Connection.Result connection, Path dir) throws IOException {
                return List.of(new ConnectionPictures(options).draw(connection, dir));
            }
        };
    }
}
