package losssurface.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a plugin gets from the runner while it works.
 *
 * @param seed     the run's seed; plugins derive their own seeds from it explicitly
 * @param progress where to report progress
 * @param cacheDir a folder for downloads and other reusable files (may not exist yet)
 * @param threads  how many worker threads the run may use (the {@value #THREADS} setting; default:
 *                 one per core), recorded in the run's provenance
 */
public record RunContext(long seed, Progress progress, Path cacheDir, int threads) {

    /** The setting that limits a run's worker threads. */
    public static final String THREADS = "threads";

    public RunContext {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (threads < 1) {
            throw new SettingsException(THREADS + " must be > 0, was " + threads + ".");
        }
    }

    /** A context with one thread per core. */
    public RunContext(long seed, Progress progress, Path cacheDir) {
        this(seed, progress, cacheDir, cores());
    }

    /** A context for tests and embedded use: silent, caching under the system temp folder, one thread per core. */
    public static RunContext quiet(long seed) {
        return new RunContext(seed, Progress.silent(), Path.of(System.getProperty("java.io.tmpdir"), "losssurface-cache"));
    }

    /**
     * The download cache when none is given: {@code $LOSSSURFACE_CACHE}, else {@code ~/.cache/losssurface}.
     */
    public static Path defaultCache() {
        String env = System.getenv("LOSSSURFACE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "losssurface");
    }

    /** The processors this JVM may use: the default thread count. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
