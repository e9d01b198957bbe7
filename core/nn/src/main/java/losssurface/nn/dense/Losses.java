package losssurface.nn.dense;

import java.util.stream.IntStream;

/**
 * Loss sums over a block of output rows, read from a flat float array with strides, accumulated
 * in double. Shared by the plain and the fast evaluator so both compute the loss the same way.
 */
public final class Losses {

    private Losses() {
    }

    /**
     * Cross-entropy from logits: {@code out[0] += sum over rows of logsumexp(z_r) - z_r[label]},
     * {@code out[1] += number of rows whose arg-max is the label}.
     *
     * @param z      logits; element (r, c) at {@code r * rs + c * cs}
     * @param labels class index per row
     */
    public static void crossEntropy(float[] z, int cols, int rs, int cs, int[] labels, int from, int to, double[] out) {
        double total = 0;
        int correct = 0;
        for (int r = from; r < to; r++) {
            int base = r * rs;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < cols; c++) {
                float v = z[base + c * cs];
                if (v > max) {
                    max = v;
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z[base + c * cs] - max);
            }
            total += max + Math.log(sum) - z[base + labels[r] * cs];
            if (arg == labels[r]) {
                correct++;
            }
        }
        out[0] += total;
        out[1] += correct;
    }

    /** {@code {mean cross-entropy, accuracy}} over all rows, the rows split between {@code threads} threads. */
    public static double[] crossEntropy(float[] z, int rows, int cols, int rs, int cs, int[] labels, int threads) {
        double[][] parts = new double[threads][2];
        IntStream.range(0, threads).parallel().forEach(t ->
                crossEntropy(z, cols, rs, cs, labels, rows * t / threads, rows * (t + 1) / threads, parts[t]));
        double total = 0;
        double correct = 0;
        for (double[] p : parts) {
            total += p[0];
            correct += p[1];
        }
        return new double[] {total / rows, correct / rows};
    }

    /** Mean of {@code (o - y)^2} over all elements; both arrays in the same order. */
    public static double meanSquaredError(float[] o, float[] y) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) o[i] - y[i];
            total += d * d;
        }
        return total / y.length;
    }
}
