package losssurface.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the packaged runner on the module path, as the launcher script does, for integration tests. */
final class Launcher {

    static final Path MODULES = Path.of(System.getProperty("losssurface.modules", "target/modules"));

    private Launcher() {
    }

    record Result(int status, String out, String err) {
    }

    /** A runner started in the background, its output going to files. */
    record Started(Process process, Path out, Path err) {
        Result finish() throws IOException, InterruptedException {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("runner did not finish in 10 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    /** Runs {@code losssurface args} in {@code cwd}; its output goes to files in {@code cwd}. */
    static Result java(Path cwd, String... args) throws IOException, InterruptedException {
        return start(cwd, args).finish();
    }

    /** Starts {@code losssurface args} in {@code cwd} and returns at once. */
    static Started start(Path cwd, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true", "-p", MODULES.toAbsolutePath().toString(),
                "-m", "losssurface.runner/losssurface.runner.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        return new Started(pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
    }
}
