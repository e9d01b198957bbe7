package losssurface.nn;

import losssurface.api.ComputeBackend;
import losssurface.api.ComputeBackendProvider;
import losssurface.api.Settings;

/** Provides {@value Nd4jBackend#NAME}: ND4J and the BLAS library under it. */
public final class Nd4jBackendProvider implements ComputeBackendProvider {
    @Override
    public String name() {
        return Nd4jBackend.NAME;
    }

    @Override
    public String description() {
        return "ND4J (DL4J's arrays) and its BLAS library (OpenBLAS, or MKL with LOSSSURFACE_BLAS=mkl)";
    }

    @Override
    public ComputeBackend create(Settings settings) {
        return new Nd4jBackend();
    }
}
