package losssurface.api.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * <p>The first layer is affine in its parameters: with the point's first-layer weights
 * {@code W + a U + b V} and bias {@code c + a u + b v}, its pre-activations are
 * {@code (XW + c) + a (XU + u) + b (XV + v)}. Those three {@code [examples, units]} matrices are
 * computed once per surface, so each point costs two scaled additions instead of the largest
 * matrix product (784 inputs for MNIST). The remaining layers run per point into preallocated
 * column-major buffers, with no allocation in the loop except the small copy of the logits that
 * the loss is computed from, in double precision, exactly as {@link NetworkObjective} does.
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

    /**
     * Evaluates {@code request} for {@code net} on {@code features}; {@code lossOf} turns the
     * output layer's pre-activations (column-major {@code [examples, outputs]}) into the metrics.
     */
    static GridValues evaluate(MultiLayerNetwork net, ParameterLayout layout, INDArray features, LossFunction lossOf,
                               int metrics, GridRequest request, Progress.Meter meter) {
        int layers = net.getnLayers();
        int examples = (int) features.size(0);
        List<ParameterBlock> weights = new ArrayList<>();
        List<ParameterBlock> biases = new ArrayList<>();
        for (ParameterBlock b : layout.blocks()) {
            (b.kind() == ParameterBlock.Kind.WEIGHT ? weights : biases).add(b);
        }
        IActivation[] activations = new IActivation[layers];
        for (int i = 0; i < layers; i++) {
            activations[i] = ((org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayer(i).conf().getLayer()).getActivationFn();
        }

        INDArray x = features.castTo(DataType.FLOAT).dup('f');
        boolean plane = request.d2() != null;
        INDArray centre = Nd4j.createFromArray(request.centre());
        INDArray d1 = Nd4j.createFromArray(request.d1());
        INDArray d2 = plane ? Nd4j.createFromArray(request.d2()) : null;

        // The first layer's three affine pieces, once per surface.
        INDArray base = firstLayer(x, centre, weights.get(0), biases.get(0), examples);
        INDArray along1 = firstLayer(x, d1, weights.get(0), biases.get(0), examples);
        INDArray along2 = plane ? firstLayer(x, d2, weights.get(0), biases.get(0), examples) : null;

        // Preallocated buffers: one activation matrix per layer, one weight matrix and bias per later layer.
        INDArray[] z = new INDArray[layers];
        INDArray[] w = new INDArray[layers];
        INDArray[] bias = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            int[] shape = weights.get(l).shape();
            z[l] = Nd4j.create(DataType.FLOAT, new long[] {examples, shape[1]}, 'f');
            if (l > 0) {
                w[l] = Nd4j.create(DataType.FLOAT, new long[] {shape[0], shape[1]}, 'f');
                bias[l] = Nd4j.create(DataType.FLOAT, 1, shape[1]);
            }
        }
        INDArray point = Nd4j.create(DataType.FLOAT, request.centre().length);
        Level1 blas = Nd4j.getBlasWrapper().level1();
        int firstLength = (int) base.length();

        double[] alphas = request.alphas();
        double[] betas = request.betas();
        double[][] values = new double[metrics][request.points()];
        for (int i = 0; i < alphas.length; i++) {
            for (int j = 0; j < betas.length; j++) {
                double a = alphas[i];
                double b = betas[j];
                // theta* + a d1 + b d2, for the layers after the first
                point.assign(centre);
                blas.axpy(point.length(), a, d1, point);
                if (plane) {
                    blas.axpy(point.length(), b, d2, point);
                }
                // first layer: base + a along1 + b along2, then its activation, in place
                z[0].assign(base);
                blas.axpy(firstLength, a, along1, z[0]);
                if (plane) {
                    blas.axpy(firstLength, b, along2, z[0]);
                }
                INDArray h = activations[0].getActivation(z[0], false);
                for (int l = 1; l < layers; l++) {
                    ParameterBlock wb = weights.get(l);
                    ParameterBlock bb = biases.get(l);
                    w[l].assign(point.get(NDArrayIndex.interval(wb.offset(), wb.offset() + wb.length()))
                            .reshape('f', wb.shape()[0], wb.shape()[1]));
                    bias[l].assign(point.get(NDArrayIndex.interval(bb.offset(), bb.offset() + bb.length())).reshape(1, bb.length()));
                    Nd4j.gemm(h, w[l], z[l], false, false, 1.0, 0.0);
                    z[l].addiRowVector(bias[l]);
                    h = l < layers - 1 ? activations[l].getActivation(z[l], false) : z[l];
                }
                double[] v;
                try (MemoryWorkspace ws = Workspaces.scope("losssurface-fast-loss")) {
                    v = lossOf.metrics(z[layers - 1]);
                }
                int cell = i * betas.length + j;
                for (int m = 0; m < metrics; m++) {
                    values[m][cell] = v[m];
                }
                meter.update(cell + 1, String.format(Locale.ROOT, "loss %.4g", v[0]));
            }
        }
        return new GridValues(values, "fast-mlp", "");
    }

    /** {@code X W + 1 c^T} for the first layer's blocks of {@code vector}, column-major. */
    private static INDArray firstLayer(INDArray x, INDArray vector, ParameterBlock w, ParameterBlock b, int examples) {
        int[] shape = w.shape();
        INDArray weights = vector.get(NDArrayIndex.interval(w.offset(), w.offset() + w.length()))
                .reshape('f', shape[0], shape[1]).dup('f');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {examples, shape[1]}, 'f');
        Nd4j.gemm(x, weights, out, false, false, 1.0, 0.0);
        out.addiRowVector(vector.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length())).reshape(1, b.length()).dup());
        return out;
    }

    /** Metrics of the output layer's pre-activations. */
    @FunctionalInterface
    interface LossFunction {
        double[] metrics(INDArray preOutput);
    }
}
