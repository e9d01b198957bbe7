package losssurface.runner;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixes the BLAS library's thread count at one per calling thread, once, before any plugin runs,
 * and never changes it while running. The run's {@code threads} setting is then the number of
 * cores its matrix products use: the surface job runs that many workers side by side, each on one
 * core, so a grid point's numbers never depend on how many threads a product was split over, on
 * the tiling, on the share, or on what else runs in the JVM (two shares in one JVM give the bytes
 * of one at a time).
 *
 * <p>ND4J's own OpenMP pool (its element-wise and reduction operations) is sized by libnd4j when
 * the process starts ({@code OMP_NUM_THREADS}, default one per core) and cannot be changed later:
 * ND4J 1.0.0-M2.1's {@code Environment.setMaxThreads} does nothing. It is therefore never changed
 * either; set {@code OMP_NUM_THREADS=1} to confine those operations to one core per worker too.
 */
final class NativeThreads {

    /** Native threads per calling thread. */
    static final int PER_WORKER = 1;

    private NativeThreads() {
    }

    /** Sets the BLAS thread count to {@value #PER_WORKER}; idempotent, so every entry point may call it. */
    static void fix() {
        if (Nd4j.factory().blas().getMaxThreads() != PER_WORKER) {
            Nd4j.factory().blas().setMaxThreads(PER_WORKER);
        }
    }
}
