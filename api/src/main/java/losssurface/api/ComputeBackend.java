package losssurface.api;

/**
 * A numeric library that objectives and trainers compute with (e.g. ND4J on OpenBLAS). The runner
 * fixes its threads once, at start-up, before any plugin runs, and records what it is.
 */
public interface ComputeBackend {

    /**
     * Fixes the library's threads at {@code perWorker} for each calling thread, so that the surface
     * job's workers each use that many cores and a point's numbers never depend on what else runs.
     * Called once per process, before any plugin runs; never again while running.
     */
    void fixThreads(int perWorker);

    /** What computes and with how many threads, for provenance, e.g. {@code OPENBLAS (1 threads)}. */
    String describe();
}
