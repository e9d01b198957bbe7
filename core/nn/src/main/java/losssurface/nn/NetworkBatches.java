package losssurface.nn;

import java.util.Objects;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import losssurface.api.Check;
import losssurface.api.Connection;

/**
 * A network's training data in consecutive minibatches, with the mean loss and its gradient by DL4J's
 * backpropagation at any parameters: what {@code connect} fits its curve on. The last minibatch holds
 * what is left over. Plays a private copy of the network; not thread-safe.
 */
final class NetworkBatches implements Connection.Batches {

    private final MultiLayerNetwork net;
    private final DataSet data;
    private final int size;
    private final int count;
    private final String description;

    NetworkBatches(MultiLayerNetwork network, DataSet data, int size, String dataName) {
        Objects.requireNonNull(network, "network");
        Check.positive("batch size", size);
        int examples = data.numExamples();
        if (examples == 0) {
            throw new losssurface.api.LossSurfaceException("The training set is empty: there is nothing to fit a curve on.");
        }
        this.net = network.clone();
        this.data = data;
        this.size = Math.min(size, examples);
        this.count = (examples + this.size - 1) / this.size;
        this.description = dataName + " in " + count + " minibatches of " + this.size;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public double lossAndGradient(float[] parameters, int batch, float[] gradient) {
        Objects.checkIndex(batch, count);
        long from = (long) batch * size;
        long to = Math.min(from + size, data.numExamples());
        return NetworkObjective.meanGradient(net, parameters, rows(data.getFeatures(), from, to), rows(data.getLabels(), from, to),
                gradient);
    }

    /** The examples {@code from} to {@code to} (exclusive) of {@code a}, whatever its rank (a CNN's inputs are rank 4). */
    private static INDArray rows(INDArray a, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index);
    }

    @Override
    public String description() {
        return description;
    }
}
