package losssurface.nn.dense;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The hidden-layer activations the dense-network engine computes itself, each in the three forms
 * the engine needs: on a double (greedy actions), on a block of floats (the surface evaluator,
 * a loop the JIT vectorises), and the forward-error bound a float pass carries through it.
 */
public enum Activation {
    RELU("relu"),
    IDENTITY("identity"),
    TANH("tanh"),
    SIGMOID("sigmoid");

    /** Unit roundoff of float arithmetic. */
    static final double U = 0x1p-24;

    private final String label;

    Activation(String label) {
        this.label = label;
    }

    /** The name as DL4J's layouts spell it (e.g. {@code relu}). */
    public String label() {
        return label;
    }

    /** The activation called {@code name} (any case), if the engine computes it. */
    public static Optional<Activation> named(String name) {
        String n = String.valueOf(name).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.label.equals(n)).findFirst();
    }

    /** The names the engine computes, for messages. */
    public static String supported() {
        return String.join(", ", Arrays.stream(values()).map(Activation::label).toList());
    }

    /** The activation of one pre-activation, in double. */
    public double apply(double x) {
        return switch (this) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case IDENTITY -> x;
        };
    }

    /** Applies the activation to the first {@code size} entries of {@code v}, in place, from index 0 (so the JIT vectorises it). */
    public void apply(float[] v, int size) {
        switch (this) {
            case RELU -> {
                for (int n = 0; n < size; n++) {
                    v[n] = Math.max(v[n], 0f);
                }
            }
            case TANH -> {
                for (int n = 0; n < size; n++) {
                    v[n] = (float) Math.tanh(v[n]);
                }
            }
            case SIGMOID -> {
                for (int n = 0; n < size; n++) {
                    v[n] = (float) (1 / (1 + Math.exp(-v[n])));
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /**
     * {@code g[k] *= f'(z_k)} for the first {@code size} entries, the derivative written through the
     * activation's output {@code out[k] = f(z_k)} (for relu: zero where the output is not positive).
     * Backpropagation in both training engines uses it.
     */
    public void derivativeAtOutput(float[] g, float[] out, int size) {
        switch (this) {
            case RELU -> {
                // without a branch (half of them would be mispredicted): a relu output is +0.0 or positive,
                // so its bits are 0 or positive, and -bits >> 31 is all ones exactly where it is positive
                for (int k = 0; k < size; k++) {
                    g[k] = Float.intBitsToFloat(Float.floatToRawIntBits(g[k]) & (-Float.floatToRawIntBits(out[k]) >> 31));
                }
            }
            case TANH -> {
                for (int k = 0; k < size; k++) {
                    g[k] *= 1 - out[k] * out[k];
                }
            }
            case SIGMOID -> {
                for (int k = 0; k < size; k++) {
                    g[k] *= out[k] * (1 - out[k]);
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /**
     * How far a float pass's activation can be from the double one, given the pre-activation
     * {@code s} (computed in double) and the bound {@code err} on the float pre-activation's error:
     * a relu unit below zero by more than its bound is exactly zero in both and carries no error on.
     */
    double errorAfter(double s, double err) {
        return switch (this) {
            case RELU -> s + err < 0 ? 0 : err;
            case TANH -> err + 4 * U;
            case SIGMOID -> err / 4 + 4 * U;
            case IDENTITY -> err;
        };
    }
}
