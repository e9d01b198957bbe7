package losssurface.nn.dense;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;

/**
 * Evaluates a whole grid for a multilayer perceptron (dense layers and a dense output layer)
 * faster than setting the parameters and scoring point by point.
 *
 * <ul>
 *   <li>The first layer is affine in its parameters: with the point's first-layer weights
 *   {@code W + a U + b V} and bias {@code c + a u + b v}, its pre-activations are
 *   {@code (XW + c) + a (XU + u) + b (XV + v)}. For a wide input (784 pixels for MNIST) the three
 *   {@code [examples, units]} matrices are computed once per surface, so the largest matrix
 *   product is paid three times per surface instead of once per point;
 *   {@code (XW + c) + a (XU + u)} is shared by a whole row of the grid and each point adds
 *   {@code b (XV + v)}. A narrow input (up to {@link #DIRECT_INPUTS}, e.g. CartPole's 4
 *   observations) is cheaper to multiply directly per point.</li>
 *   <li>The examples go through all layers in blocks of {@link #BLOCK}, so a block's activations
 *   stay in cache.</li>
 *   <li>Hidden layers after the first are one BLAS product each, with the bias folded in as an
 *   extra input column of ones, so no separate pass adds it.</li>
 *   <li>Activations and the output layer (a handful of outputs, which BLAS handles poorly) are
 *   computed in Java in long loops over the examples, one preallocated array per column; only
 *   the later layers' parameters (a few thousand, not the first layer's 100,000) are formed per
 *   point. The loss function gets the logits row-major.</li>
 *   <li>The surface job shares the points among its workers, one set of buffers each; a worker
 *   keeps {@code (XW + c) + a (XU + u)} for the grid row it last worked on.</li>
 * </ul>
 * No arrays are allocated per point except by the loss function. Objectives offer their network
 * to it by implementing {@link Offer}.
 */
public final class FastMlpEvaluator implements SurfaceEvaluator {

    /** The name recorded with surfaces it computes. */
    public static final String NAME = "fast-mlp";

    /** Examples per block: a block's activations stay in the core's cache from layer to layer. */
    public static final int BLOCK = 1024;

    /** Up to this many inputs the first layer is computed directly per point, not from affine pieces. */
    public static final int DIRECT_INPUTS = 16;

    /** Turns the output layer's pre-activations into the metrics. */
    @FunctionalInterface
    public interface LossFunction {
        /**
         * @param z    pre-activations, row-major {@code [rows, cols]}: element (r, c) at {@code r * cols + c}
         */
        double[] metrics(float[] z, int rows, int cols);
    }

    /**
     * What an objective over a dense network offers this evaluator: the network's shape, the
     * examples every point is scored on, and the loss of the output layer's pre-activations.
     */
    public interface Offer {
        /** Why the objective's network or loss is not one this evaluator computes, or empty when it is. */
        java.util.Optional<String> notDense();

        /** The network as a dense stack; called only when {@link #notDense()} is empty. */
        DenseNet shape();

        /** The examples, {@code [examples, inputs]}. */
        INDArray features();

        /** The metrics of the output layer's pre-activations, in the objective's order. */
        LossFunction loss();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Support support(Objective objective) {
        if (!(objective instanceof Offer offer)) {
            return Support.NOT_ITS_KIND;
        }
        return offer.notDense().map(Support::no).orElse(Support.YES);
    }

    /**
     * Prepares {@code grid} once per surface: for a wide input, the first layer's three
     * {@code [examples, units]} products of the centre and the two directions.
     */
    @Override
    public Prepared prepare(Objective objective, GridRequest grid) {
        Offer offer = (Offer) objective;
        objective.layout().requireFits(grid.centre(), "The grid centre");
        DenseNet shape = offer.shape();
        INDArray features = offer.features();
        LossFunction lossOf = offer.loss();
        int examples = (int) features.size(0);
        // The first layer: for a narrow input (CartPole's 4 observations) computed directly per
        // point from the inputs, which stay in cache; for a wide one (MNIST's 784 pixels) from its
        // three affine pieces, computed once per surface, column-major [examples, units].
        INDArray x = features.castTo(DataType.FLOAT).dup('f');
        boolean direct = shape.inputs() <= DIRECT_INPUTS;
        float[][][] first = direct
                ? new float[][][] {columns(x.data().asFloat(), examples)}
                : new float[][][] {firstLayer(x, grid.centre(), shape, examples),
                                   firstLayer(x, grid.d1(), shape, examples),
                                   grid.d2() != null ? firstLayer(x, grid.d2(), shape, examples) : null};
        x.close();
        return new Prepared() {
            @Override
            public Worker worker() {
                return new Buffers(shape, examples, direct, first, grid, lossOf);
            }
        };
    }

    /**
     * One thread's buffers: nothing is shared between workers but the read-only inputs. A point is
     * computed block by block of {@link #BLOCK} examples, each block through all the layers, so
     * its activations stay in cache instead of streaming whole-data-set matrices through memory.
     * Matrices are kept as one Java array per column and every inner loop runs over a whole
     * column from index 0: that is the form the JIT turns into vector instructions (a loop over
     * an array from a variable offset stays scalar, several times slower).
     */
    private static final class Buffers implements Worker {
        private final GridRequest request;
        private final LossFunction lossOf;
        private final Activation[] activations; // hidden layers; the output layer's pre-activations go to the loss
        private final int examples;
        private final int layers;
        private final int[] ins;
        private final int[] outs;
        private final int[] wOffsets;
        private final int[] bOffsets;
        private final boolean direct;
        private final float[][] x;      // direct: the inputs, one array per input
        private final float[][] base;   // affine: XW + c, X U + u, X V + v, one array per unit
        private final float[][] along1;
        private final float[][] along2;
        private final float[][] row;    // affine: base + a along1, for the current grid row
        private final float[][] part;   // direct: a block of x
        private final float[][] h;      // a block's activations, one array per unit
        private final float[][] out;    // a block's outputs, one array per output
        private final float[][] wJava;  // layer l's weights as the point has them; hidden layers: [nIn + 1, nOut], bias as last row
        private final float[][] bJava;
        private final INDArray[][] in;  // [block size][layer]: hidden layer input [block, nIn + 1], last column ones
        private final INDArray[][] z;
        private final INDArray[] w;
        private final float[] logits;
        private int currentRow = -1;

        Buffers(DenseNet shape, int examples, boolean direct, float[][][] first, GridRequest request, LossFunction lossOf) {
            this.request = request;
            this.lossOf = lossOf;
            this.examples = examples;
            this.direct = direct;
            layers = shape.layers();
            ins = new int[layers];
            outs = new int[layers];
            wOffsets = new int[layers];
            bOffsets = new int[layers];
            activations = new Activation[layers];
            int widest = 0;
            for (int l = 0; l < layers; l++) {
                ins[l] = shape.in(l);
                outs[l] = shape.out(l);
                wOffsets[l] = shape.weightOffset(l);
                bOffsets[l] = shape.biasOffset(l);
                activations[l] = l < layers - 1 ? shape.activation(l) : Activation.IDENTITY;
                widest = Math.max(widest, outs[l]);
            }
            int block = Math.min(BLOCK, examples);
            x = direct ? first[0] : null;
            base = direct ? null : first[0];
            along1 = direct ? null : first[1];
            along2 = direct ? null : first[2];
            row = direct ? null : new float[outs[0]][examples];
            part = direct ? new float[ins[0]][block] : null;
            int last = layers - 1;
            h = new float[widest][block];
            out = new float[outs[last]][block];
            wJava = new float[layers][];
            bJava = new float[layers][];
            for (int l = 0; l < layers; l++) {
                boolean blas = l > 0 && l < last;
                wJava[l] = new float[(ins[l] + (blas ? 1 : 0)) * outs[l]];
                bJava[l] = new float[outs[l]];
            }
            // BLAS buffers for the full block and for the last, shorter one
            int[] sizes = {block, examples % block};
            in = new INDArray[2][layers];
            z = new INDArray[2][layers];
            w = new INDArray[layers];
            for (int l = 1; l < last; l++) {
                w[l] = Nd4j.create(DataType.FLOAT, new long[] {ins[l] + 1, outs[l]}, 'f');
                for (int s = 0; s < 2; s++) {
                    if (sizes[s] > 0) {
                        in[s][l] = Nd4j.create(DataType.FLOAT, new long[] {sizes[s], ins[l] + 1}, 'f');
                        in[s][l].putColumn(ins[l], Nd4j.ones(DataType.FLOAT, sizes[s], 1));
                        z[s][l] = Nd4j.create(DataType.FLOAT, new long[] {sizes[s], outs[l]}, 'f');
                    }
                }
            }
            logits = new float[examples * outs[last]];
        }

        @Override
        public double[] point(int i, int j) {
            double a = request.alphas()[i];
            double b = request.betas()[j];
            int last = layers - 1;
            if (direct) {
                fill(wJava[0], wOffsets[0], a, b);
                fill(bJava[0], bOffsets[0], a, b);
            } else if (i != currentRow) {
                float af = (float) a;
                for (int k = 0; k < row.length; k++) {
                    axpy(row[k], base[k], af, along1[k], examples);
                }
                currentRow = i;
            }
            for (int l = 1; l < last; l++) {
                fillWithBias(l, a, b);
                w[l].data().asNioFloat().put(wJava[l]);
            }
            if (last > 0) {
                fill(wJava[last], wOffsets[last], a, b);
                fill(bJava[last], bOffsets[last], a, b);
            }
            int block = Math.min(BLOCK, examples);
            for (int from = 0; from < examples; from += block) {
                int size = Math.min(block, examples - from);
                int s = size == block ? 0 : 1;
                float[][] current = last == 0 ? out : h;
                firstLayer(from, size, (float) b, current, activations[0]);
                if (last > 0) {
                    for (int l = 1; l < last; l++) {
                        // [h, 1] [W; b]: the bias rides along as the last input
                        FloatBuffer input = in[s][l].data().asNioFloat();
                        for (int k = 0; k < ins[l]; k++) {
                            input.put(h[k], 0, size);
                        }
                        Nd4j.getBlasWrapper().level3().gemm('f', 'N', 'N', 1.0, in[s][l], w[l], 0.0, z[s][l]); // straight to sgemm, without an op per call
                        FloatBuffer result = z[s][l].data().asNioFloat();
                        for (int o = 0; o < outs[l]; o++) {
                            result.get(h[o], 0, size);
                            activations[l].apply(h[o], size);
                        }
                    }
                    outputLayer(size);
                }
                int cols = outs[last];
                for (int c = 0; c < cols; c++) {
                    float[] oc = out[c];
                    for (int n = 0, at = from * cols + c; n < size; n++, at += cols) {
                        logits[at] = oc[n];
                    }
                }
            }
            return lossOf.metrics(logits, examples, outs[last]);
        }

        /** The first layer's activations of examples [from, from + size) into {@code into}. */
        private void firstLayer(int from, int size, float bf, float[][] into, Activation activation) {
            int units = outs[0];
            if (direct) {
                int nIn = ins[0];
                for (int q = 0; q < nIn; q++) {
                    System.arraycopy(x[q], from, part[q], 0, size);
                }
                float[] wl = wJava[0];
                for (int k = 0; k < units; k++) {
                    float[] hk = into[k];
                    Arrays.fill(hk, 0, size, bJava[0][k]);
                    int q = 0;
                    for (; q + 4 <= nIn; q += 4) { // four inputs per pass over the block
                        int at = q + k * nIn;
                        float w0 = wl[at];
                        float w1 = wl[at + 1];
                        float w2 = wl[at + 2];
                        float w3 = wl[at + 3];
                        float[] x0 = part[q];
                        float[] x1 = part[q + 1];
                        float[] x2 = part[q + 2];
                        float[] x3 = part[q + 3];
                        for (int n = 0; n < size; n++) {
                            hk[n] += x0[n] * w0 + x1[n] * w1 + x2[n] * w2 + x3[n] * w3;
                        }
                    }
                    for (; q < nIn; q++) {
                        axpy(hk, hk, wl[q + k * nIn], part[q], size);
                    }
                    activation.apply(hk, size);
                }
            } else {
                for (int k = 0; k < units; k++) {
                    float[] hk = into[k];
                    float[] rk = row[k];
                    if (along2 != null) {
                        float[] vk = along2[k];
                        for (int n = 0; n < size; n++) { // the grid row's pre-activations plus b (XV + v), in one pass
                            hk[n] = rk[from + n] + bf * vk[from + n];
                        }
                    } else {
                        System.arraycopy(rk, from, hk, 0, size);
                    }
                    activation.apply(hk, size);
                }
            }
        }

        /** The output layer of a block, in Java: it has a handful of outputs. */
        private void outputLayer(int size) {
            int last = layers - 1;
            int nIn = ins[last];
            float[] wl = wJava[last];
            for (int c = 0; c < outs[last]; c++) {
                float[] oc = out[c];
                Arrays.fill(oc, 0, size, bJava[last][c]);
                int k = 0;
                // four inputs per pass over the block, each added in turn: the sums and their rounding are those of
                // one input per pass, with a quarter of the passes over oc
                for (; k + 4 <= nIn; k += 4) {
                    int at = k + c * nIn;
                    float w0 = wl[at];
                    float w1 = wl[at + 1];
                    float w2 = wl[at + 2];
                    float w3 = wl[at + 3];
                    float[] h0 = h[k];
                    float[] h1 = h[k + 1];
                    float[] h2 = h[k + 2];
                    float[] h3 = h[k + 3];
                    for (int n = 0; n < size; n++) {
                        float v = oc[n] + w0 * h0[n];
                        v = v + w1 * h1[n];
                        v = v + w2 * h2[n];
                        oc[n] = v + w3 * h3[n];
                    }
                }
                for (; k < nIn; k++) {
                    axpy(oc, oc, wl[k + c * nIn], h[k], size);
                }
            }
        }

        /** Hidden layer l's {@code [nIn + 1, nOut]} column-major weights, the bias as the last row. */
        private void fillWithBias(int l, double a, double b) {
            int nIn = ins[l];
            int nOut = outs[l];
            float[] c = request.centre();
            float[] d1 = request.d1();
            float[] d2 = request.d2();
            float[] target = wJava[l];
            for (int o = 0; o < nOut; o++) {
                for (int k = 0; k < nIn; k++) {
                    target[k + o * (nIn + 1)] = value(c, d1, d2, wOffsets[l] + k + o * nIn, a, b);
                }
                target[nIn + o * (nIn + 1)] = value(c, d1, d2, bOffsets[l] + o, a, b);
            }
        }

        /** {@code target[k] = centre + a d1 + b d2} at {@code from + k}. */
        private void fill(float[] target, int from, double a, double b) {
            float[] c = request.centre();
            float[] d1 = request.d1();
            float[] d2 = request.d2();
            for (int k = 0; k < target.length; k++) {
                target[k] = value(c, d1, d2, from + k, a, b);
            }
        }

        @Override
        public void close() {
            for (INDArray[] arrays : new INDArray[][] {in[0], in[1], z[0], z[1], w}) {
                for (INDArray array : arrays) {
                    if (array != null) {
                        array.close();
                    }
                }
            }
        }
    }

    /** {@code y[n] = x[n] + a v[n]} for n below {@code size}; from index 0, so the JIT vectorises it. */
    private static void axpy(float[] y, float[] x, float a, float[] v, int size) {
        for (int n = 0; n < size; n++) {
            y[n] = x[n] + a * v[n];
        }
    }

    /** A column-major {@code [rows, cols]} matrix as one array per column. */
    private static float[][] columns(float[] columnMajor, int rows) {
        float[][] out = new float[columnMajor.length / rows][];
        for (int c = 0; c < out.length; c++) {
            out[c] = Arrays.copyOfRange(columnMajor, c * rows, (c + 1) * rows);
        }
        return out;
    }

    /** One parameter of {@code centre + a d1 + b d2}, in double and rounded once, like the plain path. */
    private static float value(float[] centre, float[] d1, float[] d2, int k, double a, double b) {
        return (float) (d2 == null ? centre[k] + a * d1[k] : centre[k] + a * d1[k] + b * d2[k]);
    }

    /** {@code X W + 1 c^T} for the first layer's blocks of {@code vector}, column-major. */
    private static float[][] firstLayer(INDArray x, float[] vector, DenseNet shape, int examples) {
        int nIn = shape.in(0);
        int nOut = shape.out(0);
        int w = shape.weightOffset(0);
        int b = shape.biasOffset(0);
        INDArray all = Nd4j.createFromArray(vector);
        INDArray weights = all.get(NDArrayIndex.interval(w, w + nIn * nOut)).reshape('f', nIn, nOut).dup('f');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {examples, nOut}, 'f');
        Nd4j.gemm(x, weights, out, false, false, 1.0, 0.0);
        out.addiRowVector(all.get(NDArrayIndex.interval(b, b + nOut)).reshape(1, nOut).dup());
        float[][] values = columns(out.data().asFloat(), examples);
        for (INDArray a : new INDArray[] {all, weights, out}) {
            a.close();
        }
        return values;
    }
}
