package losssurface.nn.dense;

import losssurface.api.curvature.HessianOperator;

/**
 * The exact Hessian of a dense network's mean loss over a data set, applied to vectors:
 * forward-over-reverse differentiation (Pearlmutter's R-operator). Along a direction v the
 * forward pass carries each pre-activation's and activation's directional derivative (R{z},
 * R{a}), and the backward pass each delta's (R{delta}); the weights' R{gradient} is then
 * {@code R{a_in}^T delta + a_in^T R{delta}}, which is Hv. In double precision, one example at a
 * time; a product costs about four gradients' arithmetic.
 *
 * <p>Losses: softmax cross-entropy of the logits (mean over examples, one-hot or soft targets) or
 * DL4J's MSE (mean over examples of the mean squared error over outputs). Hidden activations:
 * those of {@link Activation}, with their second derivatives (relu's is zero off its kink).
 */
public final class DenseHessian implements HessianOperator {

    private final DenseNet shape;
    private final double[] params;
    private final float[] features;
    private final float[] labels;
    private final int examples;
    private final boolean crossEntropy;
    private final int layers;
    private final int[] sizes;

    /**
     * @param params       the point, in DL4J's flat order
     * @param features     row-major {@code [examples, inputs]}
     * @param labels       row-major {@code [examples, outputs]}: targets of the cross-entropy (one-hot or soft) or of the MSE
     * @param crossEntropy softmax cross-entropy of the logits; else MSE of the identity output
     */
    public DenseHessian(DenseNet shape, float[] params, float[] features, float[] labels, int examples, boolean crossEntropy) {
        this(shape, widen(params), features, labels, examples, crossEntropy);
    }

    /** The same at a point given in double (e.g. for finite differences of {@link #gradient()}). */
    public DenseHessian(DenseNet shape, double[] params, float[] features, float[] labels, int examples, boolean crossEntropy) {
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
        this.features = features;
        this.labels = labels;
        this.examples = examples;
        this.crossEntropy = crossEntropy;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
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
        return "exact (R-operator: forward-over-reverse through the dense engine's backpropagation, in double)";
    }

    @Override
    public void apply(double[] v, double[] out) {
        pass(v, out, null);
    }

    /** The gradient of the mean loss, in double (the same pass without a direction). */
    public double[] gradient() {
        double[] g = new double[params.length];
        pass(null, null, g);
        return g;
    }

    /** The mean loss, in double. */
    public double loss() {
        double[] total = new double[1];
        double[][] a = new double[layers + 1][];
        double[][] z = new double[layers][];
        for (int n = 0; n < examples; n++) {
            forward(n, a, z);
            total[0] += lossOf(n, z[layers - 1]);
        }
        return total[0] / examples;
    }

    private double lossOf(int n, double[] logits) {
        int c = sizes[layers];
        if (crossEntropy) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : logits) {
                max = Math.max(max, x);
            }
            double sum = 0;
            for (double x : logits) {
                sum += Math.exp(x - max);
            }
            double lse = max + Math.log(sum);
            double loss = 0;
            for (int k = 0; k < c; k++) {
                loss += labels[n * c + k] * (lse - logits[k]);
            }
            return loss;
        }
        double loss = 0;
        for (int k = 0; k < c; k++) {
            double e = logits[k] - labels[n * c + k];
            loss += e * e / c;
        }
        return loss;
    }

    private void forward(int n, double[][] a, double[][] z) {
        a[0] = new double[sizes[0]];
        for (int i = 0; i < sizes[0]; i++) {
            a[0][i] = features[n * sizes[0] + i];
        }
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            double[] zl = new double[nOut];
            for (int j = 0; j < nOut; j++) {
                double s = params[b + j];
                int col = w + j * nIn;
                for (int i = 0; i < nIn; i++) {
                    s += a[l][i] * params[col + i];
                }
                zl[j] = s;
            }
            z[l] = zl;
            if (l < layers - 1) {
                Activation f = shape.activation(l);
                double[] al = new double[nOut];
                for (int j = 0; j < nOut; j++) {
                    al[j] = f.apply(zl[j]);
                }
                a[l + 1] = al;
            }
        }
    }

    /** Hv into {@code hv} (when v is given) or the gradient into {@code g} (when v is null). */
    private void pass(double[] v, double[] hv, double[] g) {
        boolean r = v != null;
        double[] target = r ? hv : g;
        java.util.Arrays.fill(target, 0);
        double[][] a = new double[layers + 1][];
        double[][] z = new double[layers][];
        double[][] ra = new double[layers + 1][];
        double[][] rz = new double[layers][];
        int classes = sizes[layers];
        for (int n = 0; n < examples; n++) {
            forward(n, a, z);
            if (r) { // R forward: R{z_l} = R{a_{l-1}} W + a_{l-1} V_W + V_b
                ra[0] = new double[sizes[0]];
                for (int l = 0; l < layers; l++) {
                    int nIn = sizes[l];
                    int nOut = sizes[l + 1];
                    int w = shape.weightOffset(l);
                    int b = shape.biasOffset(l);
                    double[] rzl = new double[nOut];
                    for (int j = 0; j < nOut; j++) {
                        double s = v[b + j];
                        int col = w + j * nIn;
                        for (int i = 0; i < nIn; i++) {
                            s += ra[l][i] * params[col + i] + a[l][i] * v[col + i];
                        }
                        rzl[j] = s;
                    }
                    rz[l] = rzl;
                    if (l < layers - 1) {
                        Activation f = shape.activation(l);
                        double[] ral = new double[nOut];
                        for (int j = 0; j < nOut; j++) {
                            ral[j] = first(f, z[l][j]) * rzl[j];
                        }
                        ra[l + 1] = ral;
                    }
                }
            }
            // the output's delta and its R
            double[] zl = z[layers - 1];
            double[] delta = new double[classes];
            double[] rdelta = r ? new double[classes] : null;
            if (crossEntropy) {
                double max = Double.NEGATIVE_INFINITY;
                for (double x : zl) {
                    max = Math.max(max, x);
                }
                double sum = 0;
                double[] p = new double[classes];
                for (int k = 0; k < classes; k++) {
                    p[k] = Math.exp(zl[k] - max);
                    sum += p[k];
                }
                double sy = 0;
                for (int k = 0; k < classes; k++) {
                    p[k] /= sum;
                    sy += labels[n * classes + k];
                }
                double pr = 0;
                if (r) {
                    for (int k = 0; k < classes; k++) {
                        pr += p[k] * rz[layers - 1][k];
                    }
                }
                for (int k = 0; k < classes; k++) {
                    delta[k] = (sy * p[k] - labels[n * classes + k]) / examples;
                    if (r) {
                        rdelta[k] = sy * p[k] * (rz[layers - 1][k] - pr) / examples;
                    }
                }
            } else {
                for (int k = 0; k < classes; k++) {
                    delta[k] = 2 * (zl[k] - labels[n * classes + k]) / classes / examples;
                    if (r) {
                        rdelta[k] = 2 * rz[layers - 1][k] / classes / examples;
                    }
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                int w = shape.weightOffset(l);
                int b = shape.biasOffset(l);
                for (int j = 0; j < nOut; j++) {
                    int col = w + j * nIn;
                    if (r) {
                        for (int i = 0; i < nIn; i++) {
                            target[col + i] += ra[l][i] * delta[j] + a[l][i] * rdelta[j];
                        }
                        target[b + j] += rdelta[j];
                    } else {
                        for (int i = 0; i < nIn; i++) {
                            target[col + i] += a[l][i] * delta[j];
                        }
                        target[b + j] += delta[j];
                    }
                }
                if (l == 0) {
                    break;
                }
                Activation f = shape.activation(l - 1);
                double[] below = new double[nIn];
                double[] rbelow = r ? new double[nIn] : null;
                for (int i = 0; i < nIn; i++) {
                    double back = 0;
                    double rback = 0;
                    for (int j = 0; j < nOut; j++) {
                        int at = w + j * nIn + i;
                        back += params[at] * delta[j];
                        if (r) {
                            rback += params[at] * rdelta[j] + v[at] * delta[j];
                        }
                    }
                    double zi = z[l - 1][i];
                    below[i] = back * first(f, zi);
                    if (r) {
                        rbelow[i] = rback * first(f, zi) + back * second(f, zi) * rz[l - 1][i];
                    }
                }
                delta = below;
                rdelta = rbelow;
            }
        }
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
