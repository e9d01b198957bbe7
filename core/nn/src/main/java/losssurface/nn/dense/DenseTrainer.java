package losssurface.nn.dense;

import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training on the dense-network engine: a network of {@link DenseNet}'s shape in plain Java, for
 * the per-step work of training a Q-network: forward passes, backpropagation of a loss at the
 * taken actions, and Adam. On these machines one DL4J call
 * costs 0.1-0.3 ms and one {@code fit} of a 64-row minibatch 1.2-3.5 ms, while the whole step
 * here takes a few tens of microseconds; the DL4J network stays the model (its configuration,
 * initialisation, parameter layout and the objectives), and {@link #copyInto} writes the
 * trained parameters back into it.
 *
 * <p>The parameters are kept exactly as DL4J's flat vector: per layer W ({@code [nIn, nOut]},
 * column-major) then b. Hidden layers are ReLU, the output layer identity. Not thread-safe.
 *
 * <p>Working copies are kept as one Java array per matrix row or column (activations per example,
 * weights per input and per neuron, gradients per neuron), so every inner loop runs over a whole
 * array from index 0: the form the JIT turns into vector instructions. The loops keep the order
 * of a plain row-major implementation, so every sum is added up in the same order.
 */
public final class DenseTrainer {

    private final DenseNet shape;
    private final int[] sizes; // input, hidden..., output
    private final int layers;
    private final int[] wOffset;
    private final int[] bOffset;
    private final float[] params;
    private final float[][][] wRows; // per layer, per input i: the weights from i to every neuron ([nOut])
    private final float[][][] wCols; // per layer, per neuron j: the weights into j ([nIn]), as in params
    private final int maxBatch;
    private final float[][][] acts; // acts[0] input rows, acts[l + 1][r] output of layer l for row r (post-activation)
    private final float[][][] deltas; // deltas[l][r]: gradient w.r.t. the pre-activations of layer l for row r
    private final float[][][] gradW; // per layer, per neuron j: the gradient of the weights into j
    private final float[][] gradB;
    private final float[] output; // the last forward pass's outputs, rows one after the other
    private final float[] grad;
    private final Adam adam;

    /**
     * Reads the architecture and parameters of {@code net}: dense ReLU layers and an identity
     * output layer.
     *
     * @throws IllegalArgumentException for any other architecture
     */
    public DenseTrainer(MultiLayerNetwork net, double learningRate, int maxBatch) {
        this(trainable(DenseNet.of(net)), net.params().toFloatVector(), learningRate, maxBatch);
    }

    /** A network of the same architecture and parameters with its own buffers (e.g. a target network). */
    public DenseTrainer twin() {
        return new DenseTrainer(shape, params.clone(), adam.learningRate(), maxBatch);
    }

    private DenseTrainer(DenseNet shape, float[] params, double learningRate, int maxBatch) {
        this.shape = shape;
        this.layers = shape.layers();
        this.sizes = new int[layers + 1];
        this.wOffset = new int[layers];
        this.bOffset = new int[layers];
        for (int l = 0; l < layers; l++) {
            sizes[l] = shape.in(l);
            sizes[l + 1] = shape.out(l);
            wOffset[l] = shape.weightOffset(l);
            bOffset[l] = shape.biasOffset(l);
        }
        int expected = bOffset[layers - 1] + sizes[layers];
        if (params.length != expected) {
            throw new IllegalArgumentException("the network has " + params.length + " parameters, its layers " + expected);
        }
        this.params = params;
        this.maxBatch = maxBatch;
        this.wRows = new float[layers][][];
        this.wCols = new float[layers][][];
        this.acts = new float[layers + 1][][];
        this.deltas = new float[layers][][];
        this.gradW = new float[layers][][];
        this.gradB = new float[layers][];
        allocate();
        refresh();
        this.output = new float[maxBatch * sizes[layers]];
        this.grad = new float[params.length];
        this.adam = new Adam(learningRate, params.length);
    }

    /** The shapes this trainer computes: ReLU hidden layers and an identity (linear) output layer. */
    private static DenseNet trainable(DenseNet shape) {
        for (int l = 0; l < shape.layers() - 1; l++) {
            if (shape.activation(l) != Activation.RELU) {
                throw new IllegalArgumentException("layer " + l + " has activation " + shape.activation(l).label()
                        + "; expected ReLU hidden layers and an identity output");
            }
        }
        if (!shape.outputActivation().equalsIgnoreCase("identity")) {
            throw new IllegalArgumentException("the output layer has activation " + shape.outputActivation()
                    + "; expected ReLU hidden layers and an identity output");
        }
        return shape;
    }

    /** The network's shape. */
    public DenseNet shape() {
        return shape;
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[layers];
    }

    /** A copy of the parameters in DL4J's flat order. */
    public float[] parameters() {
        return params.clone();
    }

    /** Sets the parameters (DL4J's flat order), e.g. to synchronise a target network. */
    public void setParameters(float[] p) {
        if (p.length != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " parameters, got " + p.length);
        }
        System.arraycopy(p, 0, params, 0, p.length);
        refresh();
    }

    /** Copies these parameters into {@code other} (same architecture). */
    public void copyTo(DenseTrainer other) {
        other.setParameters(params);
    }

    /** Writes the parameters into {@code net}'s flat parameter vector. */
    public void copyInto(MultiLayerNetwork net) {
        net.params().assign(Nd4j.createFromArray(params));
    }

    /**
     * Q values of {@code rows} inputs ({@code x} row-major, {@code rows * inputs()} values).
     *
     * @return a view of the output buffer, row-major, valid until the next call
     */
    public float[] forward(float[] x, int rows) {
        if (rows > maxBatch) {
            throw new IllegalArgumentException("batch of " + rows + " rows, at most " + maxBatch);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * sizes[0], acts[0][r], 0, sizes[0]);
        }
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[][] w = wRows[l];
            int b = bOffset[l];
            boolean relu = l < layers - 1;
            for (int r = 0; r < rows; r++) {
                float[] in = acts[l][r];
                float[] out = acts[l + 1][r];
                System.arraycopy(params, b, out, 0, nOut);
                for (int i = 0; i < nIn; i++) {
                    float a = in[i];
                    if (a == 0) {
                        continue;
                    }
                    float[] wi = w[i];
                    for (int j = 0; j < nOut; j++) {
                        out[j] += a * wi[j];
                    }
                }
                if (relu) {
                    Activation.RELU.apply(out, nOut);
                }
            }
        }
        int nOut = sizes[layers];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(acts[layers][r], 0, output, r * nOut, nOut);
        }
        return output;
    }

    /**
     * The gradient of a loss that depends only on the outputs at the taken actions, given
     * {@code dOut[r]} = dLoss/dQ(x_r, actions[r]), after a {@link #forward} of the same rows.
     * Returns the gradient buffer (DL4J's flat order), valid until the next call.
     */
    public float[] backward(int rows, int[] actions, double[] dOut) {
        int nOutLast = sizes[layers];
        for (int r = 0; r < rows; r++) {
            float[] top = deltas[layers - 1][r];
            Arrays.fill(top, 0, nOutLast, 0);
            top[actions[r]] = (float) dOut[r];
        }
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[][] gw = gradW[l];
            float[] gb = gradB[l];
            for (int j = 0; j < nOut; j++) {
                Arrays.fill(gw[j], 0);
            }
            Arrays.fill(gb, 0);
            for (int r = 0; r < rows; r++) {
                float[] in = acts[l][r];
                float[] delta = deltas[l][r];
                for (int j = 0; j < nOut; j++) {
                    float dj = delta[j];
                    if (dj == 0) {
                        continue;
                    }
                    gb[j] += dj;
                    float[] g = gw[j];
                    for (int i = 0; i < nIn; i++) {
                        g[i] += in[i] * dj;
                    }
                }
            }
            for (int j = 0; j < nOut; j++) {
                System.arraycopy(gw[j], 0, grad, wOffset[l] + j * nIn, nIn);
            }
            System.arraycopy(gb, 0, grad, bOffset[l], nOut);
            if (l > 0) {
                // delta of the layer below: (delta W^T) masked by ReLU'
                float[][] w = wCols[l];
                for (int r = 0; r < rows; r++) {
                    float[] in = acts[l][r];
                    float[] delta = deltas[l][r];
                    float[] below = deltas[l - 1][r];
                    Arrays.fill(below, 0);
                    for (int j = 0; j < nOut; j++) {
                        float dj = delta[j];
                        if (dj == 0) {
                            continue;
                        }
                        float[] wj = w[j];
                        for (int i = 0; i < nIn; i++) {
                            below[i] += dj * wj[i];
                        }
                    }
                    Activation.RELU.derivativeAtOutput(below, in, nIn);
                }
            }
        }
        return grad;
    }

    /** One {@link Adam} step along {@link #backward}'s gradient. */
    public void adamStep() {
        adam.step(params, grad);
        refresh();
    }

    private void allocate() {
        for (int l = 0; l <= layers; l++) {
            acts[l] = new float[maxBatch][sizes[l]];
        }
        for (int l = 0; l < layers; l++) {
            wRows[l] = new float[sizes[l]][sizes[l + 1]];
            wCols[l] = new float[sizes[l + 1]][sizes[l]];
            deltas[l] = new float[maxBatch][sizes[l + 1]];
            gradW[l] = new float[sizes[l + 1]][sizes[l]];
            gradB[l] = new float[sizes[l + 1]];
        }
    }

    private void refresh() {
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int off = wOffset[l];
            for (int j = 0; j < nOut; j++) {
                int col = off + j * nIn;
                System.arraycopy(params, col, wCols[l][j], 0, nIn);
                for (int i = 0; i < nIn; i++) {
                    wRows[l][i][j] = params[col + i];
                }
            }
        }
    }
}
