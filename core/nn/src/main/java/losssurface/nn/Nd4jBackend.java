package losssurface.nn;

import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.ComputeBackend;

/**
 * ND4J: its BLAS library's thread count is fixed at one per worker. ND4J 1.0.0-M2.1 cannot resize
 * its own OpenMP pool while running ({@code Environment.setMaxThreads} does nothing); libnd4j sizes
 * it when the process starts, from {@code OMP_NUM_THREADS}.
 */
public final class Nd4jBackend implements ComputeBackend {

    /** The name users and provenance see. */
    public static final String NAME = "nd4j";

    @Override
    public void fixThreads(int perWorker) {
        if (Nd4j.factory().blas().getMaxThreads() != perWorker) {
            Nd4j.factory().blas().setMaxThreads(perWorker);
        }
    }

    /** The BLAS library ND4J runs its matrix products on (OPENBLAS, MKL), and its thread count. */
    @Override
    public String describe() {
        try {
            var blas = Nd4j.factory().blas();
            String vendor = String.valueOf(blas.getBlasVendor());
            // JavaCPP falls back to OpenBLAS without a word when the MKL library is not there
            boolean mklAsked = "mkl_rt".equals(System.getProperty("org.bytedeco.openblas.load"));
            return vendor + " (" + blas.getMaxThreads() + " threads)" + (mklAsked && !vendor.equals("MKL")
                    ? "; MKL was asked for but did not load (is the mkl redist jar on the class path?), so OpenBLAS runs" : "");
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
