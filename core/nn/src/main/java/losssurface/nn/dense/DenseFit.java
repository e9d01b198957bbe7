package losssurface.nn.dense;


import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import losssurface.data.Losses;

/**
 * Supervised minibatch training of a dense network on the engine: the step DL4J's {@code fit}
 * takes (forward pass, backpropagation of the output layer's loss averaged over the minibatch,
 * Adam), without DL4J's per-layer machinery. On these machines DL4J spends about 16 ms on a
 * 128-example MNIST step whose matrix products take 3 ms; here the products are BLAS calls on
 * arrays allocated once, and the rest (bias, activations, softmax, Adam) is plain Java over
 * arrays allocated once.
 *
 * <p>Handles what {@link #unsupported} accepts: dense hidden layers with an {@link Activation},
 * and an output layer that is softmax with multi-class cross-entropy (MCXENT) or identity with
 * MSE; Adam with DL4J's default betas and epsilon; no regularisation, dropout, gradient
 * normalisation or preprocessors. The network's parameters are read at construction and written
 * back by {@link #copyInto}. Not thread-safe; close it to free the native buffers.
 *
 * <p>Matrices are column-major ({@code 'f'}), as DL4J lays out weights: layer l's weights
 * {@code [nIn, nOut]} are the same floats as its block of the flat parameter vector. A batch's
 * inputs are kept as {@code [nIn, rows]}, so each example's row is copied in as one block.
 */
public final class DenseFit implements EngineFit {

    /**
     * DL4J's default {@code softmaxClipEps} of MCXENT: the engine trains only networks that keep it (its
     * loss is {@link Losses}' exact cross-entropy of logits, which differs from DL4J's clipped one only
     * where a probability is below it).
     */
    private static final double DL4J_SOFTMAX_CLIP_EPS = 1e-10;

    /** The output layers the engine trains. */
    enum Output { SOFTMAX_CROSS_ENTROPY, IDENTITY_MSE }

    private final DenseNet shape;
    private final Output output;
    private final int layers;
    private final int[] sizes;
    private final int maxBatch;
    private final float[] params;
    private final float[] grad;
    private final Adam adam;
    private final INDArray[] w;            // [nIn, nOut] per layer, kept equal to params
    private final FloatBuffer[] wBuffer;
    private final INDArray[] gw;           // weight gradients [nIn, nOut]
    private final FloatBuffer[] gwBuffer;
    private final float[][] a;             // per layer: activations, column-major [rows, nOut]
    private final float[][] d;             // per layer: dLoss/dz, column-major [rows, nOut]
    private final Map<Integer, Buffers> buffers = new HashMap<>();

    /** BLAS operands for one batch size. */
    private final class Buffers {
        final INDArray xT;                 // [nIn0, rows]: example r's inputs in column r
        final FloatBuffer xBuffer;
        final INDArray[] z = new INDArray[layers];     // pre-activations [rows, nOut]
        final INDArray[] act = new INDArray[layers];   // hidden activations [rows, nOut] (BLAS input of the next layer)
        final INDArray[] delta = new INDArray[layers]; // [rows, nOut]
        final INDArray[] back = new INDArray[layers];  // delta of layer l + 1 times its weights^T: [rows, nOut of l]
        final FloatBuffer[] zBuffer = new FloatBuffer[layers];
        final FloatBuffer[] actBuffer = new FloatBuffer[layers];
        final FloatBuffer[] deltaBuffer = new FloatBuffer[layers];
        final FloatBuffer[] backBuffer = new FloatBuffer[layers];

        Buffers(int rows) {
            xT = Nd4j.create(DataType.FLOAT, new long[] {sizes[0], rows}, 'f');
            xBuffer = xT.data().asNioFloat();
            for (int l = 0; l < layers; l++) {
                long[] s = {rows, sizes[l + 1]};
                z[l] = Nd4j.create(DataType.FLOAT, s, 'f');
                zBuffer[l] = z[l].data().asNioFloat();
                delta[l] = Nd4j.create(DataType.FLOAT, s, 'f');
                deltaBuffer[l] = delta[l].data().asNioFloat();
                if (l < layers - 1) {
                    act[l] = Nd4j.create(DataType.FLOAT, s, 'f');
                    actBuffer[l] = act[l].data().asNioFloat();
                    back[l] = Nd4j.create(DataType.FLOAT, s, 'f');
                    backBuffer[l] = back[l].data().asNioFloat();
                }
            }
        }

        void close() {
            xT.close();
            for (INDArray[] arrays : List.of(z, act, delta, back)) {
                for (INDArray array : arrays) {
                    if (array != null) {
                        array.close();
                    }
                }
            }
        }
    }

    /**
     * Reads {@code net}'s architecture and parameters.
     *
     * @param maxBatch the largest minibatch {@link #step} will be given
     * @throws IllegalArgumentException naming what the engine does not train (see {@link #unsupported})
     */
    public DenseFit(MultiLayerNetwork net, double learningRate, int maxBatch) {
        Optional<String> why = unsupported(net);
        if (why.isPresent()) {
            throw new IllegalArgumentException(why.get());
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, was " + maxBatch);
        }
        this.shape = DenseNet.of(net);
        this.output = outputOf(net).orElseThrow();
        this.layers = shape.layers();
        this.sizes = new int[layers + 1];
        for (int l = 0; l < layers; l++) {
            sizes[l] = shape.in(l);
            sizes[l + 1] = shape.out(l);
        }
        this.maxBatch = maxBatch;
        this.params = net.params().toFloatVector();
        this.grad = new float[params.length];
        this.adam = new Adam(learningRate, params.length);
        this.w = new INDArray[layers];
        this.wBuffer = new FloatBuffer[layers];
        this.gw = new INDArray[layers];
        this.gwBuffer = new FloatBuffer[layers];
        this.a = new float[layers][];
        this.d = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = Nd4j.create(DataType.FLOAT, new long[] {sizes[l], sizes[l + 1]}, 'f');
            wBuffer[l] = w[l].data().asNioFloat();
            gw[l] = Nd4j.create(DataType.FLOAT, new long[] {sizes[l], sizes[l + 1]}, 'f');
            gwBuffer[l] = gw[l].data().asNioFloat();
            a[l] = new float[maxBatch * sizes[l + 1]];
            d[l] = new float[maxBatch * sizes[l + 1]];
        }
        writeWeights();
    }

    /** Why the engine cannot train {@code net} as DL4J's {@code fit} would, or empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        Optional<String> shape = DenseNet.unsupported(net);
        if (shape.isPresent()) {
            return shape;
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            if (!(net.getLayer(i).conf().getLayer() instanceof BaseLayer)) {
                return Optional.of("layer " + i + " has no parameters to train");
            }
            Optional<String> update = updateUnsupported(net, i);
            if (update.isPresent()) {
                return update;
            }
        }
        return outputUnsupported(net);
    }

    /**
     * Why the engine would not update layer {@code i} (one with parameters) as DL4J's {@code fit} does, or
     * empty: dropout, regularisation, gradient normalisation, a gradient summed over the minibatch, or an
     * updater other than Adam with DL4J's default betas and epsilon at a fixed rate.
     */
    static Optional<String> updateUnsupported(MultiLayerNetwork net, int i) {
        BaseLayer layer = (BaseLayer) net.getLayer(i).conf().getLayer();
        if (layer.getIDropout() != null) {
            return Optional.of("layer " + i + " uses dropout");
        }
        if ((layer.getRegularization() != null && !layer.getRegularization().isEmpty())
                || (layer.getRegularizationBias() != null && !layer.getRegularizationBias().isEmpty())) {
            return Optional.of("layer " + i + " is regularised (l1, l2 or weight decay)");
        }
        if (layer.getGradientNormalization() != null
                && layer.getGradientNormalization() != org.deeplearning4j.nn.conf.GradientNormalization.None) {
            return Optional.of("layer " + i + " normalises its gradients (" + layer.getGradientNormalization() + ")");
        }
        if (!net.getLayer(i).conf().isMiniBatch()) {
            return Optional.of("layer " + i + " sums its gradient over the minibatch instead of averaging it");
        }
        if (layer.getBiasUpdater() != null && !layer.getBiasUpdater().equals(layer.getIUpdater())) {
            return Optional.of("layer " + i + " updates its bias with a different updater");
        }
        IUpdater updater = layer.getIUpdater();
        if (!(updater instanceof org.nd4j.linalg.learning.config.Adam adam) || adam.getBeta1() != Adam.BETA1
                || adam.getBeta2() != Adam.BETA2 || adam.getEpsilon() != Adam.EPSILON
                || adam.getLearningRateSchedule() != null) {
            return Optional.of("layer " + i + " is not updated by Adam with default betas, epsilon and a fixed rate (it has "
                    + updater + ")");
        }
        return Optional.empty();
    }

    /** Why the output layer is not one the engine trains, or empty. */
    static Optional<String> outputUnsupported(MultiLayerNetwork net) {
        if (outputOf(net).isPresent()) {
            return Optional.empty();
        }
        Object conf = net.getLayer(net.getnLayers() - 1).conf().getLayer();
        if (!(conf instanceof OutputLayer out)) {
            return Optional.of("the last layer is a " + conf.getClass().getSimpleName() + ", not an OutputLayer");
        }
        return Optional.of("the output layer has activation " + out.getActivationFn() + " and loss " + out.getLossFn()
                + " (the engine trains softmax with MCXENT and identity with MSE)");
    }

    static Optional<Output> outputOf(MultiLayerNetwork net) {
        if (!(net.getLayer(net.getnLayers() - 1).conf().getLayer() instanceof OutputLayer out)) {
            return Optional.empty();
        }
        ILossFunction loss = out.getLossFn();
        if (out.getActivationFn() instanceof ActivationSoftmax && loss instanceof LossMCXENT x
                && x.getWeights() == null && x.getSoftmaxClipEps() == DL4J_SOFTMAX_CLIP_EPS) {
            return Optional.of(Output.SOFTMAX_CROSS_ENTROPY);
        }
        if (out.getActivationFn() instanceof ActivationIdentity && loss instanceof LossMSE m && m.getWeights() == null) {
            return Optional.of(Output.IDENTITY_MSE);
        }
        return Optional.empty();
    }

    /**
     * One Adam step on the examples {@code order[from .. from + rows)} of the data set
     * ({@code features} row-major {@code [n, inputs]}, {@code labels} row-major {@code [n, outputs]}:
     * one-hot for cross-entropy, targets for MSE).
     *
     * @return the minibatch's mean loss before the step, as DL4J's {@code score()} reports it
     */
    @Override
    public double step(float[] features, float[] labels, int[] order, int from, int rows) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("a batch of " + rows + " examples; this trainer takes 1 to " + maxBatch);
        }
        Buffers b = buffers.computeIfAbsent(rows, Buffers::new);
        int nIn0 = sizes[0];
        for (int r = 0; r < rows; r++) {
            b.xBuffer.put(r * nIn0, features, order[from + r] * nIn0, nIn0);
        }
        forward(b, rows);
        double loss = outputDelta(b, labels, order, from, rows);
        backward(b, rows);
        adam.step(params, grad);
        writeWeights();
        return loss;
    }

    @Override
    public double[] evaluate(float[] features, float[] labels, int[] rows) {
        double[] sums = new double[2];
        int nIn0 = sizes[0];
        for (int from = 0; from < rows.length; from += maxBatch) {
            int size = Math.min(maxBatch, rows.length - from);
            Buffers b = buffers.computeIfAbsent(size, Buffers::new);
            for (int r = 0; r < size; r++) {
                b.xBuffer.put(r * nIn0, features, rows[from + r] * nIn0, nIn0);
            }
            forward(b, size);
            score(output, a[layers - 1], size, sizes[layers], labels, rows, from, sums);
        }
        return mean(output, sums, rows.length);
    }

    /**
     * Adds a batch's summed loss to {@code sums[0]} and its correctly classified rows to {@code sums[1]}
     * (cross-entropy only; a row is correct when its first largest output is its label's first largest
     * entry): outputs {@code z} column-major {@code [size, outputs]}, the batch being
     * the data set's rows {@code rows[from .. from + size)}.
     */
    static void score(Output output, float[] z, int size, int outputs, float[] labels, int[] rows, int from, double[] sums) {
        for (int r = 0; r < size; r++) {
            int label = rows[from + r] * outputs;
            if (output == Output.SOFTMAX_CROSS_ENTROPY) {
                sums[0] += Losses.crossEntropy(z, r, outputs, size, labels, label);
                int arg = 0;
                int target = 0; // the label's class: its first largest entry, as the objective reads labels
                for (int c = 1; c < outputs; c++) {
                    if (z[r + c * size] > z[r + arg * size]) {
                        arg = c;
                    }
                    if (labels[label + c] > labels[label + target]) {
                        target = c;
                    }
                }
                sums[1] += arg == target ? 1 : 0;
            } else {
                for (int c = 0; c < outputs; c++) {
                    double e = (double) z[r + c * size] - labels[label + c];
                    sums[0] += e * e / outputs;
                }
            }
        }
    }

    /** {@code {mean loss, accuracy}} of {@link #score} sums over {@code n} rows; accuracy NaN for squared error. */
    static double[] mean(Output output, double[] sums, int n) {
        return new double[] {sums[0] / n, output == Output.SOFTMAX_CROSS_ENTROPY ? sums[1] / n : Double.NaN};
    }

    private void forward(Buffers b, int rows) {
        for (int l = 0; l < layers; l++) {
            int nOut = sizes[l + 1];
            if (l == 0) {
                Nd4j.gemm(b.xT, w[0], b.z[0], true, false, 1.0, 0.0);
            } else {
                Nd4j.gemm(b.act[l - 1], w[l], b.z[l], false, false, 1.0, 0.0);
            }
            float[] al = a[l];
            b.zBuffer[l].get(0, al, 0, rows * nOut);
            int bias = shape.biasOffset(l);
            for (int j = 0; j < nOut; j++) {
                float bj = params[bias + j];
                for (int r = j * rows, end = r + rows; r < end; r++) {
                    al[r] += bj;
                }
            }
            if (l < layers - 1) {
                Activation f = shape.activation(l);
                f.apply(al, rows * nOut);
                b.actBuffer[l].put(0, al, 0, rows * nOut);
            }
        }
    }

    /** The output layer's dLoss/dz (averaged over the batch) into d[last], and the batch's mean loss. */
    private double outputDelta(Buffers b, float[] labels, int[] order, int from, int rows) {
        int last = layers - 1;
        int nOut = sizes[layers];
        double total = outputDelta(output, a[last], d[last], nOut, labels, order, from, rows, rows);
        b.deltaBuffer[last].put(0, d[last], 0, rows * nOut);
        return total / rows;
    }

    /**
     * The output layer's dLoss/dz into {@code delta}, averaged over a batch of {@code batch} rows, for the
     * {@code rows} rows of {@code z} (column-major {@code [rows, outputs]}: row r's output j at j * rows + r), which
     * are the data set's rows {@code order[from ..]}; returns their summed loss.
     */
    static double outputDelta(Output output, float[] z, float[] delta, int outputs, float[] labels, int[] order, int from,
                              int rows, int batch) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int label = order[from + r] * outputs;
            if (output == Output.SOFTMAX_CROSS_ENTROPY) {
                total += Losses.crossEntropy(z, r, outputs, rows, labels, label);
                Losses.crossEntropyGradient(z, r, outputs, rows, labels, label, batch, delta);
            } else {
                total += Losses.squaredErrorWithGradient(z, r, outputs, rows, labels, label, batch, delta);
            }
        }
        return total;
    }

    private void backward(Buffers b, int rows) {
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            if (l == 0) {
                Nd4j.gemm(b.xT, b.delta[0], gw[0], false, false, 1.0, 0.0);
            } else {
                Nd4j.gemm(b.act[l - 1], b.delta[l], gw[l], true, false, 1.0, 0.0);
            }
            gwBuffer[l].get(0, grad, shape.weightOffset(l), nIn * nOut);
            float[] dl = d[l];
            int bias = shape.biasOffset(l);
            for (int j = 0; j < nOut; j++) {
                float sum = 0;
                for (int r = j * rows, end = r + rows; r < end; r++) {
                    sum += dl[r];
                }
                grad[bias + j] = sum;
            }
            if (l > 0) {
                // dLoss/dz of the layer below: (delta W^T) times the activation's derivative at its outputs
                Nd4j.gemm(b.delta[l], w[l], b.back[l - 1], false, true, 1.0, 0.0);
                float[] below = d[l - 1];
                float[] out = a[l - 1];
                int size = rows * nIn;
                b.backBuffer[l - 1].get(0, below, 0, size);
                shape.activation(l - 1).derivativeAtOutput(below, out, size);
                b.deltaBuffer[l - 1].put(0, below, 0, size);
            }
        }
    }

    private void writeWeights() {
        for (int l = 0; l < layers; l++) {
            wBuffer[l].put(0, params, shape.weightOffset(l), sizes[l] * sizes[l + 1]);
        }
    }

    @Override
    public float[] parameters() {
        return params.clone();
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public void copyInto(MultiLayerNetwork net) {
        net.params().assign(Nd4j.createFromArray(params));
    }

    @Override
    public void close() {
        buffers.values().forEach(Buffers::close);
        buffers.clear();
        for (INDArray[] arrays : List.of(w, gw)) {
            for (INDArray array : arrays) {
                array.close();
            }
        }
    }
}
