package losssurface.api.curvature;

/**
 * A symmetric linear operator: the Hessian of a loss at a point, applied to vectors. The
 * curvature algorithms ({@link Lanczos}, {@link Hutchinson}) see nothing else of the model.
 */
public interface HessianOperator {

    /** The number of parameters: the length of the vectors {@link #apply} takes and returns. */
    int dimension();

    /**
     * {@code out = H v}.
     *
     * @param v   a vector of {@link #dimension()} values; not modified
     * @param out receives the product; the same length
     */
    void apply(double[] v, double[] out);

    /** How the products are made, for provenance (e.g. "exact (R-operator through the dense engine's backpropagation)"). */
    String method();

    /** The operator of a symmetric matrix given row by row, e.g. for tests and analytic quadratics. */
    static HessianOperator of(double[][] matrix) {
        int n = matrix.length;
        for (double[] row : matrix) {
            if (row.length != n) {
                throw new IllegalArgumentException("the matrix is not square: " + n + " rows, a row of " + row.length);
            }
        }
        return new HessianOperator() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public void apply(double[] v, double[] out) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += matrix[i][j] * v[j];
                    }
                    out[i] = s;
                }
            }

            @Override
            public String method() {
                return "exact (a given matrix)";
            }
        };
    }
}
