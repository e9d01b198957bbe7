package losssurface.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import losssurface.api.Renderer;
import losssurface.api.RunResult;
import losssurface.api.Connection;
import losssurface.runs.ConnectionFolder;
import losssurface.runs.RunFolder;

/** Writes a run's numbers (NumPy, JSON, provenance) so that anyone can reload and recompute them: see {@link RunFolder}. */
final class DataRenderer implements Renderer {

    @Override
    public List<Path> render(RunResult run, Path dir) throws IOException {
        return RunFolder.write(run, dir);
    }

    @Override
    public List<Path> connect(Connection.Result connection, Path dir) throws IOException {
        return ConnectionFolder.write(connection, dir);
    }
}
