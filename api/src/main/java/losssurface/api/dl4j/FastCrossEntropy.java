package losssurface.api.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean cross-entropy and accuracy from logits with ND4J's vectorised kernels, in double
 * precision: log-softmax, then {@code -sum(log p * Y) / n}; accuracy from the logits' arg-max.
 * Agrees with {@link NetworkObjective}'s loop to rounding.
 */
final class FastCrossEntropy implements FastMlpEvaluator.LossFunction {

    private final INDArray oneHot;
    private final INDArray labelIndex;
    private final int examples;

    FastCrossEntropy(INDArray oneHotLabels, int[] labels) {
        this.oneHot = oneHotLabels.castTo(DataType.DOUBLE).dup('f');
        this.labelIndex = Nd4j.createFromArray(toLong(labels));
        this.examples = labels.length;
    }

    @Override
    public double[] metrics(INDArray logits) {
        // double precision from here on, as the plain loop: the mean of 10,000 log-probabilities
        // summed in float32 drifts by about 1e-4 relative
        INDArray logp = logits.castTo(DataType.DOUBLE);
        Nd4j.exec(new LogSoftMax(logp, logp)); // along the last axis: the classes
        double correct = Nd4j.argMax(logits, 1).castTo(DataType.LONG).eq(labelIndex).castTo(DataType.FLOAT).sumNumber().doubleValue();
        double loss = -logp.muli(oneHot).sumNumber().doubleValue() / examples;
        return new double[] {loss, correct / examples};
    }

    private static long[] toLong(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
