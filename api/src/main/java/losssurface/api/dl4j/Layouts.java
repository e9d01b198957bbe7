package losssurface.api.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
            String activation = "";
            if (layer.conf().getLayer() instanceof BaseLayer base && base.getActivationFn() != null) {
                activation = base.getActivationFn().toString().toLowerCase(java.util.Locale.ROOT);
            }
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray p = e.getValue();
                int[] shape = toInt(p.shape());
                String key = e.getKey();
                boolean weight = key.startsWith("W") && shape.length >= 2;
                ParameterBlock.Kind kind = weight ? ParameterBlock.Kind.WEIGHT : ParameterBlock.Kind.BIAS;
                int outputAxis = !weight ? shape.length - 1 : shape.length == 2 ? 1 : 0;
                if (!weight && shape.length == 2 && shape[0] == 1) {
                    shape = new int[] {shape[1]};
                    outputAxis = 0;
                }
                blocks.add(new ParameterBlock(i + "_" + key, i, kind, shape, offset, p.ordering(), outputAxis, activation));
                offset += (int) p.length();
            }
        }
        ParameterLayout layout = new ParameterLayout(blocks);
        if (layout.size() != network.numParams()) {
            throw new IllegalStateException("Layout covers " + layout.size() + " parameters, network has " + network.numParams());
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
