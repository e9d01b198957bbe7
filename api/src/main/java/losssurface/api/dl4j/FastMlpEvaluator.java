package losssurface.api.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Progress;

/**
 * Evaluates a whole grid for a multilayer perceptron (dense layers and a dense output layer)
 * faster than setting the parameters and scoring point by point.
 *
 * <ul>
 *   <li>The first layer is affine in its parameters: with the point's first-layer weights
 *   {@code W + a U + b V} and bias {@code c + a u + b v}, its pre-activations are
 *   {@code (XW + c) + a (XU + u) + b (XV + v)}. The three {@code [examples, units]} matrices are
 *   computed once per surface, so the largest matrix product (784 inputs for MNIST) is paid three
 *   times per surface instead of once per point. {@code (XW + c) + a (XU + u)} is shared by a
 *   whole row of the grid; each point adds {@code b (XV + v)} in one fused pass.</li>
 *   <li>Only the later layers' parameters (a few thousand, not the first layer's 100,000) are
 *   formed per point, in Java, and copied into preallocated column-major buffers.</li>
 *   <li>The loss is computed from the logits in Java in double precision, split over the cores.</li>
 * </ul>
 * Nothing is allocated per point except by ND4J's own kernels.
 */
final class FastMlpEvaluator {

    private FastMlpEvaluator() {
    }

    /** Why the fast path does not apply to {@code net}, or empty when it does. */
    static Optional<String> unsupported(MultiLayerNetwork net) {
        int n = net.getnLayers();
        if (net.getLayerWiseConfigurations().getInputPreProcessors() != null
                && !net.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            return Optional.of("the network has input preprocessors");
        }
        for (int i = 0; i < n; i++) {
            Object conf = net.getLayer(i).conf().getLayer();
            boolean last = i == n - 1;
            boolean ok = last ? conf instanceof OutputLayer : conf instanceof DenseLayer;
            if (!ok) {
                return Optional.of("layer " + i + " is a " + conf.getClass().getSimpleName()
                        + " (the fast path handles dense layers and a dense output layer)");
            }
            if (net.getLayer(i).getParam("b") == null) {
                return Optional.of("layer " + i + " has no bias");
            }
        }
        return Optional.empty();
    }

    /** Turns the output layer's pre-activations into the metrics. */
    @FunctionalInterface
    interface LossFunction {
        /**
         * @param z    pre-activations, column-major {@code [rows, cols]}: element (r, c) at {@code r + c * rows}
         */
        double[] metrics(float[] z, int rows, int cols);
    }

    static GridValues evaluate(MultiLayerNetwork net, ParameterLayout layout, INDArray features, LossFunction lossOf,
                               int metrics, GridRequest request, Progress.Meter meter, int threads) {
        int layers = net.getnLayers();
        int examples = (int) features.size(0);
        List<ParameterBlock> weights = new ArrayList<>();
        List<ParameterBlock> biases = new ArrayList<>();
        for (ParameterBlock b : layout.blocks()) {
            (b.kind() == ParameterBlock.Kind.WEIGHT ? weights : biases).add(b);
        }
        IActivation[] activations = new IActivation[layers];
        for (int i = 0; i < layers; i++) {
            activations[i] = ((BaseLayer) net.getLayer(i).conf().getLayer()).getActivationFn();
        }
        boolean plane = request.d2() != null;

        // The first layer's three affine pieces, once per surface.
        INDArray x = features.castTo(DataType.FLOAT).dup('f');
        INDArray base = firstLayer(x, request.centre(), weights.get(0), biases.get(0), examples);
        INDArray along1 = firstLayer(x, request.d1(), weights.get(0), biases.get(0), examples);
        INDArray along2 = plane ? firstLayer(x, request.d2(), weights.get(0), biases.get(0), examples) : null;

        double[][] values = new double[metrics][request.points()];
        int rows = request.alphas().length;
        int workers = Math.max(1, Math.min(threads, rows));
        java.util.concurrent.atomic.AtomicInteger nextRow = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Runnable work = () -> {
            Worker worker = new Worker(weights, biases, activations, examples, base, along1, along2, request, lossOf);
            for (int i = nextRow.getAndIncrement(); i < rows; i = nextRow.getAndIncrement()) {
                for (int j = 0; j < request.betas().length; j++) {
                    double[] v = worker.point(i, j);
                    int cell = i * request.betas().length + j;
                    for (int m = 0; m < metrics; m++) {
                        values[m][cell] = v[m];
                    }
                    int finished = done.incrementAndGet();
                    synchronized (meter) {
                        meter.update(finished, String.format(Locale.ROOT, "loss %.4g", v[0]));
                    }
                }
            }
        };
        if (workers == 1) {
            work.run();
        } else {
            // Several small networks' worth of ND4J calls run best side by side, one core each:
            // the per-call overhead then overlaps. Thread counts are process-wide, so they are
            // restored afterwards.
            int ompBefore = Nd4j.getEnvironment().maxThreads();
            int blasBefore = Nd4j.factory().blas().getMaxThreads();
            int perWorker = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
            Nd4j.getEnvironment().setMaxThreads(perWorker);
            Nd4j.factory().blas().setMaxThreads(perWorker);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "losssurface-fast-evaluator");
                t.setDaemon(true);
                return t;
            });
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int k = 0; k < workers; k++) {
                    futures.add(pool.submit(work));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating the surface", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
                Nd4j.getEnvironment().setMaxThreads(ompBefore);
                Nd4j.factory().blas().setMaxThreads(blasBefore);
            }
        }
        return new GridValues(values, "fast-mlp", "");
    }

    /** One thread's buffers: nothing is shared between workers but the read-only first-layer pieces. */
    private static final class Worker {
        private final List<ParameterBlock> weights;
        private final List<ParameterBlock> biases;
        private final IActivation[] activations;
        private final INDArray base;
        private final INDArray along1;
        private final INDArray along2;
        private final GridRequest request;
        private final LossFunction lossOf;
        private final INDArray row;
        private final INDArray[] z;
        private final INDArray[] w;
        private final INDArray[] bias;
        private final float[][] wJava;
        private final float[][] bJava;
        private final float[] logits;
        private final int examples;
        private final int outputs;
        private int currentRow = -1;

        Worker(List<ParameterBlock> weights, List<ParameterBlock> biases, IActivation[] activations, int examples,
               INDArray base, INDArray along1, INDArray along2, GridRequest request, LossFunction lossOf) {
            this.weights = weights;
            this.biases = biases;
            this.activations = activations;
            this.base = base;
            this.along1 = along1;
            this.along2 = along2;
            this.request = request;
            this.lossOf = lossOf;
            this.examples = examples;
            int layers = activations.length;
            row = base.dup('f');
            z = new INDArray[layers];
            w = new INDArray[layers];
            bias = new INDArray[layers];
            wJava = new float[layers][];
            bJava = new float[layers][];
            for (int l = 0; l < layers; l++) {
                int[] shape = weights.get(l).shape();
                z[l] = Nd4j.create(DataType.FLOAT, new long[] {examples, shape[1]}, 'f');
                if (l > 0) {
                    w[l] = Nd4j.create(DataType.FLOAT, new long[] {shape[0], shape[1]}, 'f');
                    bias[l] = Nd4j.create(DataType.FLOAT, 1, shape[1]);
                    wJava[l] = new float[weights.get(l).length()];
                    bJava[l] = new float[biases.get(l).length()];
                }
            }
            outputs = weights.get(layers - 1).shape()[1];
            logits = new float[examples * outputs];
        }

        double[] point(int i, int j) {
            double a = request.alphas()[i];
            double b = request.betas()[j];
            if (i != currentRow) {
                row.assign(base);
                Nd4j.getBlasWrapper().level1().axpy(row.length(), a, along1, row);
                currentRow = i;
            }
            if (along2 != null) {
                Nd4j.exec(new Axpy(along2, row, z[0], b)); // z0 = b along2 + row, one pass
            } else {
                z[0].assign(row);
            }
            int layers = activations.length;
            INDArray h = activations[0].getActivation(z[0], false);
            for (int l = 1; l < layers; l++) {
                fill(wJava[l], weights.get(l), a, b);
                fill(bJava[l], biases.get(l), a, b);
                w[l].data().asNioFloat().put(wJava[l]);
                bias[l].data().asNioFloat().put(bJava[l]);
                Nd4j.gemm(h, w[l], z[l], false, false, 1.0, 0.0);
                z[l].addiRowVector(bias[l]);
                h = l < layers - 1 ? activations[l].getActivation(z[l], false) : z[l];
            }
            z[layers - 1].data().asNioFloat().get(logits);
            return lossOf.metrics(logits, examples, outputs);
        }

        /** The block's slice of {@code centre + a d1 + b d2}, in double and rounded once, like the plain path. */
        private void fill(float[] out, ParameterBlock block, double a, double b) {
            FastMlpEvaluator.fill(out, block, request.centre(), request.d1(), a, request.d2(), b);
        }
    }

    /** The block's slice of {@code centre + a d1 + b d2}, in double and rounded once, like the plain path. */
    private static void fill(float[] out, ParameterBlock block, float[] centre, float[] d1, double a, float[] d2, double b) {
        int o = block.offset();
        if (d2 == null) {
            for (int k = 0; k < out.length; k++) {
                out[k] = (float) (centre[o + k] + a * d1[o + k]);
            }
        } else {
            for (int k = 0; k < out.length; k++) {
                out[k] = (float) (centre[o + k] + a * d1[o + k] + b * d2[o + k]);
            }
        }
    }

    /** {@code X W + 1 c^T} for the first layer's blocks of {@code vector}, column-major. */
    private static INDArray firstLayer(INDArray x, float[] vector, ParameterBlock w, ParameterBlock b, int examples) {
        int[] shape = w.shape();
        INDArray all = Nd4j.createFromArray(vector);
        INDArray weights = all.get(NDArrayIndex.interval(w.offset(), w.offset() + w.length()))
                .reshape('f', shape[0], shape[1]).dup('f');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {examples, shape[1]}, 'f');
        Nd4j.gemm(x, weights, out, false, false, 1.0, 0.0);
        out.addiRowVector(all.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length())).reshape(1, b.length()).dup());
        return out;
    }
}
