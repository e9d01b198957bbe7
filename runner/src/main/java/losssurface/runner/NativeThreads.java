package losssurface.runner;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixes ND4J's native thread counts (its own OpenMP operations and the BLAS library) at one per
 * calling thread, once, before any plugin runs, and never changes them while running. The run's
 * {@code threads} setting is then the number of cores it uses: the surface job runs that many
 * workers side by side, each on one core, so a grid point's numbers never depend on how many
 * threads a matrix product was split over, on the tiling, on the share, or on what else runs in
 * the JVM (two shares in one JVM give the bytes of one at a time).
 */
final class NativeThreads {

    /** Native threads per calling thread. */
    static final int PER_WORKER = 1;

    private NativeThreads() {
    }

    /** Sets both counts to {@value #PER_WORKER}; idempotent, so every entry point may call it. */
    static void fix() {
        if (Nd4j.getEnvironment().maxThreads() != PER_WORKER) {
            Nd4j.getEnvironment().setMaxThreads(PER_WORKER);
        }
        if (Nd4j.factory().blas().getMaxThreads() != PER_WORKER) {
            Nd4j.factory().blas().setMaxThreads(PER_WORKER);
        }
    }
}
