package losssurface.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import losssurface.api.LossSurfaceException;
import losssurface.api.TrainedModel;
import losssurface.runs.RunFolder;

/** Run folders on disk: a new folder per run, named for what it draws and when, renamed, kept or removed. */
final class RunFolders {

    private RunFolders() {
    }

    /** A new, absolute run folder in {@code folder}: renderers write beside it and every path reported is absolute. */
    static Path create(Path folder, String base) {
        Path out = folder.toAbsolutePath().normalize();
        String stamp = RunFolder.stamp();
        try {
            Files.createDirectories(out);
            Path dir = out.resolve(base + "_" + stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = out.resolve(base + "_" + stamp + "-" + i);
            }
            return Files.createDirectory(dir);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot create the run folder in " + out + " (" + e + "). "
                    + "Choose a writable folder with --out.", e);
        }
    }

    /** Renames the new run folder {@code dir} for {@code base} (a run that turned out to draw several objectives). */
    static Path rename(Path dir, String base) {
        String stamp = dir.getFileName().toString().substring(dir.getFileName().toString().lastIndexOf('_') + 1);
        Path renamed = dir.resolveSibling(base + "_" + stamp);
        try {
            return Files.exists(renamed) ? dir : Files.move(dir, renamed);
        } catch (IOException e) {
            return dir; // keep the name it has
        }
    }

    /**
     * Writes the trained model into the run folder at once, so that the run can resume without
     * training: its numbers, and a network as a DL4J zip ({@code trained/model.zip}).
     */
    static void keepTrained(TrainedModel model, Path runDir) {
        try {
            RunFolder.writeTrained(model, runDir);
            model.saveNative(runDir.resolve(RunFolder.TRAINED).resolve(RunFolder.TRAINED_NETWORK));
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot keep the trained model in " + runDir.resolve(RunFolder.TRAINED) + " ("
                    + e.getMessage() + "). Choose a writable folder with --out.", e);
        }
    }
}
