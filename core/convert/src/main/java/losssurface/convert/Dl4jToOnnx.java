package losssurface.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import onnx.Onnx;

/**
 * A DL4J {@link MultiLayerNetwork}, or a {@link ComputationGraph} that is a chain of layers, as an ONNX graph, in
 * memory: convolution (NCHW, truncate or strict mode, any
 * stride, padding and dilation), max and average pooling, batch normalisation, dense and output layers, with the
 * preprocessors between them (flat input to image, image to flat), and relu, leaky relu, tanh, sigmoid and
 * identity activations. A softmax output is left out, so the graph gives the logits.
 *
 * <p>The graph's float initializers are the network's parameters in the order and with the element order of
 * DL4J's flat parameter vector (a convolution's bias and kernel {@code [out, in, kh, kw]}; a dense layer's
 * {@code [in, out]} column-major weights are read as ONNX's {@code Gemm} operand B {@code [out, in]} with
 * {@code transB=1}, the same bytes), so a point of a surface over the network is a parameter vector of the
 * graph as it is. Batch normalisation keeps its four blocks and is written as {@code (x - mean) / std * gamma +
 * beta}, with {@code std} from {@code var} and {@code eps} or from {@code log10stdev}, as DL4J computes it at test
 * time.
 */
public final class Dl4jToOnnx {

    private static final int FLOAT = Onnx.TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = Onnx.TensorProto.DataType.INT64_VALUE;

    /** The model's input and output names. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private Dl4jToOnnx() {
    }

    /** One layer of a chain of layers: the layer (its configuration and parameters) and the preprocessor before it. */
    private record Step(Layer layer, InputPreProcessor pre) {
    }

    /** Why {@code net} cannot be converted (the first layer or setting not covered), or empty when it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        try {
            convert(steps(net), net.numParams(), false);
            return Optional.empty();
        } catch (Unsupported e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why {@code graph} cannot be converted, or empty when it can. */
    public static Optional<String> unsupported(ComputationGraph graph) {
        try {
            convert(steps(graph), graph.numParams(), false);
            return Optional.empty();
        } catch (Unsupported e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The ONNX model of {@code net} with its current parameters, serialised.
     *
     * @throws Unsupported naming the first layer or setting that is not covered
     */
    public static byte[] convert(MultiLayerNetwork net) {
        return convert(steps(net), net.numParams(), true);
    }

    private static List<Step> steps(MultiLayerNetwork net) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            steps.add(new Step(net.getLayer(i), net.getLayerWiseConfigurations().getInputPreProcess(i)));
        }
        return steps;
    }

    /**
     * The ONNX model of a {@link ComputationGraph} that is a chain of layers (one input, one output, each layer
     * vertex fed by the one before), with its current parameters, serialised.
     *
     * @throws Unsupported naming the first vertex or setting that is not covered
     */
    public static byte[] convert(ComputationGraph graph) {
        return convert(steps(graph), graph.numParams(), true);
    }

    private static List<Step> steps(ComputationGraph graph) {
        ComputationGraphConfiguration c = graph.getConfiguration();
        if (c.getNetworkInputs().size() != 1 || c.getNetworkOutputs().size() != 1) {
            throw new Unsupported("the graph has " + c.getNetworkInputs().size() + " inputs and " + c.getNetworkOutputs().size()
                    + " outputs (one of each is covered)");
        }
        String previous = c.getNetworkInputs().get(0);
        List<Step> steps = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (String name : c.getTopologicalOrderStr()) {
            if (c.getNetworkInputs().contains(name)) {
                continue;
            }
            GraphVertex v = c.getVertices().get(name);
            if (!(v instanceof LayerVertex lv)) {
                throw new Unsupported("vertex " + name + " is a " + v.getClass().getSimpleName() + " (a chain of layer vertices"
                        + " is covered)");
            }
            List<String> inputs = c.getVertexInputs().get(name);
            if (inputs.size() != 1 || !inputs.get(0).equals(previous)) {
                throw new Unsupported("vertex " + name + " takes " + inputs + " (a chain of layers, each fed by the one before,"
                        + " is covered)");
            }
            steps.add(new Step(graph.getLayer(name), lv.getPreProcessor()));
            order.add(name);
            previous = name;
        }
        if (!previous.equals(c.getNetworkOutputs().get(0))) {
            throw new Unsupported("the graph's output " + c.getNetworkOutputs().get(0) + " is not its last layer " + previous);
        }
        List<String> kept = java.util.Arrays.stream(graph.getLayers()).map(l -> l.conf().getLayer().getLayerName()).toList();
        if (!kept.equals(order)) {
            throw new Unsupported("the graph keeps its parameters in the order " + kept + ", not the chain's " + order);
        }
        return steps;
    }

    /**
     * The model of {@code steps}; with {@code values} false the initializers are left empty (to check that the
     * network converts without copying its parameters).
     */
    private static byte[] convert(List<Step> steps, long numParams, boolean values) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("dl4j-network");
        Graph graph = new Graph(g, values);
        String x = INPUT;
        int layers = steps.size();
        boolean image = false;
        for (int i = 0; i < layers; i++) {
            Layer layer = steps.get(i).layer();
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            InputPreProcessor pre = steps.get(i).pre();
            if (pre instanceof FeedForwardToCnnPreProcessor f) {
                x = graph.node("Reshape", List.of(x, graph.shape(-1, f.getNumChannels(), f.getInputHeight(), f.getInputWidth())),
                        List.of());
                image = true;
            } else if (pre instanceof CnnToFeedForwardPreProcessor c) {
                if (c.getFormat() != CNN2DFormat.NCHW) {
                    throw new Unsupported("layer " + i + "'s preprocessor flattens " + c.getFormat() + " images (only NCHW)");
                }
                x = graph.node("Flatten", List.of(x), List.of(Graph.intAttribute("axis", 1)));
                image = false;
            } else if (pre != null) {
                throw new Unsupported("layer " + i + " has a " + pre.getClass().getSimpleName() + " preprocessor");
            }
            Map<String, INDArray> params = layer.paramTable();
            String prefix = i + "_";
            if (conf instanceof ConvolutionLayer c && conf.getClass() == ConvolutionLayer.class) {
                if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    throw new Unsupported("layer " + i + " (ConvolutionLayer) takes " + c.getCnn2dDataFormat() + " images (only NCHW)");
                }
                requireMode(i, "ConvolutionLayer", c.getConvolutionMode());
                List<String> inputs = new ArrayList<>(List.of(x));
                String w = null;
                String b = null;
                for (Map.Entry<String, INDArray> e : params.entrySet()) { // DL4J keeps the bias first
                    String name = graph.parameter(prefix + e.getKey(), e.getValue(), e.getKey().equals("b")
                            ? new long[] {e.getValue().length()} : e.getValue().shape());
                    if (e.getKey().equals("W")) {
                        w = name;
                    } else {
                        b = name;
                    }
                }
                inputs.add(w);
                if (b != null) {
                    inputs.add(b);
                }
                x = graph.node("Conv", inputs, List.of(Graph.intsAttribute("kernel_shape", c.getKernelSize()),
                        Graph.intsAttribute("strides", c.getStride()), Graph.intsAttribute("dilations", c.getDilation()),
                        Graph.intsAttribute("pads", pads(c.getPadding()))));
                x = activation(graph, x, c.getActivationFn(), i);
                image = true;
            } else if (conf instanceof SubsamplingLayer s && conf.getClass() == SubsamplingLayer.class) {
                requireMode(i, "SubsamplingLayer", s.getConvolutionMode());
                if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    throw new Unsupported("layer " + i + " (SubsamplingLayer) takes " + s.getCnn2dDataFormat() + " images (only NCHW)");
                }
                if (s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
                    throw new Unsupported("layer " + i + " (SubsamplingLayer) is dilated");
                }
                PoolingType type = s.getPoolingType();
                boolean padded = s.getPadding()[0] != 0 || s.getPadding()[1] != 0;
                if (type == PoolingType.AVG && padded && !s.isAvgPoolIncludePadInDivisor()) {
                    throw new Unsupported("layer " + i + " (SubsamplingLayer) averages without the padding in the divisor");
                }
                List<Onnx.AttributeProto> attributes = new ArrayList<>(List.of(Graph.intsAttribute("kernel_shape", s.getKernelSize()),
                        Graph.intsAttribute("strides", s.getStride()), Graph.intsAttribute("pads", pads(s.getPadding()))));
                if (type == PoolingType.AVG) {
                    attributes.add(Graph.intAttribute("count_include_pad", 1));
                    x = graph.node("AveragePool", List.of(x), attributes);
                } else if (type == PoolingType.MAX) {
                    x = graph.node("MaxPool", List.of(x), attributes);
                } else {
                    throw new Unsupported("layer " + i + " (SubsamplingLayer) pools by " + type + " (max and average are covered)");
                }
            } else if (conf instanceof BatchNormalization bn && conf.getClass() == BatchNormalization.class) {
                if (image && bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
                    throw new Unsupported("layer " + i + " (BatchNormalization) takes " + bn.getCnn2DFormat() + " images (only NCHW)");
                }
                if (bn.isLockGammaBeta()) {
                    throw new Unsupported("layer " + i + " (BatchNormalization) locks gamma and beta");
                }
                x = batchNorm(graph, x, params, prefix, bn, image, i);
            } else if ((conf instanceof DenseLayer || conf instanceof OutputLayer)
                    && (conf.getClass() == DenseLayer.class || conf.getClass() == OutputLayer.class)) {
                if (image) {
                    throw new Unsupported("layer " + i + " (" + conf.getClass().getSimpleName() + ") takes images without a preprocessor");
                }
                INDArray wv = params.get("W");
                String w = graph.parameter(prefix + "W", wv, new long[] {wv.size(1), wv.size(0)}); // [in, out] 'f' = [out, in] 'c'
                List<String> inputs = new ArrayList<>(List.of(x, w));
                if (params.containsKey("b")) {
                    inputs.add(graph.parameter(prefix + "b", params.get("b"), new long[] {params.get("b").length()}));
                }
                if (!params.keySet().equals(params.containsKey("b") ? java.util.Set.of("W", "b") : java.util.Set.of("W"))) {
                    throw new Unsupported("layer " + i + " (" + conf.getClass().getSimpleName() + ") has parameters " + params.keySet());
                }
                x = graph.node("Gemm", inputs, List.of(Graph.intAttribute("transB", 1)));
                IActivation activation = ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf).getActivationFn();
                if (i == layers - 1 && conf instanceof BaseOutputLayer && activation instanceof ActivationSoftmax) {
                    continue; // the logits: the objective scores them
                }
                x = activation(graph, x, activation, i);
            } else {
                throw new Unsupported("layer " + i + " is a " + conf.getClass().getSimpleName() + " (covered: ConvolutionLayer,"
                        + " SubsamplingLayer, BatchNormalization, DenseLayer, OutputLayer)");
            }
        }
        org.deeplearning4j.nn.conf.layers.Layer last = steps.get(layers - 1).layer().conf().getLayer();
        if (!(last instanceof OutputLayer)) {
            throw new Unsupported("the last layer is a " + last.getClass().getSimpleName() + ", not an OutputLayer");
        }
        if (graph.parameters() != numParams) {
            throw new Unsupported("the graph holds " + graph.parameters() + " parameters but the network has " + numParams);
        }
        g.addInput(Graph.value(INPUT, steps.get(0).pre() instanceof FeedForwardToCnnPreProcessor
                || !(steps.get(0).layer().conf().getLayer() instanceof ConvolutionLayer) ? 2 : 4));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").addInput(x).addOutput(OUTPUT));
        g.addOutput(Graph.value(OUTPUT, 2));
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("losssurface").setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).build().toByteArray();
    }

    private static void requireMode(int i, String kind, ConvolutionMode mode) {
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new Unsupported("layer " + i + " (" + kind + ") uses ConvolutionMode." + mode + " (Truncate and Strict are covered)");
        }
    }

    /** DL4J's {@code [top/bottom, left/right]} padding as ONNX's {@code [top, left, bottom, right]}. */
    private static int[] pads(int[] padding) {
        return new int[] {padding[0], padding[1], padding[0], padding[1]};
    }

    private static String activation(Graph graph, String x, IActivation a, int i) {
        if (a instanceof ActivationIdentity) {
            return x;
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope())) {
            return graph.node("Relu", List.of(x), List.of());
        }
        if (a instanceof ActivationLReLU l) {
            return graph.node("LeakyRelu", List.of(x), List.of(Graph.floatAttribute("alpha", (float) l.getAlpha())));
        }
        if (a instanceof ActivationTanH) {
            return graph.node("Tanh", List.of(x), List.of());
        }
        if (a instanceof ActivationSigmoid) {
            return graph.node("Sigmoid", List.of(x), List.of());
        }
        throw new Unsupported("layer " + i + "'s activation is " + a + " (covered: relu, leakyrelu, tanh, sigmoid, identity)");
    }

    private static boolean zero(Double d) {
        return d == null || d == 0;
    }

    /** {@code (x - mean) / std * gamma + beta}, over axis 1 (channels or features). */
    private static String batchNorm(Graph graph, String x, Map<String, INDArray> params, String prefix, BatchNormalization bn,
                                    boolean image, int i) {
        long n = params.get(BatchNormalizationParamInitializer.GAMMA).length();
        long[] shape = image ? new long[] {1, n, 1, 1} : new long[] {1, n};
        String gamma = null;
        String beta = null;
        String mean = null;
        String spread = null;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = graph.parameter(prefix + e.getKey(), e.getValue(), shape);
            switch (e.getKey()) {
                case BatchNormalizationParamInitializer.GAMMA -> gamma = name;
                case BatchNormalizationParamInitializer.BETA -> beta = name;
                case BatchNormalizationParamInitializer.GLOBAL_MEAN -> mean = name;
                case BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD -> spread = name;
                default -> throw new Unsupported("layer " + i + " (BatchNormalization) has a parameter " + e.getKey());
            }
        }
        if (gamma == null || beta == null || mean == null || spread == null) {
            throw new Unsupported("layer " + i + " (BatchNormalization) has parameters " + params.keySet());
        }
        String std = bn.isUseLogStd()
                ? graph.node("Pow", List.of(graph.scalar(10f), spread), List.of())
                : graph.node("Sqrt", List.of(graph.node("Add", List.of(spread, graph.scalar((float) bn.getEps())), List.of())), List.of());
        String centred = graph.node("Sub", List.of(x, mean), List.of());
        String scaled = graph.node("Div", List.of(centred, std), List.of());
        return graph.node("Add", List.of(graph.node("Mul", List.of(scaled, gamma), List.of()), beta), List.of());
    }

    /** A layer or setting the conversion does not cover. */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** The graph being written: nodes with fresh output names, parameters and constants. */
    private static final class Graph {
        private final Onnx.GraphProto.Builder g;
        private final boolean values;
        private int names;
        private long parameters;

        Graph(Onnx.GraphProto.Builder g, boolean values) {
            this.g = g;
            this.values = values;
        }

        long parameters() {
            return parameters;
        }

        String node(String op, List<String> inputs, List<Onnx.AttributeProto> attributes) {
            String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + names++;
            g.addNode(Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out)
                    .addAllAttribute(attributes));
            return out;
        }

        /** A float initializer holding {@code values} in their own element order (DL4J's flat order), of {@code shape}. */
        String parameter(String name, INDArray array, long[] shape) {
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
            if (values) {
                float[] flat = array.dup(array.ordering()).data().asFloat();
                ByteBuffer bytes = ByteBuffer.allocate(4 * flat.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : flat) {
                    bytes.putFloat(v);
                }
                t.setRawData(ByteString.copyFrom(bytes.array()));
            }
            for (long d : shape) {
                t.addDims(d);
            }
            g.addInitializer(t);
            parameters += array.length();
            return name;
        }

        /** A float constant (a node, not an initializer, so that it is not taken for a parameter). */
        String scalar(float value) {
            String out = "constant_" + names++;
            Onnx.TensorProto t = Onnx.TensorProto.newBuilder().setDataType(FLOAT).addFloatData(value).build();
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").setName(out).addOutput(out)
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("value").setType(Onnx.AttributeProto.AttributeType.TENSOR)
                            .setT(t)));
            return out;
        }

        /** An int64 shape initializer (not a float, so not a parameter). */
        String shape(long... dims) {
            String out = "shape_" + names++;
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(out).setDataType(INT64).addDims(dims.length);
            for (long d : dims) {
                t.addInt64Data(d);
            }
            g.addInitializer(t);
            return out;
        }

        static Onnx.AttributeProto intAttribute(String name, long value) {
            return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
        }

        static Onnx.AttributeProto floatAttribute(String name, float value) {
            return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
        }

        static Onnx.AttributeProto intsAttribute(String name, int[] values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
            for (int v : values) {
                a.addInts(v);
            }
            return a.build();
        }

        /** A float tensor value of {@code rank} with every dimension open. */
        static Onnx.ValueInfoProto value(String name, int rank) {
            Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
            for (int d = 0; d < rank; d++) {
                shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("d" + d));
            }
            return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                    .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
        }
    }
}
