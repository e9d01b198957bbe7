package losssurface.nn.dense;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * Supervised minibatch training of a convolutional network on the engine: the step DL4J's
 * {@code fit} takes (forward pass, backpropagation of the output layer's loss averaged over the
 * minibatch, Adam), with each convolution as one matrix product of the batch's image patches
 * (im2col) and the filters. On these machines DL4J's {@code fit} takes about 90 ms for a
 * 128-image step of the MNIST CNN (conv 5x5x8, max pool, conv 5x5x16, max pool, dense 64,
 * softmax), most of it outside the products.
 *
 * <p>Handles what {@link #unsupported} accepts: flat inputs reshaped to NCHW images by a
 * {@code FeedForwardToCnnPreProcessor}; {@code ConvolutionLayer}s (NCHW, Truncate or Strict mode,
 * any kernel, stride and zero padding, no dilation, with a bias and an {@link Activation});
 * max and average {@code SubsamplingLayer}s without padding; a {@code CnnToFeedForwardPreProcessor}
 * (NCHW) before dense layers; an output layer and updates as {@link DenseFit} trains them. The
 * parameters are read at construction and written back by {@link #copyInto}. Not thread-safe;
 * close it to free the native buffers.
 *
 * <p>Every activation is kept as one Java array, channel-major over the whole batch:
 * {@code [channels][rows][height][width]} (a dense layer's {@code [units][rows]}, i.e. its
 * column-major {@code [rows, units]} matrix). A convolution's patches are then the column-major
 * {@code [rows * outH * outW, channels * kH * kW]} matrix whose product with DL4J's filters
 * ({@code [nOut, nIn, kH, kW]} row-major, read as the column-major {@code [nIn kH kW, nOut]}
 * matrix) is the output in that same layout, with no transposition.
 */
public final class ConvFit implements EngineFit {

    /**
     * Every batch is split into this many parts, each computed by its own copy of the stages and
     * their buffers, and the parts' gradients are added in part order: so the sums, and the
     * trained parameters, are the same whether one thread computes the parts or several do.
     */
    static final int PARTS = 2;

    private final DenseFit.Output output;
    private final int maxBatch;
    private final float[] params;
    private final float[] grad;
    private final Adam adam;
    private final Part[] parts = new Part[PARTS];
    private final ExecutorService pool; // null: the calling thread computes every part
    private final int inputs;
    private final int outputs;

    /**
     * Reads {@code net}'s architecture and parameters.
     *
     * @param maxBatch the largest minibatch {@link #step} will be given
     * @throws IllegalArgumentException naming what the engine does not train (see {@link #unsupported})
     */
    public ConvFit(MultiLayerNetwork net, double learningRate, int maxBatch, int threads) {
        Optional<String> why = unsupported(net);
        if (why.isPresent()) {
            throw new IllegalArgumentException(why.get());
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, was " + maxBatch);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
        this.output = DenseFit.outputOf(net).orElseThrow();
        this.maxBatch = maxBatch;
        this.params = net.params().toFloatVector();
        this.grad = new float[params.length];
        this.adam = new Adam(learningRate, params.length);
        for (int p = 0; p < PARTS; p++) {
            parts[p] = new Part(stages(net, (maxBatch + PARTS - 1) / PARTS));
        }
        List<Stage> stages = parts[0].stages;
        Stage first = stages.get(0);
        this.inputs = first.inC * first.inH * first.inW;
        this.outputs = stages.get(stages.size() - 1).outC;
        int helpers = Math.min(threads, PARTS) - 1;
        this.pool = helpers == 0 ? null : Executors.newFixedThreadPool(helpers, r -> {
            Thread t = new Thread(r, "conv-fit");
            t.setDaemon(true);
            return t;
        });
    }

    /** Why the engine cannot train {@code net} as DL4J's {@code fit} would, or empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        try {
            for (Stage s : stages(net, 1)) {
                s.close();
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).numParams() > 0) {
                Optional<String> update = DenseFit.updateUnsupported(net, i);
                if (update.isPresent()) {
                    return update;
                }
            }
        }
        return DenseFit.outputUnsupported(net);
    }

    /** The network's layers as stages, in order; throws IllegalArgumentException naming what is not covered. */
    private static List<Stage> stages(MultiLayerNetwork net, int maxBatch) {
        List<Stage> stages = new ArrayList<>();
        int n = net.getnLayers();
        int c = -1;
        int h = -1;
        int w = -1;
        boolean image = false;
        int offset = 0;
        for (int i = 0; i < n; i++) {
            Object conf = net.getLayer(i).conf().getLayer();
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (i == 0 && !(pre instanceof FeedForwardToCnnPreProcessor)) {
                throw new IllegalArgumentException("layer 0 does not take images reshaped from flat inputs (a"
                        + " FeedForwardToCnnPreProcessor, as InputType.convolutionalFlat sets up)");
            }
            if (pre instanceof FeedForwardToCnnPreProcessor f) {
                if (i != 0) {
                    throw new IllegalArgumentException("layer " + i + " reshapes flat activations to images again");
                }
                c = (int) f.getNumChannels();
                h = (int) f.getInputHeight();
                w = (int) f.getInputWidth();
                image = true;
            } else if (pre instanceof CnnToFeedForwardPreProcessor p) {
                if (!image || p.getFormat() != CNN2DFormat.NCHW) {
                    throw new IllegalArgumentException("layer " + i + "'s preprocessor flattens " + p.getFormat()
                            + " images (the engine flattens NCHW images)");
                }
                stages.add(new Flatten(c, h, w, maxBatch));
                c = c * h * w;
                h = 1;
                w = 1;
                image = false;
            } else if (pre != null) {
                throw new IllegalArgumentException("layer " + i + " has a " + pre.getClass().getSimpleName() + " preprocessor");
            }
            Stage stage;
            if (conf instanceof ConvolutionLayer cl && conf.getClass() == ConvolutionLayer.class) {
                if (!image) {
                    throw new IllegalArgumentException("layer " + i + " (ConvolutionLayer) takes flat activations");
                }
                if (cl.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    throw new IllegalArgumentException("layer " + i + " (ConvolutionLayer) takes " + cl.getCnn2dDataFormat()
                            + " images (the engine trains NCHW)");
                }
                requireMode(i, "ConvolutionLayer", cl.getConvolutionMode());
                if (cl.getDilation()[0] != 1 || cl.getDilation()[1] != 1) {
                    throw new IllegalArgumentException("layer " + i + " (ConvolutionLayer) is dilated");
                }
                if (!cl.hasBias()) {
                    throw new IllegalArgumentException("layer " + i + " (ConvolutionLayer) has no bias");
                }
                Activation f = activation(i, cl.getActivationFn());
                Window win = Window.of(i, "ConvolutionLayer", h, w, cl.getKernelSize(), cl.getStride(), cl.getPadding(),
                        cl.getConvolutionMode());
                int nOut = (int) cl.getNOut();
                // DL4J's convolution parameters: the bias [nOut] first, then the filters [nOut, nIn, kH, kW]
                stage = new Conv(c, h, w, nOut, win, offset + nOut, offset, f, i > 0, maxBatch);
                c = nOut;
                h = win.outH;
                w = win.outW;
            } else if (conf instanceof SubsamplingLayer s && conf.getClass() == SubsamplingLayer.class) {
                if (!image) {
                    throw new IllegalArgumentException("layer " + i + " (SubsamplingLayer) takes flat activations");
                }
                if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    throw new IllegalArgumentException("layer " + i + " (SubsamplingLayer) takes " + s.getCnn2dDataFormat()
                            + " images (the engine trains NCHW)");
                }
                requireMode(i, "SubsamplingLayer", s.getConvolutionMode());
                if (s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
                    throw new IllegalArgumentException("layer " + i + " (SubsamplingLayer) is dilated");
                }
                if (s.getPadding()[0] != 0 || s.getPadding()[1] != 0) {
                    throw new IllegalArgumentException("layer " + i + " (SubsamplingLayer) is padded (the engine pools without padding)");
                }
                if (s.getPoolingType() != PoolingType.MAX && s.getPoolingType() != PoolingType.AVG) {
                    throw new IllegalArgumentException("layer " + i + " (SubsamplingLayer) pools by " + s.getPoolingType()
                            + " (the engine pools by max and average)");
                }
                Window win = Window.of(i, "SubsamplingLayer", h, w, s.getKernelSize(), s.getStride(), s.getPadding(),
                        s.getConvolutionMode());
                stage = new Pool(c, h, w, win, s.getPoolingType() == PoolingType.MAX, maxBatch);
                h = win.outH;
                w = win.outW;
            } else if ((conf instanceof DenseLayer || conf instanceof OutputLayer)
                    && (conf.getClass() == DenseLayer.class || conf.getClass() == OutputLayer.class)) {
                if (image) {
                    throw new IllegalArgumentException("layer " + i + " (" + conf.getClass().getSimpleName()
                            + ") takes images without a CnnToFeedForwardPreProcessor");
                }
                if (net.getLayer(i).getParam("b") == null) {
                    throw new IllegalArgumentException("layer " + i + " has no bias");
                }
                boolean out = i == n - 1;
                if (out != conf instanceof OutputLayer) {
                    throw new IllegalArgumentException(out ? "the last layer is not an OutputLayer" : "layer " + i + " is an OutputLayer before the last");
                }
                int nOut = (int) ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf).getNOut();
                Activation f = out ? Activation.IDENTITY
                        : activation(i, ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf).getActivationFn());
                // dense parameters: W [nIn, nOut] column-major, then b
                stage = new Dense(c, nOut, offset, offset + c * nOut, f, maxBatch);
                c = nOut;
            } else {
                throw new IllegalArgumentException("layer " + i + " is a " + conf.getClass().getSimpleName()
                        + " (the engine trains ConvolutionLayer, SubsamplingLayer, DenseLayer and OutputLayer)");
            }
            if (net.getLayer(i).numParams() != stage.parameters()) {
                throw new IllegalArgumentException("layer " + i + " has " + net.getLayer(i).numParams() + " parameters, the engine expects "
                        + stage.parameters());
            }
            offset += stage.parameters();
            stages.add(stage);
        }
        if (offset != net.numParams()) {
            throw new IllegalArgumentException("the layers hold " + offset + " parameters but the network has " + net.numParams());
        }
        return stages;
    }

    private static void requireMode(int i, String kind, ConvolutionMode mode) {
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new IllegalArgumentException("layer " + i + " (" + kind + ") uses ConvolutionMode." + mode
                    + " (the engine trains Truncate and Strict)");
        }
    }

    private static Activation activation(int i, org.nd4j.linalg.activations.IActivation f) {
        return Activation.named(String.valueOf(f)).orElseThrow(() -> new IllegalArgumentException("layer " + i + " has activation "
                + f + " (the engine computes " + Activation.supported() + ")"));
    }

    /**
     * One Adam step on the examples {@code order[from .. from + rows)} of the data set
     * ({@code features} row-major {@code [n, inputs]}, each row an image's NCHW values;
     * {@code labels} row-major {@code [n, outputs]}: one-hot for cross-entropy, targets for MSE).
     *
     * @return the minibatch's mean loss before the step, as DL4J's {@code score()} reports it
     */
    @Override
    public double step(float[] features, float[] labels, int[] order, int from, int rows) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("a batch of " + rows + " examples; this trainer takes 1 to " + maxBatch);
        }
        inParts(rows, (p, start, size) -> parts[p].step(features, labels, order, from + start, size, rows));
        double loss = 0;
        System.arraycopy(parts[0].grad, 0, grad, 0, grad.length);
        loss += parts[0].loss;
        for (int p = 1; p < PARTS; p++) {
            if (parts[p].rows > 0) {
                float[] g = parts[p].grad;
                for (int k = 0; k < grad.length; k++) {
                    grad[k] += g[k];
                }
                loss += parts[p].loss;
            }
        }
        adam.step(params, grad);
        return loss / rows;
    }

    @Override
    public double[] evaluate(float[] features, float[] labels, int[] rows) {
        double[][] sums = new double[PARTS][2];
        for (int from = 0; from < rows.length; from += maxBatch) {
            int batch = from;
            inParts(Math.min(maxBatch, rows.length - from), (p, start, size) -> {
                Part part = parts[p];
                part.forward(features, rows, batch + start, size);
                List<Stage> stages = part.stages;
                DenseFit.score(output, stages.get(stages.size() - 1).out, size, outputs, labels, rows, batch + start, sums[p]);
            });
        }
        double[] total = new double[2];
        for (double[] s : sums) {
            total[0] += s[0];
            total[1] += s[1];
        }
        return DenseFit.mean(output, total, rows.length);
    }

    /** A part's work: rows {@code [start, start + size)} of the batch, {@code size} possibly 0. */
    @FunctionalInterface
    private interface PartWork {
        void run(int part, int start, int size);
    }

    /** Splits {@code rows} into the parts and runs them, part 0 on the calling thread and the others on the pool. */
    private void inParts(int rows, PartWork work) {
        int each = (rows + PARTS - 1) / PARTS;
        List<Future<?>> others = new ArrayList<>();
        for (int p = 1; p < PARTS; p++) {
            int part = p;
            int start = Math.min(rows, p * each);
            int size = Math.min(rows, start + each) - start;
            if (pool == null) {
                work.run(part, start, size);
            } else {
                others.add(pool.submit(() -> work.run(part, start, size)));
            }
        }
        work.run(0, 0, Math.min(rows, each));
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** One part of every batch: its own stages and buffers, and its share of the gradient. */
    private final class Part {
        final List<Stage> stages;
        final Map<Integer, float[]> inputBuffers = new HashMap<>();
        final float[] grad = new float[params.length];
        int rows;
        double loss; // summed over the part's rows

        Part(List<Stage> stages) {
            this.stages = stages;
        }

        /** Forward and backward on {@code size} rows from {@code order[from]}, the loss averaged over the whole batch of {@code total}. */
        void step(float[] features, float[] labels, int[] order, int from, int size, int total) {
            rows = size;
            loss = 0;
            if (size == 0) {
                return;
            }
            float[] in = forward(features, order, from, size);
            Stage last = stages.get(stages.size() - 1);
            loss = DenseFit.outputDelta(output, last.out, last.grad, outputs, labels, order, from, size, total);
            for (int s = stages.size() - 1; s >= 0; s--) {
                stages.get(s).backward(s == 0 ? in : stages.get(s - 1).out, s == 0 ? null : stages.get(s - 1).grad, size, params, grad);
            }
        }

        float[] forward(float[] features, int[] order, int from, int size) {
            Stage first = stages.get(0);
            int plane = first.inH * first.inW;
            float[] in = inputBuffers.computeIfAbsent(size, r -> new float[inputs * r]);
            for (int r = 0; r < size; r++) { // [n][c][h][w] rows of the data set into [c][n][h][w]
                int at = order[from + r] * inputs;
                for (int c = 0; c < first.inC; c++) {
                    System.arraycopy(features, at + c * plane, in, (c * size + r) * plane, plane);
                }
            }
            float[] x = in;
            for (Stage stage : stages) {
                stage.forward(x, size, params);
                x = stage.out;
            }
            return in;
        }
    }

    @Override
    public float[] parameters() {
        return params.clone();
    }

    @Override
    public String kind() {
        return "convolutional";
    }

    @Override
    public void copyInto(MultiLayerNetwork net) {
        net.params().assign(Nd4j.createFromArray(params));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (Part part : parts) {
            part.stages.forEach(Stage::close);
        }
    }

    /** A convolution's or pooling's kernel, stride, padding and output size. */
    private record Window(int kh, int kw, int sh, int sw, int ph, int pw, int outH, int outW) {

        static Window of(int i, String kind, int h, int w, int[] kernel, int[] stride, int[] padding, ConvolutionMode mode) {
            int outH = (h + 2 * padding[0] - kernel[0]) / stride[0] + 1;
            int outW = (w + 2 * padding[1] - kernel[1]) / stride[1] + 1;
            if (outH < 1 || outW < 1) {
                throw new IllegalArgumentException("layer " + i + " (" + kind + ") has a " + kernel[0] + "x" + kernel[1]
                        + " kernel larger than its " + h + "x" + w + " input");
            }
            return new Window(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], outH, outW);
        }
    }

    /**
     * One layer of the batch: its input and output sizes per example, its output and the gradient of
     * the loss with respect to that output (both channel-major over the batch), and the two passes.
     */
    private abstract static class Stage {
        final int inC;
        final int inH;
        final int inW;
        final int outC;
        final int outH;
        final int outW;
        final float[] out;
        final float[] grad;

        Stage(int inC, int inH, int inW, int outC, int outH, int outW, int maxBatch) {
            this.inC = inC;
            this.inH = inH;
            this.inW = inW;
            this.outC = outC;
            this.outH = outH;
            this.outW = outW;
            this.out = new float[outC * outH * outW * maxBatch];
            this.grad = new float[out.length];
        }

        int parameters() {
            return 0;
        }

        abstract void forward(float[] in, int rows, float[] params);

        /**
         * From {@link #grad} (for the output layer, dLoss/dz; else dLoss/d(output)): this layer's
         * parameter gradients into {@code paramGrad}, and dLoss/d(input) into {@code inGrad} unless null.
         */
        abstract void backward(float[] in, float[] inGrad, int rows, float[] params, float[] paramGrad);

        void close() {
        }
    }

    /** BLAS operands of one product shape, reused from step to step. */
    private static final class Operand {
        final INDArray array;
        final FloatBuffer buffer;

        Operand(long rows, long cols) {
            array = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'f');
            buffer = array.data().asNioFloat();
        }
    }

    /**
     * A layer that is one matrix product for the batch, with a bias and an activation: its input
     * as a column-major {@code [m, k]} matrix (a dense layer's rows; a convolution's patches)
     * times the weights {@code [k, nOut]} (read in place from the flat parameters) gives its
     * output {@code [m, nOut]}, channel-major.
     */
    private abstract static class Product extends Stage {
        final int k;
        private final int wOffset;
        private final int bOffset;
        private final Activation activation;
        private final boolean inputGradient;
        private final Operand weights;
        private final Operand weightGrad;
        private final Map<Integer, Operand[]> operands = new HashMap<>(); // per batch size: input, output, input gradient

        Product(int inC, int inH, int inW, int outC, int outH, int outW, int k, int wOffset, int bOffset, Activation activation,
                 boolean inputGradient, int maxBatch) {
            super(inC, inH, inW, outC, outH, outW, maxBatch);
            this.k = k;
            this.wOffset = wOffset;
            this.bOffset = bOffset;
            this.activation = activation;
            this.inputGradient = inputGradient;
            this.weights = new Operand(k, outC);
            this.weightGrad = new Operand(k, outC);
        }

        @Override
        int parameters() {
            return k * outC + outC;
        }

        /** The product's input matrix {@code [m, k]} for {@code rows} examples, column-major (possibly {@code in} itself). */
        abstract float[] matrix(float[] in, int rows, int m);

        /** The layer's input gradient into {@code inGrad}, from the input matrix's gradient in {@code dMatrix}. */
        abstract void inputGradient(Operand dMatrix, float[] inGrad, int rows, int m);

        private Operand[] operands(int rows) {
            return operands.computeIfAbsent(rows, r -> {
                long m = (long) r * outH * outW;
                return new Operand[] {new Operand(m, k), new Operand(m, outC), inputGradient ? new Operand(m, k) : null};
            });
        }

        @Override
        void forward(float[] in, int rows, float[] params) {
            int m = rows * outH * outW;
            Operand[] o = operands(rows);
            o[0].buffer.put(0, matrix(in, rows, m), 0, m * k);
            weights.buffer.put(0, params, wOffset, k * outC);
            Nd4j.gemm(o[0].array, weights.array, o[1].array, false, false, 1.0, 0.0);
            o[1].buffer.get(0, out, 0, m * outC);
            for (int c = 0; c < outC; c++) {
                float b = params[bOffset + c];
                for (int j = c * m, end = j + m; j < end; j++) {
                    out[j] += b;
                }
            }
            activation.apply(out, m * outC);
        }

        @Override
        void backward(float[] in, float[] inGrad, int rows, float[] params, float[] paramGrad) {
            int m = rows * outH * outW;
            activation.derivativeAtOutput(grad, out, m * outC);
            Operand[] o = operands(rows);
            o[1].buffer.put(0, grad, 0, m * outC); // dLoss/dz, in the output's operand (its values are no longer needed)
            Nd4j.gemm(o[0].array, o[1].array, weightGrad.array, true, false, 1.0, 0.0);
            weightGrad.buffer.get(0, paramGrad, wOffset, k * outC);
            for (int c = 0; c < outC; c++) {
                float sum = 0;
                for (int j = c * m, end = j + m; j < end; j++) {
                    sum += grad[j];
                }
                paramGrad[bOffset + c] = sum;
            }
            if (inGrad != null) {
                Nd4j.gemm(o[1].array, weights.array, o[2].array, false, true, 1.0, 0.0);
                inputGradient(o[2], inGrad, rows, m);
            }
        }

        @Override
        void close() {
            weights.array.close();
            weightGrad.array.close();
            for (Operand[] o : operands.values()) {
                for (Operand operand : o) {
                    if (operand != null) {
                        operand.array.close();
                    }
                }
            }
        }
    }

    /** A convolution with its activation: patches (im2col) times filters, one product for the batch. */
    private static final class Conv extends Product {
        private final Window win;
        private final float[] cols;
        private final float[] dCols;

        Conv(int c, int h, int w, int nOut, Window win, int wOffset, int bOffset, Activation activation, boolean inputGradient,
             int maxBatch) {
            super(c, h, w, nOut, win.outH, win.outW, c * win.kh * win.kw, wOffset, bOffset, activation, inputGradient, maxBatch);
            this.win = win;
            this.cols = new float[win.outH * win.outW * maxBatch * k];
            this.dCols = inputGradient ? new float[cols.length] : null;
        }

        @Override
        float[] matrix(float[] in, int rows, int m) {
            im2col(in, rows, m);
            return cols;
        }

        @Override
        void inputGradient(Operand dMatrix, float[] inGrad, int rows, int m) {
            dMatrix.buffer.get(0, dCols, 0, m * k);
            col2im(inGrad, rows, m);
        }

        /** The patches as the column-major {@code [rows outH outW, c kH kW]} matrix, zero where the padding is. */
        private void im2col(float[] in, int rows, int m) {
            int plane = inH * inW;
            for (int c = 0; c < inC; c++) {
                for (int ky = 0; ky < win.kh; ky++) {
                    for (int kx = 0; kx < win.kw; kx++) {
                        int column = ((c * win.kh + ky) * win.kw + kx) * m;
                        for (int n = 0; n < rows; n++) {
                            int source = (c * rows + n) * plane;
                            for (int oy = 0; oy < outH; oy++) {
                                int iy = oy * win.sh + ky - win.ph;
                                int at = column + (n * outH + oy) * outW;
                                if (iy < 0 || iy >= inH) {
                                    java.util.Arrays.fill(cols, at, at + outW, 0f);
                                } else if (win.sw == 1 && win.pw == 0) {
                                    System.arraycopy(in, source + iy * inW + kx, cols, at, outW);
                                } else {
                                    for (int ox = 0; ox < outW; ox++) {
                                        int ix = ox * win.sw + kx - win.pw;
                                        cols[at + ox] = ix < 0 || ix >= inW ? 0f : in[source + iy * inW + ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /** Adds each patch entry's gradient back to the input position it was copied from. */
        private void col2im(float[] inGrad, int rows, int m) {
            int plane = inH * inW;
            java.util.Arrays.fill(inGrad, 0, inC * rows * plane, 0f);
            for (int c = 0; c < inC; c++) {
                for (int ky = 0; ky < win.kh; ky++) {
                    for (int kx = 0; kx < win.kw; kx++) {
                        int column = ((c * win.kh + ky) * win.kw + kx) * m;
                        for (int n = 0; n < rows; n++) {
                            int target = (c * rows + n) * plane;
                            for (int oy = 0; oy < outH; oy++) {
                                int iy = oy * win.sh + ky - win.ph;
                                if (iy < 0 || iy >= inH) {
                                    continue;
                                }
                                int at = column + (n * outH + oy) * outW;
                                int row = target + iy * inW;
                                if (win.sw == 1 && win.pw == 0) { // contiguous on both sides: a loop the JIT vectorises
                                    for (int ox = 0, to = row + kx; ox < outW; ox++) {
                                        inGrad[to + ox] += dCols[at + ox];
                                    }
                                    continue;
                                }
                                for (int ox = 0; ox < outW; ox++) {
                                    int ix = ox * win.sw + kx - win.pw;
                                    if (ix >= 0 && ix < inW) {
                                        inGrad[row + ix] += dCols[at + ox];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Max or average pooling without padding. */
    private static final class Pool extends Stage {
        private final Window win;
        private final boolean max;
        private final int[] arg; // max: the input index each output was taken from

        Pool(int c, int h, int w, Window win, boolean max, int maxBatch) {
            super(c, h, w, c, win.outH, win.outW, maxBatch);
            this.win = win;
            this.max = max;
            this.arg = max ? new int[out.length] : null;
        }

        @Override
        void forward(float[] in, int rows, float[] params) {
            int plane = inH * inW;
            float scale = 1f / (win.kh * win.kw);
            for (int p = 0, planes = inC * rows; p < planes; p++) { // one [h, w] plane per channel and example
                int source = p * plane;
                int target = p * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        int corner = source + oy * win.sh * inW + ox * win.sw;
                        int j = target + oy * outW + ox;
                        if (max) {
                            int best = corner;
                            for (int ky = 0; ky < win.kh; ky++) {
                                for (int kx = 0; kx < win.kw; kx++) {
                                    int at = corner + ky * inW + kx;
                                    if (in[at] > in[best]) {
                                        best = at;
                                    }
                                }
                            }
                            out[j] = in[best];
                            arg[j] = best;
                        } else {
                            float sum = 0;
                            for (int ky = 0; ky < win.kh; ky++) {
                                for (int kx = 0; kx < win.kw; kx++) {
                                    sum += in[corner + ky * inW + kx];
                                }
                            }
                            out[j] = sum * scale;
                        }
                    }
                }
            }
        }

        @Override
        void backward(float[] in, float[] inGrad, int rows, float[] params, float[] paramGrad) {
            if (inGrad == null) {
                return;
            }
            int plane = inH * inW;
            int size = rows * outC * outH * outW;
            java.util.Arrays.fill(inGrad, 0, inC * rows * plane, 0f);
            if (max) {
                for (int j = 0; j < size; j++) {
                    inGrad[arg[j]] += grad[j];
                }
                return;
            }
            float scale = 1f / (win.kh * win.kw);
            for (int p = 0, planes = inC * rows; p < planes; p++) {
                int source = p * plane;
                int target = p * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float g = grad[target + oy * outW + ox] * scale;
                        int corner = source + oy * win.sh * inW + ox * win.sw;
                        for (int ky = 0; ky < win.kh; ky++) {
                            for (int kx = 0; kx < win.kw; kx++) {
                                inGrad[corner + ky * inW + kx] += g;
                            }
                        }
                    }
                }
            }
        }
    }

    /** NCHW images to flat rows, {@code (c, y, x)} in that order: {@code [c][n][h][w]} to {@code [c h w][n]}. */
    private static final class Flatten extends Stage {

        Flatten(int c, int h, int w, int maxBatch) {
            super(c, h, w, c * h * w, 1, 1, maxBatch);
        }

        @Override
        void forward(float[] in, int rows, float[] params) {
            int plane = inH * inW;
            for (int c = 0; c < inC; c++) {
                for (int n = 0; n < rows; n++) {
                    int source = (c * rows + n) * plane;
                    for (int p = 0; p < plane; p++) {
                        out[(c * plane + p) * rows + n] = in[source + p];
                    }
                }
            }
        }

        @Override
        void backward(float[] in, float[] inGrad, int rows, float[] params, float[] paramGrad) {
            int plane = inH * inW;
            for (int c = 0; c < inC; c++) {
                for (int n = 0; n < rows; n++) {
                    int target = (c * rows + n) * plane;
                    for (int p = 0; p < plane; p++) {
                        inGrad[target + p] = grad[(c * plane + p) * rows + n];
                    }
                }
            }
        }
    }

    /** A dense (or output) layer on flat rows: {@code [rows, nIn] x [nIn, nOut]}, column-major. */
    private static final class Dense extends Product {

        Dense(int nIn, int nOut, int wOffset, int bOffset, Activation activation, int maxBatch) {
            super(nIn, 1, 1, nOut, 1, 1, nIn, wOffset, bOffset, activation, true, maxBatch);
        }

        @Override
        float[] matrix(float[] in, int rows, int m) {
            return in;
        }

        @Override
        void inputGradient(Operand dMatrix, float[] inGrad, int rows, int m) {
            dMatrix.buffer.get(0, inGrad, 0, m * k);
        }
    }
}
