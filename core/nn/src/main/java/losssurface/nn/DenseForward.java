package losssurface.nn;

import java.util.List;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;

/**
 * A small dense network evaluated in plain Java straight from a flat parameter vector and its
 * layout (weights {@code [nIn, nOut]} column-major, then biases, per layer), for the many
 * single-observation forward passes of RL rollouts, where a library call per step costs far more
 * than the arithmetic. Hidden activations: relu, tanh, sigmoid, identity; the last layer is
 * linear (Q-values), which is all a greedy policy needs.
 */
public final class DenseForward {

    private final int[] ins;
    private final int[] outs;
    private final int[] wOffsets;
    private final int[] bOffsets;
    private final String[] activations;

    private DenseForward(int[] ins, int[] outs, int[] wOffsets, int[] bOffsets, String[] activations) {
        this.ins = ins;
        this.outs = outs;
        this.wOffsets = wOffsets;
        this.bOffsets = bOffsets;
        this.activations = activations;
    }

    /** The network of {@code layout}, or null when it is not a plain dense network with supported activations. */
    public static DenseForward of(ParameterLayout layout) {
        List<ParameterBlock> blocks = layout.blocks();
        if (blocks.size() % 2 != 0) {
            return null;
        }
        int layers = blocks.size() / 2;
        int[] ins = new int[layers];
        int[] outs = new int[layers];
        int[] w = new int[layers];
        int[] b = new int[layers];
        String[] act = new String[layers];
        List<String> supported = List.of("relu", "tanh", "sigmoid", "identity");
        for (int l = 0; l < layers; l++) {
            ParameterBlock wb = blocks.get(2 * l);
            ParameterBlock bb = blocks.get(2 * l + 1);
            boolean ok = wb.kind() == ParameterBlock.Kind.WEIGHT && wb.shape().length == 2 && wb.order() == 'f'
                    && bb.kind() == ParameterBlock.Kind.BIAS && bb.length() == wb.shape()[1]
                    && (l == 0 || wb.shape()[0] == outs[l - 1])
                    && (l == layers - 1 || supported.contains(wb.activation()));
            if (!ok) {
                return null;
            }
            ins[l] = wb.shape()[0];
            outs[l] = wb.shape()[1];
            w[l] = wb.offset();
            b[l] = bb.offset();
            act[l] = wb.activation();
        }
        return new DenseForward(ins, outs, w, b, act);
    }

    /** Scratch buffers for {@link #greedy}, one set per thread. */
    public double[][] scratch() {
        int widest = 0;
        for (int i = 0; i < ins.length; i++) {
            widest = Math.max(widest, Math.max(ins[i], outs[i]));
        }
        return new double[][] {new double[widest], new double[widest], new double[widest], new double[widest]};
    }

    /** Unit roundoff of float arithmetic. */
    private static final double U = 0x1p-24;

    /**
     * The index of the largest output for the observation at {@code input[from ..]} under
     * parameters {@code p} (the greedy action, the first one on ties), or -1 when the two largest
     * outputs are so close that a float forward pass (the library's) could order them differently.
     *
     * <p>The outputs are computed in double, and alongside them a bound on how far a float pass
     * can be from them (the standard bound for a float dot product of n terms, {@code (n + 1) u
     * sum |w h|}, plus the earlier layers' bounds carried through {@code |W|}; a relu unit whose
     * pre-activation is below zero by more than its bound is exactly zero in both and carries no
     * error on). The answer is -1 when the margin to the runner-up is within twice the sum of
     * their bounds.
     */
    public int greedy(float[] p, float[] input, int from, double[][] scratch) {
        double[] in = scratch[0];
        double[] out = scratch[1];
        double[] errIn = scratch[2];
        double[] errOut = scratch[3];
        for (int k = 0; k < ins[0]; k++) {
            in[k] = input[from + k];
            errIn[k] = 0;
        }
        for (int l = 0; l < ins.length; l++) {
            int nIn = ins[l];
            double gamma = (nIn + 1) * U * 1.01;
            boolean hidden = l < ins.length - 1;
            String activation = activations[l];
            for (int o = 0; o < outs[l]; o++) {
                double bias = p[bOffsets[l] + o];
                double s = bias;
                double magnitude = Math.abs(bias);
                double carried = 0;
                int col = wOffsets[l] + o * nIn;
                for (int k = 0; k < nIn; k++) {
                    double w = p[col + k];
                    double term = in[k] * w;
                    s += term;
                    magnitude += Math.abs(term);
                    carried += Math.abs(w) * errIn[k];
                }
                double err = gamma * magnitude + carried;
                if (!hidden) {
                    out[o] = s;
                    errOut[o] = err;
                    continue;
                }
                out[o] = activate(activation, s);
                errOut[o] = switch (activation) {
                    case "relu" -> s + err < 0 ? 0 : err;
                    case "tanh" -> err + 4 * U;
                    case "sigmoid" -> err / 4 + 4 * U;
                    default -> err;
                };
            }
            double[] t = in;
            in = out;
            out = t;
            t = errIn;
            errIn = errOut;
            errOut = t;
        }
        int n = outs[outs.length - 1];
        int best = 0;
        for (int o = 1; o < n; o++) {
            if (in[o] > in[best]) {
                best = o;
            }
        }
        for (int o = 0; o < n; o++) {
            if (o != best && !(in[best] - in[o] > 2 * (errIn[best] + errIn[o]))) {
                return -1;
            }
        }
        return best;
    }

    private static double activate(String name, double x) {
        return switch (name) {
            case "relu" -> Math.max(0, x);
            case "tanh" -> Math.tanh(x);
            case "sigmoid" -> 1 / (1 + Math.exp(-x));
            default -> x;
        };
    }
}
