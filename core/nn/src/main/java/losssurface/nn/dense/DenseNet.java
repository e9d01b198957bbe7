package losssurface.nn.dense;

import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;

/**
 * The shape of a multilayer perceptron, read once from its parameter layout: layer sizes, where
 * each layer's weights ({@code [nIn, nOut]}, column-major, so neuron j's incoming weights are one
 * contiguous column) and biases sit in the flat parameter vector, and each hidden layer's
 * {@link Activation}. The one place the dense-network engine learns a network's architecture: the
 * surface evaluator ({@link FastMlpEvaluator}), greedy actions for rollouts ({@link #greedy}) and
 * training ({@link DenseTrainer}) all start from it. Immutable and shareable between threads.
 */
public final class DenseNet {

    private final int[] sizes;             // input, then the outputs of each layer
    private final int[] wOffsets;
    private final int[] bOffsets;
    private final Activation[] hidden;     // one per layer but the last
    private final String output;           // the output layer's activation, as named in the layout
    private final int parameters;

    private DenseNet(int[] sizes, int[] wOffsets, int[] bOffsets, Activation[] hidden, String output, int parameters) {
        this.sizes = sizes;
        this.wOffsets = wOffsets;
        this.bOffsets = bOffsets;
        this.hidden = hidden;
        this.output = output;
        this.parameters = parameters;
    }

    /**
     * The network of {@code layout}: per layer a 2-D column-major weight block then its bias,
     * each layer's input the previous layer's output, hidden activations the engine computes.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static DenseNet of(ParameterLayout layout) {
        List<ParameterBlock> blocks = layout.blocks();
        if (blocks.size() % 2 != 0) {
            throw new IllegalArgumentException("the layout has " + blocks.size() + " blocks, not a weight and a bias per layer");
        }
        int layers = blocks.size() / 2;
        int[] sizes = new int[layers + 1];
        int[] w = new int[layers];
        int[] b = new int[layers];
        Activation[] hidden = new Activation[layers - 1];
        for (int l = 0; l < layers; l++) {
            ParameterBlock wb = blocks.get(2 * l);
            ParameterBlock bb = blocks.get(2 * l + 1);
            if (wb.kind() != ParameterBlock.Kind.WEIGHT || wb.shape().length != 2 || wb.order() != 'f') {
                throw new IllegalArgumentException("block " + wb.name() + " is not a column-major [nIn, nOut] weight matrix");
            }
            if (bb.kind() != ParameterBlock.Kind.BIAS || bb.length() != wb.shape()[1]) {
                throw new IllegalArgumentException("layer " + l + " has no bias of " + wb.shape()[1] + " entries after its weights");
            }
            if (l > 0 && wb.shape()[0] != sizes[l]) {
                throw new IllegalArgumentException("layer " + l + " takes " + wb.shape()[0] + " inputs, layer " + (l - 1)
                        + " gives " + sizes[l]);
            }
            if (l < layers - 1) {
                hidden[l] = Activation.named(wb.activation()).orElseThrow(() -> new IllegalArgumentException("layer "
                        + wb.layer() + " has activation " + wb.activation() + " (the fast path handles " + Activation.supported() + ")"));
            }
            sizes[l] = wb.shape()[0];
            sizes[l + 1] = wb.shape()[1];
            w[l] = wb.offset();
            b[l] = bb.offset();
        }
        return new DenseNet(sizes, w, b, hidden, blocks.get(blocks.size() - 2).activation(), layout.size());
    }

    /**
     * The network {@code net}: dense layers and a dense output layer, no input preprocessors.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static DenseNet of(MultiLayerNetwork net) {
        if (net.getLayerWiseConfigurations().getInputPreProcessors() != null
                && !net.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            throw new IllegalArgumentException("the network has input preprocessors");
        }
        int n = net.getnLayers();
        for (int i = 0; i < n; i++) {
            Object conf = net.getLayer(i).conf().getLayer();
            boolean last = i == n - 1;
            if (!(last ? conf instanceof OutputLayer : conf instanceof DenseLayer)) {
                throw new IllegalArgumentException("layer " + i + " is a " + conf.getClass().getSimpleName()
                        + " (the fast path handles dense layers and a dense output layer)");
            }
            if (net.getLayer(i).getParam("b") == null) {
                throw new IllegalArgumentException("layer " + i + " has no bias");
            }
        }
        return of(Layouts.of(net));
    }

    /** Why the engine cannot run {@code net}, or empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        try {
            of(net);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why the engine cannot run the network of {@code layout}, or empty when it can. */
    public static Optional<String> unsupported(ParameterLayout layout) {
        try {
            of(layout);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Number of layers with parameters (hidden layers and the output layer). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Inputs of layer {@code l}. */
    public int in(int l) {
        return sizes[l];
    }

    /** Outputs (units) of layer {@code l}. */
    public int out(int l) {
        return sizes[l + 1];
    }

    /** Inputs of the network. */
    public int inputs() {
        return sizes[0];
    }

    /** Outputs of the network. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Where layer {@code l}'s weights start in the flat vector. */
    public int weightOffset(int l) {
        return wOffsets[l];
    }

    /** Where layer {@code l}'s biases start in the flat vector. */
    public int biasOffset(int l) {
        return bOffsets[l];
    }

    /** The activation of hidden layer {@code l} (every layer but the last). */
    public Activation activation(int l) {
        return hidden[l];
    }

    /** The output layer's activation, as the layout names it (losses work on its pre-activations). */
    public String outputActivation() {
        return output;
    }

    /** Length of the flat parameter vector. */
    public int parameters() {
        return parameters;
    }

    /** The widest layer (inputs included). */
    public int widest() {
        int widest = 0;
        for (int s : sizes) {
            widest = Math.max(widest, s);
        }
        return widest;
    }

    /** Scratch buffers for {@link #greedy}, one set per thread. */
    public double[][] scratch() {
        int widest = widest();
        return new double[][] {new double[widest], new double[widest], new double[widest], new double[widest]};
    }

    /**
     * The index of the largest output for the observation at {@code input[from ..]} under
     * parameters {@code p} (the greedy action, the first one on ties), or -1 when the two largest
     * outputs are so close that a float forward pass (the library's) could order them differently.
     * The output layer is taken as linear (Q-values).
     *
     * <p>The outputs are computed in double, and alongside them a bound on how far a float pass
     * can be from them (the standard bound for a float dot product of n terms, {@code (n + 1) u
     * sum |w h|}, plus the earlier layers' bounds carried through {@code |W|}; see
     * {@link Activation#errorAfter}). The answer is -1 when the margin to the runner-up is within
     * twice the sum of their bounds.
     */
    public int greedy(float[] p, float[] input, int from, double[][] scratch) {
        double[] in = scratch[0];
        double[] out = scratch[1];
        double[] errIn = scratch[2];
        double[] errOut = scratch[3];
        for (int k = 0; k < sizes[0]; k++) {
            in[k] = input[from + k];
            errIn[k] = 0;
        }
        int layers = layers();
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            double gamma = (nIn + 1) * Activation.U * 1.01;
            boolean isHidden = l < layers - 1;
            for (int o = 0; o < sizes[l + 1]; o++) {
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
                if (!isHidden) {
                    out[o] = s;
                    errOut[o] = err;
                    continue;
                }
                out[o] = hidden[l].apply(s);
                errOut[o] = hidden[l].errorAfter(s, err);
            }
            double[] t = in;
            in = out;
            out = t;
            t = errIn;
            errIn = errOut;
            errOut = t;
        }
        int n = outputs();
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
}
