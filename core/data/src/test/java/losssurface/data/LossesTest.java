package losssurface.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** One definition of each loss and its gradient: the forms agree with each other and with finite differences. */
class LossesTest {

    @Test
    void crossEntropyOfOneHotTargetsIsTheLabelForm() {
        float[] z = {2.0f, -1.0f, 0.5f, 30f, -40f, 1f}; // two rows of three logits, row-major
        double[] sums = new double[2];
        Losses.crossEntropy(z, 3, 3, 1, new int[] {2, 0}, 0, 2, sums);
        float[] y = {0, 0, 1, 1, 0, 0};
        double soft = Losses.crossEntropy(z, 0, 3, 1, y, 0) + Losses.crossEntropy(z, 3, 3, 1, y, 3);
        assertThat(soft).isCloseTo(sums[0], within(1e-12));
        double lse = Math.log(Math.exp(2.0) + Math.exp(-1.0) + Math.exp(0.5));
        assertThat(Losses.crossEntropy(z, 0, 3, 1, y, 0)).isCloseTo(lse - 0.5, within(1e-12));
        // exact where the probability underflows: no clip
        assertThat(Losses.crossEntropy(z, 3, 3, 1, new float[] {0, 1, 0}, 0)).isCloseTo(70.0, within(1e-9));
    }

    @Test
    void theVectorisedExponentialIsMathExpWhereItCounts() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200_000; i++) {
            double x = -40 * random.nextDouble();
            assertThat(Losses.expOfNonPositive(x)).isCloseTo(Math.exp(x), within(Math.exp(x) * 1e-13));
        }
        assertThat(Losses.expOfNonPositive(0)).isEqualTo(1.0);
        assertThat(Losses.expOfNonPositive(-1000)).isBetween(0.0, 1e-34); // floored at exp(-80), no overflow of the powers
        assertThat(Losses.expOfNonPositive(Double.NaN)).isNaN();
    }

    @Test
    void crossEntropyInChunksIsTheDirectSumInEitherLayout() {
        int rows = 1000; // several chunks and a short last one
        int cols = 10;
        java.util.Random random = new java.util.Random(3);
        float[] rowMajor = new float[rows * cols];
        float[] columnMajor = new float[rows * cols];
        int[] labels = new int[rows];
        double expected = 0;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(cols);
            for (int c = 0; c < cols; c++) {
                float v = r % 7 == 0 && c < 2 ? 5f : (float) (random.nextGaussian() * (r % 3 == 0 ? 40 : 3));
                rowMajor[r * cols + c] = v;
                columnMajor[c * rows + r] = v;
            }
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < cols; c++) {
                if (rowMajor[r * cols + c] > max) {
                    max = rowMajor[r * cols + c];
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(rowMajor[r * cols + c] - max);
            }
            expected += max + Math.log(sum) - rowMajor[r * cols + labels[r]];
            correct += arg == labels[r] ? 1 : 0; // ties (rows r % 7 == 0 where 5 is the largest) go to the first
        }
        double[] a = new double[2];
        double[] b = new double[2];
        Losses.crossEntropy(rowMajor, cols, cols, 1, labels, 0, rows, a);
        Losses.crossEntropy(columnMajor, cols, 1, rows, labels, 0, rows, b);
        assertThat(a[0]).isCloseTo(expected, within(Math.abs(expected) * 1e-12));
        assertThat(b[0]).isEqualTo(a[0]);
        assertThat(a[1]).isEqualTo(correct);
        assertThat(b[1]).isEqualTo(correct);
    }

    @Test
    void theCrossEntropyGradientIsItsDerivative() {
        float[] z = {0.3f, -1.2f, 2.0f, 0.1f};
        float[] y = {0, 0.25f, 0.75f, 0};
        float[] g = new float[4];
        Losses.crossEntropyGradient(z, 0, 4, 1, y, 0, 2, g);
        for (int c = 0; c < 4; c++) {
            float[] plus = z.clone();
            float[] minus = z.clone();
            plus[c] += 1e-2f;
            minus[c] -= 1e-2f;
            double numeric = (Losses.crossEntropy(plus, 0, 4, 1, y, 0) - Losses.crossEntropy(minus, 0, 4, 1, y, 0))
                    / (plus[c] - (double) minus[c]) / 2; // the mean over a batch of 2 rows
            assertThat((double) g[c]).as("logit %d", c).isCloseTo(numeric, within(1e-4));
        }
    }

    @Test
    void theSquaredErrorGradientIsItsDerivative() {
        float[] z = {0.5f, -2f, 1f};
        float[] y = {1f, -1f, 1f};
        float[] g = new float[3];
        double v = Losses.squaredErrorWithGradient(z, 0, 3, 1, y, 0, 1, g);
        assertThat(v).isCloseTo((0.25 + 1 + 0) / 3, within(1e-12));
        assertThat(g).containsExactly(2 * -0.5f / 3, 2 * -1f / 3, 0f);
        assertThat(Losses.meanSquaredError(z, y)).isCloseTo(v, within(1e-12));
    }

    @Test
    void probabilitiesAreClippedByTheOneConstant() {
        assertThat(Double.parseDouble(Losses.PROBABILITY_CLIP_TEXT)).isEqualTo(Losses.PROBABILITY_CLIP);
        assertThat(Losses.crossEntropyOfProbability(0)).isEqualTo(-Math.log(Losses.PROBABILITY_CLIP));
        assertThat(Losses.crossEntropyOfProbability(1.5)).isEqualTo(0);
        assertThat(Losses.crossEntropyOfProbability(0.5)).isCloseTo(Math.log(2), within(1e-15));
    }
}
