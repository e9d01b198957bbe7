package losssurface.nn.dense;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;

/** Reads the {@link ParameterLayout} of a DL4J network from its parameter table. */
public final class Layouts {
    private Layouts() {
    }

    /**
     * The layout of {@code network.params()}: blocks {@code 0_W, 0_b, 1_W, ...} in the order DL4J
     * keeps them. Dense weights are {@code [nIn, nOut]} column-major, so neuron j's incoming
     * weights are one contiguous column; convolution weights {@code [nOut, nIn, kH, kW]} are
     * row-major with the filter on axis 0.
     */
    public static ParameterLayout of(MultiLayerNetwork network) {
        List<ParameterBlock> blocks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = network.getLayer(i);
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                blocks.add(block(i + "_" + e.getKey(), i, layer, e.getKey(), e.getValue(), offset));
                offset += (int) e.getValue().length();
            }
        }
        return check(new ParameterLayout(blocks), network.numParams());
    }

    /**
     * The layout of {@code graph.params()}: each layer's blocks ({@code <layer>_W}, {@code <layer>_b}) in
     * the order the graph keeps them, layers numbered in that order.
     */
    public static ParameterLayout of(ComputationGraph graph) {
        List<ParameterBlock> blocks = new ArrayList<>();
        int offset = 0;
        int index = 0;
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                blocks.add(block(name + "_" + e.getKey(), index, layer, e.getKey(), e.getValue(), offset));
                offset += (int) e.getValue().length();
            }
            index++;
        }
        ParameterLayout layout = check(new ParameterLayout(blocks), graph.numParams());
        // The blocks must sit where the graph's flat vector keeps them.
        INDArray flat = graph.params();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                ParameterBlock b = layout.blocks().stream().filter(x -> x.name().equals(name + "_" + e.getKey())).findFirst().orElseThrow();
                INDArray slice = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b.offset(), b.offset() + b.length()));
                if (!slice.equals(org.nd4j.linalg.factory.Nd4j.toFlattened(e.getValue().ordering(), e.getValue()))) {
                    throw new IllegalStateException("The graph's flat parameters are not in layer order at " + b.name()
                            + "; this graph layout is not supported.");
                }
            }
        }
        return layout;
    }

    private static ParameterBlock block(String name, int index, Layer layer, String key, INDArray p, int offset) {
        String activation = activation(layer);
        int[] shape = toInt(p.shape());
        boolean weight = key.startsWith("W") && shape.length >= 2;
        ParameterBlock.Kind kind = weight ? ParameterBlock.Kind.WEIGHT
                : isState(layer, key) ? ParameterBlock.Kind.STATE : ParameterBlock.Kind.BIAS;
        int outputAxis = !weight ? shape.length - 1 : shape.length == 2 ? 1 : 0;
        if (!weight && shape.length == 2 && shape[0] == 1) {
            shape = new int[] {shape[1]};
            outputAxis = 0;
        }
        return new ParameterBlock(name, index, kind, shape, offset, p.ordering(), outputAxis, activation);
    }

    /**
     * Whether {@code key} of {@code layer} is state rather than a parameter: a batch normalisation's running mean,
     * and its running variance (or, with {@code useLogStd}, log10 of its standard deviation).
     */
    static boolean isState(Layer layer, String key) {
        return layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization
                && (key.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                || key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                || key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
    }

    private static String activation(Layer layer) {
        if (layer.conf().getLayer() instanceof BaseLayer base && base.getActivationFn() != null) {
            return base.getActivationFn().toString().toLowerCase(java.util.Locale.ROOT);
        }
        return "";
    }

    private static ParameterLayout check(ParameterLayout layout, long numParams) {
        if (layout.size() != numParams) {
            throw new IllegalStateException("Layout covers " + layout.size() + " parameters, network has " + numParams);
        }
        return layout;
    }

    private static int[] toInt(long[] shape) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = Math.toIntExact(shape[i]);
        }
        return out;
    }
}
