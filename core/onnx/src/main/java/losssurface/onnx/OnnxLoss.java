package losssurface.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import losssurface.api.LossSurfaceException;

/** The loss an ONNX model's output is scored with ({@code probe --loss}). */
public enum OnnxLoss {
    /** Cross-entropy for whole-number labels of shape [examples] and an output of 2 or more columns; MSE otherwise. */
    AUTO,
    /** Cross-entropy; whether the output is logits or probabilities is detected (see {@link OnnxObjective}). */
    CROSS_ENTROPY,
    /** Cross-entropy of logits (or log-probabilities): the mean of {@code logsumexp(z) - z[label]}. */
    CROSS_ENTROPY_LOGITS,
    /** Cross-entropy of probabilities: the mean of {@code -ln p[label]}, p clipped to [{@value losssurface.data.Losses#PROBABILITY_CLIP}, 1] as Keras does. */
    CROSS_ENTROPY_PROBABILITIES,
    /** Mean squared error over every output of every example. */
    MSE;

    /** The option's spelling, e.g. {@code cross-entropy-logits}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a {@code --loss} value. */
    public static OnnxLoss parse(String text) {
        for (OnnxLoss l : values()) {
            if (l.key().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new LossSurfaceException("--loss " + text + " is not a loss. Choose one of: "
                + Arrays.stream(values()).map(OnnxLoss::key).collect(Collectors.joining(", ")) + ".");
    }
}
