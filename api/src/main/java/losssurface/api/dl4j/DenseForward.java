package losssurface.api.dl4j;

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
final class DenseForward {

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
    static DenseForward of(ParameterLayout layout) {
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

    /** Scratch buffers for {@link #argmax}, one pair per thread. */
    double[][] scratch() {
        int widest = 0;
        for (int i = 0; i < ins.length; i++) {
            widest = Math.max(widest, Math.max(ins[i], outs[i]));
        }
        return new double[][] {new double[widest], new double[widest]};
    }

    /** The index of the largest output for {@code input} under parameters {@code p} (the greedy action). */
    int argmax(float[] p, float[] input, double[][] scratch) {
        double[] in = scratch[0];
        double[] out = scratch[1];
        for (int k = 0; k < ins[0]; k++) {
            in[k] = input[k];
        }
        for (int l = 0; l < ins.length; l++) {
            int nIn = ins[l];
            for (int o = 0; o < outs[l]; o++) {
                double s = p[bOffsets[l] + o];
                int col = wOffsets[l] + o * nIn;
                for (int k = 0; k < nIn; k++) {
                    s += in[k] * p[col + k];
                }
                out[o] = l < ins.length - 1 ? activate(activations[l], s) : s;
            }
            double[] t = in;
            in = out;
            out = t;
        }
        int best = 0;
        for (int o = 1; o < outs[outs.length - 1]; o++) {
            if (in[o] > in[best]) {
                best = o;
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
