package losssurface.runner;

import losssurface.api.Settings;

/**
 * Fixes every installed compute backend's threads (ND4J's BLAS library: {@code losssurface.nn})
 * at one per calling thread, once, before any plugin runs; they are never changed while running.
 * The run's {@code threads} setting is then the number of cores its matrix products use: the
 * surface job runs that many workers side by side, each on one core, so a grid point's numbers
 * never depend on how many threads a product was split over, on the tiling, on the share, or on
 * what else runs in the JVM (two shares in one JVM give the bytes of one at a time).
 *
 * <p>ND4J's own OpenMP pool (its element-wise and reduction operations) is sized by libnd4j when
 * the process starts ({@code OMP_NUM_THREADS}, default one per core) and cannot be changed later
 * (ND4J 1.0.0-M2.1's {@code Environment.setMaxThreads} does nothing). Set {@code OMP_NUM_THREADS=1}
 * to confine those operations to one core per worker too.
 */
final class NativeThreads {

    /** Native threads per calling thread. */
    static final int PER_WORKER = 1;

    private NativeThreads() {
    }

    /** Fixes every backend of {@code plugins} at {@value #PER_WORKER} thread per worker; idempotent. */
    static void fix(Plugins plugins) {
        plugins.of(Kind.BACKEND).forEach(b -> b.provider().create(Settings.empty()).fixThreads(PER_WORKER));
    }

    /** What each backend of {@code plugins} is, with its threads, for provenance; "none" without one. */
    static String describe(Plugins plugins) {
        java.util.List<String> all = plugins.of(Kind.BACKEND).stream()
                .map(b -> b.provider().create(Settings.empty()).describe()).toList();
        return all.isEmpty() ? "none installed" : String.join("; ", all);
    }
}
