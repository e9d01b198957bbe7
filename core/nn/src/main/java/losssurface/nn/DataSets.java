package losssurface.nn;

import java.util.Arrays;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.LossSurfaceException;
import losssurface.data.Examples;

/** Examples read from a data file ({@link losssurface.data.DataFiles}) as a DL4J {@link DataSet}. */
public final class DataSets {

    private DataSets() {
    }

    /**
     * The examples as a DataSet for a DL4J network that takes {@code inputs} features per example
     * (any example shape with that many values is flattened) and gives {@code outputs} outputs.
     * Class labels become one-hot rows.
     *
     * @param labelColumn the CSV column the labels came from (for messages)
     * @param classifier  whether labels are class indices
     */
    public static DataSet of(Examples e, String labelColumn, long inputs, long outputs, boolean classifier) {
        if (e.featuresPerExample() != inputs) {
            throw new LossSurfaceException("Data file " + e.source() + " has " + e.featuresPerExample()
                    + (!e.columns().isEmpty() ? " feature columns (all but '" + labelColumn + "')" : " features per example")
                    + (e.exampleShape().length > 1 ? " (examples of shape " + Arrays.toString(e.exampleShape()) + ")" : "")
                    + " but the network's input layer takes " + inputs + ".");
        }
        int n = e.count();
        org.nd4j.linalg.api.ndarray.INDArray features = Nd4j.create(e.features(), new long[] {n, inputs}, 'c');
        int[] ys = e.labelShape();
        float[][] labels = new float[n][];
        if (classifier || ys.length == 1) {
            if (ys.length != 1) {
                throw new LossSurfaceException("Data file " + e.source() + " has labels of shape " + Arrays.toString(ys)
                        + "; a classifier's labels are class indices of shape [examples].");
            }
            for (int i = 0; i < n; i++) {
                labels[i] = label(e.labels()[i], e.where(i), outputs, classifier);
            }
        } else {
            if (ys[1] != outputs) {
                throw new LossSurfaceException("Data file " + e.source() + " has labels of shape " + Arrays.toString(ys)
                        + " but the network has " + outputs + " outputs.");
            }
            for (int i = 0; i < n; i++) {
                labels[i] = Arrays.copyOfRange(e.labels(), i * ys[1], (i + 1) * ys[1]);
            }
        }
        return new DataSet(features, Nd4j.create(labels));
    }

    private static float[] label(double y, String where, long outputs, boolean classifier) {
        if (!classifier) {
            if (outputs != 1) {
                throw new LossSurfaceException(where + ": one label per example, but the network has " + outputs
                        + " outputs. Give y.npy with shape [examples, " + outputs + "].");
            }
            return new float[] {(float) y};
        }
        if (y != Math.rint(y) || y < 0 || y >= outputs) {
            throw new LossSurfaceException(where + ": label " + y + " is not a class of this network (0 to " + (outputs - 1) + ").");
        }
        float[] oneHot = new float[(int) outputs];
        oneHot[(int) y] = 1;
        return oneHot;
    }
}
