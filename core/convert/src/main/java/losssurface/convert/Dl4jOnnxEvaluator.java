package losssurface.convert;

import java.nio.file.Path;
import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import losssurface.api.GridRequest;
import losssurface.api.Objective;
import losssurface.api.SurfaceEvaluator;
import losssurface.data.Examples;
import losssurface.nn.GraphObjective;
import losssurface.nn.NetworkObjective;
import losssurface.onnx.OnnxEvaluator;
import losssurface.onnx.OnnxLoss;
import losssurface.onnx.OnnxModel;
import losssurface.onnx.OnnxObjective;

/**
 * DL4J networks that are not multilayer perceptrons (convolution, pooling, batch normalisation...), and
 * {@code ComputationGraph}s that are a chain of such layers: the network
 * converted in memory into an ONNX graph ({@link Dl4jToOnnx}) whose parameters are fed as inputs in DL4J's own flat
 * order, and its points evaluated by the {@code onnx} evaluator's sessions (ONNX Runtime's own layout, gathered from it).
 * Multilayer perceptrons are left to {@code fast-mlp}; a network with a layer the conversion does not cover is left
 * to the plain method, and the surface's {@code evaluator-note} says which layer.
 */
public final class Dl4jOnnxEvaluator implements SurfaceEvaluator {

    /** The name recorded with surfaces it computes. */
    public static final String NAME = "dl4j-onnx";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Support support(Objective objective) {
        if (objective instanceof NetworkObjective n && n.notDense().isPresent()) { // a multilayer perceptron is fast-mlp's
            if (!n.crossEntropy() && !n.meanSquaredError()) {
                return Support.no(NAME + ": the output layer's loss is not softmax cross-entropy or identity MSE");
            }
            return Dl4jToOnnx.unsupported(n.network()).map(w -> Support.no(NAME + ": " + w)).orElse(Support.YES);
        }
        if (objective instanceof GraphObjective g) {
            if (graphLoss(g).isEmpty()) {
                return Support.no(NAME + ": the output layer's loss is not softmax cross-entropy or identity MSE, or a layer is"
                        + " regularised (DL4J's score, which a graph's surface shows, then adds the penalty)");
            }
            return Dl4jToOnnx.unsupported(g.graph()).map(w -> Support.no(NAME + ": " + w)).orElse(Support.YES);
        }
        return Support.NOT_ITS_KIND;
    }

    /**
     * The loss that stands for DL4J's score on a graph's examples: cross-entropy of the logits for a softmax output
     * scored by MCXENT, MSE for an identity output scored by MSE; empty for any other, and for a graph whose score
     * adds a regularisation penalty.
     */
    static Optional<OnnxLoss> graphLoss(GraphObjective g) {
        for (org.deeplearning4j.nn.api.Layer layer : g.graph().getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b && (!empty(b.getRegularization()) || !empty(b.getRegularizationBias()))) {
                return Optional.empty();
            }
        }
        org.deeplearning4j.nn.api.Layer[] layers = g.graph().getLayers();
        if (!(layers[layers.length - 1].conf().getLayer() instanceof OutputLayer out)) {
            return Optional.empty();
        }
        if (out.getActivationFn() instanceof ActivationSoftmax && out.getLossFn() instanceof LossMCXENT && g.classifier()) {
            return Optional.of(OnnxLoss.CROSS_ENTROPY_LOGITS);
        }
        if (out.getActivationFn() instanceof ActivationIdentity && out.getLossFn() instanceof LossMSE && !g.classifier()) {
            return Optional.of(OnnxLoss.MSE);
        }
        return Optional.empty();
    }

    private static boolean empty(java.util.List<?> list) {
        return list == null || list.isEmpty();
    }

    @Override
    public Prepared prepare(Objective objective, GridRequest grid) {
        byte[] bytes;
        Examples examples;
        OnnxLoss loss;
        if (objective instanceof GraphObjective g) {
            loss = graphLoss(g).orElseThrow();
            bytes = Dl4jToOnnx.convert(g.graph());
            examples = examples(g.data(), loss == OnnxLoss.CROSS_ENTROPY_LOGITS);
        } else {
            NetworkObjective n = (NetworkObjective) objective;
            loss = n.crossEntropy() ? OnnxLoss.CROSS_ENTROPY_LOGITS : OnnxLoss.MSE;
            bytes = Dl4jToOnnx.convert(n.network());
            examples = examples(n.data(), n.crossEntropy());
        }
        OnnxModel model = OnnxModel.of(bytes, Path.of("the DL4J network converted to ONNX"));
        OnnxObjective onnx = OnnxObjective.of(model, examples, loss, OnnxObjective.DEFAULT_BATCH, "the same examples");
        Prepared sessions = new OnnxEvaluator().prepare(onnx, grid);
        return new Prepared() {
            @Override
            public int maxWorkers() {
                return sessions.maxWorkers();
            }

            @Override
            public Worker worker() {
                return sessions.worker();
            }

            @Override
            public String note() {
                return "converted to ONNX in memory; " + sessions.note();
            }

            @Override
            public void close() {
                sessions.close();
                onnx.close();
            }
        };
    }

    /** The examples as they are (images stay images), with class indices for cross-entropy, else the targets. */
    static Examples examples(DataSet data, boolean classes) {
        long[] shape = data.getFeatures().shape();
        int[] example = new int[shape.length - 1];
        for (int d = 1; d < shape.length; d++) {
            example[d - 1] = Math.toIntExact(shape[d]);
        }
        float[] x = data.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = Math.toIntExact(shape[0]);
        if (classes) {
            int[] argmax = data.getLabels().argMax(1).toIntVector();
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = argmax[i];
            }
            return new Examples(x, example, y, new int[] {n}, true, "the objective's examples");
        }
        long[] ls = data.getLabels().shape();
        float[] y = data.getLabels().castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new Examples(x, example, y, ls.length == 1 ? new int[] {n} : new int[] {n, Math.toIntExact(ls[1])}, false,
                "the objective's examples");
    }
}
