package losssurface.nn.dense;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.curvature.HessianOperator;

/**
 * The exact Hessian of a dense network's mean loss over a data set, applied to vectors:
 * forward-over-reverse differentiation (Pearlmutter's R-operator). Along a direction v the
 * forward pass carries each pre-activation's and activation's directional derivative (R{Z},
 * R{A}), and the backward pass each delta's (R{D}); the weights' R{gradient} is then
 * {@code R{A_in}^T D + A_in^T R{D}}, which is Hv.
 *
 * <p>Over blocks of {@link #BLOCK} examples, every product of a block and a weight matrix one BLAS
 * call, the blocks shared out over the machine's cores (each with one BLAS thread) and their parts
 * added in block order, so that the result does not depend on the number of cores. In float32 as
 * PyTorch and PyHessian compute (the blocks' parts added in double), or in double
 * ({@link Precision}). What does not depend on v (the activations, their first and second
 * derivatives and the backpropagated deltas at the point) is computed once, at construction, and
 * kept: about {@code 4 * examples * (inputs + 4 * hidden units + 3 * outputs)} bytes in float32. A
 * product then takes, per layer, the R-forward product(s), the two weight-gradient products and
 * the two backward ones: about a gradient's arithmetic (the first layer's products with the inputs
 * dominate, and a product has two of them, as a gradient has).
 *
 * <p>Losses: softmax cross-entropy of the logits (mean over examples, one-hot or soft targets),
 * DL4J's MSE (mean over examples of the mean squared error over outputs), or a weighted squared
 * error (mean over examples of {@code sum_k w_k (z_k - y_k)^2}; e.g. a Q-network's TD loss with
 * frozen targets: weight 1 on the action taken, 0 elsewhere). Hidden activations:
 * those of {@link Activation}, with their second derivatives (relu's is zero off its kink).
 */
public final class DenseHessian implements HessianOperator {

    /** Examples per block of the batched passes. */
    static final int BLOCK = 2500;

    /** The arithmetic of the passes. */
    public enum Precision {
        /** float32 products and activations, as PyTorch computes; the blocks' parts added in double. */
        FLOAT,
        /** double throughout: a reference. */
        DOUBLE
    }

    private final DenseNet shape;
    private final double[] params;
    private final int examples;
    private final boolean crossEntropy;
    private final Precision precision;
    private final DataType type;
    private final float[] weights;       // per output of each example for the squared error; null: 1 / outputs (MSE)
    private final int layers;
    private final int[] sizes;
    private final INDArray[] w;          // [nIn, nOut] per layer
    private final List<Block> blocks = new ArrayList<>();
    private final double loss;
    private final double[] gradient;

    /** What one block of examples holds at the point. */
    private final class Block {
        final int rows;
        final INDArray x;                              // [rows, inputs]
        final INDArray[] a = new INDArray[layers];     // hidden activations [rows, nOut]
        final INDArray[] d1 = new INDArray[layers];    // f'(Z) of hidden layers
        final INDArray[] g = new INDArray[layers];     // (D W^T) * f''(Z) of hidden layers; null where f'' is zero
        final INDArray[] delta = new INDArray[layers]; // dLoss/dZ (of the data set's mean loss) [rows, nOut]
        INDArray p;                                    // softmax probabilities (cross-entropy)
        INDArray w;                                    // the squared error's weights, or null for 1 / outputs
        INDArray sy;                                   // each row's target sum [rows, 1] (cross-entropy)

        Block(int rows, INDArray x) {
            this.rows = rows;
            this.x = x;
        }
    }

    /**
     * @param params       the point, in DL4J's flat order
     * @param features     row-major {@code [examples, inputs]}
     * @param labels       row-major {@code [examples, outputs]}: targets of the cross-entropy (one-hot or soft) or of the MSE
     * @param crossEntropy softmax cross-entropy of the logits; else MSE of the identity output
     */
    public DenseHessian(DenseNet shape, float[] params, float[] features, float[] labels, int examples, boolean crossEntropy) {
        this(shape, widen(params), features, labels, examples, crossEntropy, null, BLOCK, Precision.FLOAT);
    }

    /** The same at a point given in double, in {@code precision}. */
    public DenseHessian(DenseNet shape, double[] params, float[] features, float[] labels, int examples, boolean crossEntropy,
                        Precision precision) {
        this(shape, params, features, labels, examples, crossEntropy, null, BLOCK, precision);
    }

    /**
     * The weighted squared error {@code mean over examples of sum_k w_k (z_k - y_k)^2} of an identity output.
     *
     * @param weights row-major {@code [examples, outputs]}
     */
    public static DenseHessian squaredError(DenseNet shape, float[] params, float[] features, float[] targets, float[] weights,
                                            int examples) {
        if (weights.length != targets.length) {
            throw new IllegalArgumentException("need a weight per target, got " + weights.length + " and " + targets.length);
        }
        return new DenseHessian(shape, widen(params), features, targets, examples, false, weights, BLOCK, Precision.FLOAT);
    }

    /** The same in blocks of {@code block} examples. */
    DenseHessian(DenseNet shape, double[] params, float[] features, float[] labels, int examples, boolean crossEntropy, int block,
                 Precision precision) {
        this(shape, params, features, labels, examples, crossEntropy, null, block, precision);
    }

    private DenseHessian(DenseNet shape, double[] params, float[] features, float[] labels, int examples, boolean crossEntropy,
                         float[] weights, int block, Precision precision) {
        this.weights = weights;
        this.precision = precision;
        this.type = precision == Precision.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        this.shape = shape;
        this.layers = shape.layers();
        this.sizes = new int[layers + 1];
        for (int l = 0; l < layers; l++) {
            sizes[l] = shape.in(l);
            sizes[l + 1] = shape.out(l);
        }
        if (params.length != shape.parameters()) {
            throw new IllegalArgumentException("the point has " + params.length + " parameters, the network " + shape.parameters());
        }
        if (examples < 1 || features.length != examples * sizes[0] || labels.length != examples * sizes[layers]) {
            throw new IllegalArgumentException("need " + examples + " examples of " + sizes[0] + " inputs and " + sizes[layers]
                    + " targets, got " + features.length + " and " + labels.length + " values");
        }
        this.params = params.clone();
        this.examples = examples;
        this.crossEntropy = crossEntropy;
        this.w = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = weights(this.params, l);
        }
        int count = (examples + block - 1) / block;
        double[][] grads = new double[count][];
        double[] losses = new double[count];
        Block[] made = new Block[count];
        forEachBlock(count, k -> {
            int from = k * block;
            int rows = Math.min(block, examples - from);
            made[k] = new Block(rows, inputs(features, from, rows));
            grads[k] = new double[params.length];
            losses[k] = atPoint(made[k], labels, from, grads[k]);
        });
        blocks.addAll(List.of(made));
        double total = 0;
        double[] grad = new double[params.length];
        for (int k = 0; k < count; k++) { // in block order, whatever the cores
            total += losses[k];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += grads[k][i];
            }
        }
        this.loss = total / examples;
        this.gradient = grad;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * Runs {@code task} for blocks {@code 0 .. count - 1} on up to the machine's cores (each calling thread has one BLAS
     * thread), each block once; rethrows the first failure.
     */
    private static void forEachBlock(int count, java.util.function.IntConsumer task) {
        int workers = Math.min(count, losssurface.api.RunContext.cores());
        if (workers <= 1) {
            for (int k = 0; k < count; k++) {
                task.accept(k);
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[workers];
        for (int t = 0; t < workers; t++) {
            threads[t] = new Thread(() -> {
                for (int k = next.getAndIncrement(); k < count && failed.get() == null; k = next.getAndIncrement()) {
                    try {
                        task.accept(k);
                    } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                    }
                }
            }, "hessian-block-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing Hessian-vector products", e);
            }
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    /** A column-major matrix of {@code values} in the passes' precision. */
    private INDArray matrix(double[] values, long[] shape, char order) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, order);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, order);
    }

    /** Layer l's block of {@code vector} as a column-major {@code [nIn, nOut]} matrix. */
    private INDArray weights(double[] vector, int l) {
        int at = shape.weightOffset(l);
        return matrix(java.util.Arrays.copyOfRange(vector, at, at + sizes[l] * sizes[l + 1]), new long[] {sizes[l], sizes[l + 1]}, 'f');
    }

    /** Layer l's bias part of {@code vector}, {@code [1, nOut]}. */
    private INDArray bias(double[] vector, int l) {
        int at = shape.biasOffset(l);
        return matrix(java.util.Arrays.copyOfRange(vector, at, at + sizes[l + 1]), new long[] {1, sizes[l + 1]}, 'c');
    }

    /** The network's shape. */
    DenseNet shape() {
        return shape;
    }

    @Override
    public int dimension() {
        return params.length;
    }

    @Override
    public String method() {
        return "exact (R-operator: forward-over-reverse through the dense engine's backpropagation, in "
                + (precision == Precision.FLOAT ? "float32, blocks added in double" : "double") + ")";
    }

    /** The gradient of the mean loss, in double. */
    public double[] gradient() {
        return gradient.clone();
    }

    /** The mean loss, in double. */
    public double loss() {
        return loss;
    }

    /**
     * Fills block {@code b} with examples {@code from ..}: the forward pass, the output's delta and the
     * backward pass at the point; adds the block's part of the gradient to {@code grad} and returns its
     * summed loss.
     */
    private double atPoint(Block b, float[] labels, int from, double[] grad) {
        int rows = b.rows;
        INDArray in = b.x;
        double[] logits = null;
        for (int l = 0; l < layers; l++) {
            INDArray z = Nd4j.create(type, new long[] {rows, sizes[l + 1]}, 'f');
            Nd4j.gemm(in, w[l], z, false, false, 1.0, 0.0);
            z.addiRowVector(bias(params, l));
            double[] zs = z.dup('f').data().asDouble();
            if (l == layers - 1) {
                logits = zs;
                break;
            }
            Activation f = shape.activation(l);
            double[] as = new double[zs.length];
            double[] d1 = new double[zs.length];
            double[] d2 = f == Activation.RELU || f == Activation.IDENTITY ? null : new double[zs.length];
            for (int k = 0; k < zs.length; k++) {
                as[k] = f.apply(zs[k]);
                d1[k] = first(f, zs[k]);
                if (d2 != null) {
                    d2[k] = second(f, zs[k]);
                }
            }
            long[] s = {rows, sizes[l + 1]};
            b.a[l] = matrix(as, s, 'f');
            b.d1[l] = matrix(d1, s, 'f');
            b.g[l] = d2 == null ? null : matrix(d2, s, 'f'); // times D W^T below
            in = b.a[l];
        }
        int c = sizes[layers];
        double[] delta = new double[rows * c];
        double[] p = crossEntropy ? new double[rows * c] : null;
        double[] sy = crossEntropy ? new double[rows] : null;
        double[] ws = weights == null ? null : new double[rows * c];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int label = (from + r) * c;
            if (crossEntropy) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, logits[k * rows + r]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(logits[k * rows + r] - max);
                }
                double lse = max + Math.log(sum);
                for (int k = 0; k < c; k++) {
                    double y = labels[label + k];
                    total += y * (lse - logits[k * rows + r]);
                    sy[r] += y;
                    p[k * rows + r] = Math.exp(logits[k * rows + r] - lse);
                }
                for (int k = 0; k < c; k++) {
                    delta[k * rows + r] = (sy[r] * p[k * rows + r] - labels[label + k]) / examples;
                }
            } else {
                for (int k = 0; k < c; k++) {
                    double e = logits[k * rows + r] - labels[label + k];
                    double wk = weights == null ? 1.0 / c : weights[label + k];
                    if (ws != null) {
                        ws[k * rows + r] = wk;
                    }
                    total += wk * e * e;
                    delta[k * rows + r] = 2 * wk * e / examples;
                }
            }
        }
        long[] out = {rows, c};
        b.delta[layers - 1] = matrix(delta, out, 'f');
        if (crossEntropy) {
            b.p = matrix(p, out, 'f');
            b.sy = matrix(sy, new long[] {rows, 1}, 'f');
        }
        if (ws != null) {
            b.w = matrix(ws, out, 'f');
        }
        for (int l = layers - 1; l >= 0; l--) {
            INDArray input = l == 0 ? b.x : b.a[l - 1];
            INDArray gw = Nd4j.create(type, new long[] {sizes[l], sizes[l + 1]}, 'f');
            Nd4j.gemm(input, b.delta[l], gw, true, false, 1.0, 0.0);
            add(gw, grad, shape.weightOffset(l));
            gw.close();
            add(b.delta[l].sum(0), grad, shape.biasOffset(l));
            if (l > 0) {
                INDArray back = Nd4j.create(type, new long[] {rows, sizes[l]}, 'f');
                Nd4j.gemm(b.delta[l], w[l], back, false, true, 1.0, 0.0);
                b.delta[l - 1] = back.mul(b.d1[l - 1]);
                if (b.g[l - 1] != null) {
                    b.g[l - 1] = back.muli(b.g[l - 1]);
                }
            }
        }
        return total;
    }

    /** Examples {@code from .. from + rows} of the row-major {@code features}, {@code [rows, inputs]} in double. */
    private INDArray inputs(float[] features, int from, int rows) {
        int n0 = sizes[0];
        double[] x = new double[rows * n0];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n0; i++) {
                x[i * rows + r] = features[(from + r) * n0 + i];
            }
        }
        return matrix(x, new long[] {rows, n0}, 'f');
    }

    /** Adds {@code m}'s entries, in column-major order, to {@code target} from {@code at}. */
    private static void add(INDArray m, double[] target, int at) {
        double[] values = m.dup('f').data().asDouble();
        for (int i = 0; i < values.length; i++) {
            target[at + i] += values[i];
        }
    }

    @Override
    public void apply(double[] v, double[] out) {
        if (v.length != params.length || out.length != params.length) {
            throw new IllegalArgumentException("vectors of " + params.length + " entries, got " + v.length + " and " + out.length);
        }
        INDArray[] vw = new INDArray[layers];
        INDArray[] vb = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            vw[l] = weights(v, l);
            vb[l] = bias(v, l);
        }
        double[][] parts = new double[blocks.size()][];
        forEachBlock(blocks.size(), k -> parts[k] = product(blocks.get(k), vw, vb));
        java.util.Arrays.fill(out, 0);
        for (double[] part : parts) { // in block order, whatever the cores
            for (int i = 0; i < out.length; i++) {
                out[i] += part[i];
            }
        }
        for (int l = 0; l < layers; l++) {
            vw[l].close();
            vb[l].close();
        }
    }

    /** Block b's part of Hv, v given as each layer's weights {@code vw} and bias {@code vb}. */
    private double[] product(Block b, INDArray[] vw, INDArray[] vb) {
        List<INDArray> made = new ArrayList<>(); // the block's arrays, freed at its end (not left to the collector)
        INDArray[] hw = new INDArray[layers];
        INDArray[] hb = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            hw[l] = made(made, Nd4j.create(type, new long[] {sizes[l], sizes[l + 1]}, 'f'));
            hb[l] = made(made, Nd4j.create(type, 1, sizes[l + 1]));
        }
        INDArray[] rz = new INDArray[layers];
        INDArray[] ra = new INDArray[layers];
        for (int l = 0; l < layers; l++) { // R{Z_l} = R{A_l-1} W_l + A_l-1 V_l + v_b
            INDArray z = made(made, Nd4j.create(type, new long[] {b.rows, sizes[l + 1]}, 'f'));
            if (l == 0) {
                Nd4j.gemm(b.x, vw[0], z, false, false, 1.0, 0.0);
            } else {
                Nd4j.gemm(ra[l - 1], w[l], z, false, false, 1.0, 0.0);
                Nd4j.gemm(b.a[l - 1], vw[l], z, false, false, 1.0, 1.0);
            }
            rz[l] = z.addiRowVector(vb[l]);
            if (l < layers - 1) {
                ra[l] = made(made, rz[l].mul(b.d1[l]));
            }
        }
        INDArray rd;
        INDArray top = rz[layers - 1];
        if (crossEntropy) { // R{D} = sy * p * (R{z} - sum_k p_k R{z_k}) / N
            INDArray mean = made(made, made(made, b.p.mul(top)).sum(true, 1));
            rd = made(made, top.subColumnVector(mean)).muli(b.p).muliColumnVector(b.sy).divi(examples);
        } else if (b.w == null) {
            rd = made(made, top.mul(2.0 / sizes[layers] / examples));
        } else {
            rd = made(made, top.mul(b.w)).muli(2.0 / examples);
        }
        for (int l = layers - 1; l >= 0; l--) {
            INDArray input = l == 0 ? b.x : b.a[l - 1];
            Nd4j.gemm(input, rd, hw[l], true, false, 1.0, 1.0);
            if (l > 0) {
                Nd4j.gemm(ra[l - 1], b.delta[l], hw[l], true, false, 1.0, 1.0);
            }
            hb[l].addi(made(made, rd.sum(true, 0)));
            if (l > 0) { // R{D_l-1} = (R{D} W^T + D V^T) f'(Z) + (D W^T) f''(Z) R{Z}
                INDArray rback = made(made, Nd4j.create(type, new long[] {b.rows, sizes[l]}, 'f'));
                Nd4j.gemm(rd, w[l], rback, false, true, 1.0, 0.0);
                Nd4j.gemm(b.delta[l], vw[l], rback, false, true, 1.0, 1.0);
                rd = rback.muli(b.d1[l - 1]);
                if (b.g[l - 1] != null) {
                    rd.addi(made(made, b.g[l - 1].mul(rz[l - 1])));
                }
            }
        }
        double[] part = new double[params.length];
        for (int l = 0; l < layers; l++) {
            add(hw[l], part, shape.weightOffset(l));
            add(hb[l], part, shape.biasOffset(l));
        }
        made.forEach(INDArray::close);
        return part;
    }

    private static INDArray made(List<INDArray> made, INDArray m) {
        made.add(m);
        return m;
    }

    private static double first(Activation f, double z) {
        return switch (f) {
            case RELU -> z > 0 ? 1 : 0;
            case IDENTITY -> 1;
            case TANH -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s);
            }
        };
    }

    private static double second(Activation f, double z) {
        return switch (f) {
            case RELU, IDENTITY -> 0;
            case TANH -> {
                double t = Math.tanh(z);
                yield -2 * t * (1 - t * t);
            }
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s) * (1 - 2 * s);
            }
        };
    }
}
