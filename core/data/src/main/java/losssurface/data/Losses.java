package losssurface.data;

import java.util.stream.IntStream;

/**
 * The one definition of each loss: its value (sums over a block of output rows, read from a flat
 * float array with strides, accumulated in double) and, for training, its gradient. Training, the
 * plain and the fast evaluator and the ONNX objective all use these, so they compute every loss
 * the same way.
 *
 * <p>Cross-entropy of logits is computed as {@code logsumexp(z) - z[label]}, exact where the
 * probabilities underflow, so it needs no clip. Cross-entropy of probabilities (a model whose
 * output is already softmax) clips them to {@code [}{@value #PROBABILITY_CLIP}{@code , 1]}, as
 * Keras does: the one clip constant.
 */
public final class Losses {

    /** The smallest probability cross-entropy of probabilities takes the log of (Keras's epsilon). */
    public static final double PROBABILITY_CLIP = 1e-7;
    /** {@link #PROBABILITY_CLIP} as descriptions write it. */
    public static final String PROBABILITY_CLIP_TEXT = "1e-7";

    private Losses() {
    }

    /** {@code logsumexp} of row {@code z[base + c * cs]}, c below {@code cols}, with its largest entry subtracted first. */
    private static double logSumExp(float[] z, int base, int cols, int cs, double max) {
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            sum += Math.exp(z[base + c * cs] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Cross-entropy of one row of logits against a target distribution {@code y} (one-hot or soft):
     * {@code sum over c of y[c] (logsumexp(z) - z[c])}, row element c at {@code z[base + c * cs]}.
     */
    public static double crossEntropy(float[] z, int base, int cols, int cs, float[] y, int yBase) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, z[base + c * cs]);
        }
        double lse = logSumExp(z, base, cols, cs, max);
        double loss = 0;
        for (int c = 0; c < cols; c++) {
            float target = y[yBase + c];
            if (target != 0) {
                loss += target * (lse - z[base + c * cs]);
            }
        }
        return loss;
    }

    /**
     * The gradient of {@link #crossEntropy(float[], int, int, int, float[], int)} with respect to the
     * logits, {@code (softmax(z)[c] - y[c]) / rows} (the mean over a batch of {@code rows}), into
     * {@code gradient} at the logits' positions; in float, as the training step has always taken it.
     */
    public static void crossEntropyGradient(float[] z, int base, int cols, int cs, float[] y, int yBase, int rows, float[] gradient) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, z[base + c * cs]);
        }
        float sum = 0;
        for (int c = 0; c < cols; c++) {
            float e = (float) Math.exp(z[base + c * cs] - max);
            gradient[base + c * cs] = e;
            sum += e;
        }
        for (int c = 0; c < cols; c++) {
            float p = gradient[base + c * cs] / sum;
            gradient[base + c * cs] = (p - y[yBase + c]) / rows;
        }
    }

    /**
     * Squared error of one row against its targets, divided by the row's length (so that summed over
     * the rows and divided by their number it is the mean over every element), and into
     * {@code gradient} its derivative {@code 2 (z - y) / cols / rows}; in float, as the training step takes it.
     */
    public static double squaredErrorWithGradient(float[] z, int base, int cols, int cs, float[] y, int yBase, int rows,
                                                  float[] gradient) {
        double total = 0;
        for (int c = 0; c < cols; c++) {
            float e = z[base + c * cs] - y[yBase + c];
            total += (double) e * e / cols;
            gradient[base + c * cs] = 2 * e / cols / rows;
        }
        return total;
    }

    /** Cross-entropy of a probability: {@code -ln p}, p clipped to {@code [}{@value #PROBABILITY_CLIP}{@code , 1]}. */
    public static double crossEntropyOfProbability(double p) {
        return -Math.log(Math.min(1.0, Math.max(PROBABILITY_CLIP, p)));
    }

    /** Rows of logits {@link #crossEntropy(float[], int, int, int, int[], int, int, double[])} takes at a time. */
    private static final int CHUNK = 256;

    /**
     * Below this, {@code exp} of a logit minus its row's largest is taken as {@code exp(-80)}, about
     * 1.8e-35: it adds nothing to a sum that is at least 1 (the largest logit's own term).
     */
    private static final double EXP_FLOOR = -80;

    /**
     * Cross-entropy from logits: {@code out[0] += sum over rows of logsumexp(z_r) - z_r[label]},
     * {@code out[1] += number of rows whose arg-max (the first, on ties) is the label}.
     *
     * <p>The rows are taken {@value #CHUNK} at a time, their logits gathered into one array of
     * doubles per column, so that the exponentials run as one loop over each column that the JIT
     * turns into vector instructions (the loss over MNIST's 10,000 test images then takes a tenth
     * of the time of a call of {@code Math.exp} per logit). The exponential is {@link #expOfNonPositive}.
     *
     * @param z      logits; element (r, c) at {@code r * rs + c * cs}
     * @param labels class index per row
     */
    public static void crossEntropy(float[] z, int cols, int rs, int cs, int[] labels, int from, int to, double[] out) {
        double[][] v = new double[cols][CHUNK];
        double[] max = new double[CHUNK];
        double[] sum = new double[CHUNK];
        int[] arg = new int[CHUNK];
        double total = 0;
        int correct = 0;
        for (int r0 = from; r0 < to; r0 += CHUNK) {
            int n = Math.min(CHUNK, to - r0);
            java.util.Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(arg, 0, n, 0);
            for (int c = 0; c < cols; c++) { // gather, and the first arg-max of each row
                double[] vc = v[c];
                for (int k = 0, at = r0 * rs + c * cs; k < n; k++, at += rs) {
                    double value = z[at];
                    vc[k] = value;
                    if (value > max[k]) {
                        max[k] = value;
                        arg[k] = c;
                    }
                }
            }
            java.util.Arrays.fill(sum, 0, n, 0.0);
            for (int c = 0; c < cols; c++) {
                double[] vc = v[c];
                for (int k = 0; k < n; k++) { // vectorised: no call, doubles in and out
                    sum[k] += expOfNonPositive(vc[k] - max[k]);
                }
            }
            for (int k = 0; k < n; k++) {
                int label = labels[r0 + k];
                total += max[k] + Math.log(sum[k]) - v[label][k];
                if (arg[k] == label) {
                    correct++;
                }
            }
        }
        out[0] += total;
        out[1] += correct;
    }

    /**
     * {@code exp(x)} for {@code x <= 0}, to about 5e-14 relative where {@code exp(x)} is above 1e-17:
     * {@code (p(t))^256} with {@code t = max(x, }{@value #EXP_FLOOR}{@code ) / 256} and p the Taylor
     * polynomial of degree 10 (its remainder is below 4e-17 relative for {@code |t| <= 0.16}).
     * Arithmetic only, so a loop of it over an array of doubles runs in vector instructions; for
     * {@code x} below {@value #EXP_FLOOR} it returns about {@code exp(-80)}. NaN stays NaN.
     */
    static double expOfNonPositive(double x) {
        double t = Math.max(x, EXP_FLOOR) * (1.0 / 256);
        double p = 1 + t * (1 + t * (1.0 / 2 + t * (1.0 / 6 + t * (1.0 / 24 + t * (1.0 / 120 + t * (1.0 / 720
                + t * (1.0 / 5040 + t * (1.0 / 40320 + t * (1.0 / 362880 + t * (1.0 / 3628800))))))))));
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p * p;
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
