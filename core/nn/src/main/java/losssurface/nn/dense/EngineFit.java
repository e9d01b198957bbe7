package losssurface.nn.dense;

import java.util.Optional;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Supervised training on the engine instead of DL4J's {@code fit}, with the same steps: a dense
 * network by {@link DenseFit}, a convolutional one by {@link ConvFit}.
 */
public interface EngineFit extends AutoCloseable {

    /**
     * One Adam step on the examples {@code order[from .. from + rows)} of the data set
     * ({@code features} row-major {@code [n, inputs]}, {@code labels} row-major {@code [n, outputs]}).
     *
     * @return the minibatch's mean loss before the step, as DL4J's {@code score()} reports it
     */
    double step(float[] features, float[] labels, int[] order, int from, int rows);

    /**
     * The mean loss of the current parameters over the data set's rows {@code rows} (a forward pass
     * only, in minibatches), and for softmax cross-entropy the share of them classified correctly
     * (the first largest output is the label's first largest entry): the values DL4J's {@code score} and
     * evaluation give, to float rounding.
     *
     * @return {@code {mean loss, accuracy}}; accuracy is NaN for squared error
     */
    double[] evaluate(float[] features, float[] labels, int[] rows);

    /** A copy of the parameters in DL4J's flat order. */
    float[] parameters();

    /** Writes the parameters into {@code net}'s flat parameter vector. */
    void copyInto(MultiLayerNetwork net);

    /** What the engine trains this network as, for provenance: {@code dense} or {@code convolutional}. */
    String kind();

    @Override
    void close();

    /** Why the engine cannot train {@code net} as DL4J's {@code fit} would, or empty when it can. */
    static Optional<String> unsupported(MultiLayerNetwork net) {
        return convolutional(net) ? ConvFit.unsupported(net) : DenseFit.unsupported(net);
    }

    /**
     * The engine's trainer of {@code net}.
     *
     * @param maxBatch the largest minibatch {@link #step} will be given
     * @param threads  threads a step may use (a convolutional network's; the steps are the same for any number)
     * @throws IllegalArgumentException naming what the engine does not train (see {@link #unsupported})
     */
    static EngineFit of(MultiLayerNetwork net, double learningRate, int maxBatch, int threads) {
        return convolutional(net) ? new ConvFit(net, learningRate, maxBatch, threads) : new DenseFit(net, learningRate, maxBatch);
    }

    private static boolean convolutional(MultiLayerNetwork net) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).conf().getLayer() instanceof ConvolutionLayer) {
                return true;
            }
        }
        return false;
    }
}
