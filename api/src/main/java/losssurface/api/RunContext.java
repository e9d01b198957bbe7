package losssurface.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a plugin gets from the runner while it works.
 *
 * @param seed     the run's seed; plugins derive their own seeds from it explicitly
 * @param progress where to report progress
 * @param cacheDir a folder for downloads and other reusable files (may not exist yet)
 */
public record RunContext(long seed, Progress progress, Path cacheDir) {
    public RunContext {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** A context for tests and embedded use: silent, caching under the system temp folder. */
    public static RunContext quiet(long seed) {
        return new RunContext(seed, Progress.silent(), Path.of(System.getProperty("java.io.tmpdir"), "losssurface-cache"));
    }
}
