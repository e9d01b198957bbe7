package losssurface.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Turns a finished run into files in its folder (pictures, pages, data). */
public interface Renderer {

    /**
     * Writes this renderer's files for {@code run} into {@code runDir} (which exists).
     *
     * @return the files written, for the report
     */
    List<Path> render(RunResult run, Path runDir) throws IOException;

    /**
     * Draws the runs of {@code comparison} side by side into {@code dir} (which exists), with one
     * colour scale and one view for all, stating how their measurements differ. Renderers that
     * draw no comparison write nothing.
     *
     * @return the files written
     */
    default List<Path> compare(Comparison comparison, Path dir) throws IOException {
        return List.of();
    }

    /**
     * Draws how two solutions are connected ({@code connect}: the loss along the straight line and the
     * trained curve between them) into {@code dir} (which exists). Renderers that draw no connection
     * write nothing.
     *
     * @return the files written
     */
    default List<Path> connect(Connection.Result connection, Path dir) throws IOException {
        return List.of();
    }
}
