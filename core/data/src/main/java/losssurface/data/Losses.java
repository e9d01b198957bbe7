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
            total += logSumExp(z, base, cols, cs, max) - z[base + labels[r] * cs];
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
