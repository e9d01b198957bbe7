package losssurface.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.DenseHessian;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.FastMlpEvaluator;
import losssurface.nn.dense.Layouts;
import losssurface.data.Losses;

/**
 * The loss of a DL4J {@link MultiLayerNetwork} over a fixed data set, as a function of its flat
 * parameter vector. Every call scores the same examples.
 *
 * <ul>
 *   <li>softmax output with cross-entropy (MCXENT or negative log-likelihood): {@code loss} is
 *   the mean over examples of {@code -ln softmax(z)[label]}, computed from the logits z in
 *   double precision (stable where probabilities underflow), and {@code accuracy} is the
 *   fraction of examples whose largest logit is the label;</li>
 *   <li>identity output with MSE: {@code loss} is the mean squared error over every output of
 *   every example;</li>
 *   <li>anything else: {@code loss} is DL4J's own score of the data set.</li>
 * </ul>
 *
 * The objective scores a private copy of the network, so the caller's network is not changed.
 * It is not thread-safe.
 */
public final class NetworkObjective implements Objective, FastMlpEvaluator.Offer {

    private enum Mode { CROSS_ENTROPY, MSE, SCORE }

    /** Examples per forward pass of the cross-entropy (so that a convolutional network's patches stay within a few hundred MB). */
    static final int BLOCK = 2000;

    private final MultiLayerNetwork net;
    private final DataSet data;
    private String identity; // computed once, when asked
    private final ParameterLayout layout;
    private final Mode mode;
    private final int[] labels;
    private final String description;
    private final String dataName;

    private NetworkObjective(MultiLayerNetwork net, DataSet data, String dataName) {
        this.net = net;
        this.dataName = dataName;
        this.data = data;
        this.layout = Layouts.of(net);
        this.mode = modeOf(net);
        this.labels = mode == Mode.CROSS_ENTROPY ? argmaxRows(data.getLabels()) : null;
        this.description = switch (mode) {
            case CROSS_ENTROPY -> "mean cross-entropy (natural log) and accuracy over " + dataName;
            case MSE -> "mean squared error over " + dataName;
            case SCORE -> "DL4J score over " + dataName;
        };
    }

    /**
     * An objective over {@code data} for a copy of {@code network}.
     *
     * @throws LossSurfaceException when the data does not fit the network
     */
    public static NetworkObjective of(MultiLayerNetwork network, DataSet data, String dataName) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        if (data.numExamples() == 0) {
            throw new LossSurfaceException("The evaluation set for " + dataName + " is empty.");
        }
        long nIn = SavedNetwork.flatInputs(network);
        if (nIn > 0 && data.getFeatures().size(1) != nIn) {
            throw new LossSurfaceException("The evaluation data has " + data.getFeatures().size(1)
                    + " features per example but the network's input layer takes " + nIn + ".");
        }
        return new NetworkObjective(network.clone(), data, dataName);
    }

    /** An objective over every example {@code data} yields (read once, then held in memory). */
    public static NetworkObjective of(MultiLayerNetwork network, org.nd4j.linalg.dataset.api.iterator.DataSetIterator data,
                                      String dataName) {
        java.util.List<DataSet> batches = new java.util.ArrayList<>();
        data.reset();
        while (data.hasNext()) {
            batches.add(data.next());
        }
        if (batches.isEmpty()) {
            throw new LossSurfaceException("The data iterator for " + dataName + " yields no examples.");
        }
        return of(network, DataSet.merge(batches), dataName);
    }

    private static Mode modeOf(MultiLayerNetwork net) {
        if (net.getOutputLayer().conf().getLayer() instanceof BaseOutputLayer out) {
            ILossFunction loss = out.getLossFn();
            boolean softmax = out.getActivationFn() instanceof ActivationSoftmax;
            if (softmax && (loss instanceof LossMCXENT || loss instanceof LossNegativeLogLikelihood)
                    && out instanceof org.deeplearning4j.nn.conf.layers.OutputLayer) {
                return Mode.CROSS_ENTROPY;
            }
            if (loss instanceof LossMSE && out.getActivationFn() instanceof ActivationIdentity) {
                return Mode.MSE;
            }
        }
        return Mode.SCORE;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public List<String> metrics() {
        return mode == Mode.CROSS_ENTROPY ? List.of("loss", "accuracy") : List.of("loss");
    }

    @Override
    public String description() {
        return description;
    }

    /** The description and a checksum of the evaluation data (features and labels). */
    @Override
    public String identity() {
        if (identity == null) {
            identity = description + "; data sha256 " + new losssurface.api.io.Checksum()
                    .add(data.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat())
                    .add(data.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat()).hex();
        }
        return identity;
    }

    /** Number of examples scored per evaluation. */
    public int examples() {
        return data.numExamples();
    }

    @Override
    public double[] evaluate(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        net.params().assign(Nd4j.createFromArray(parameters));
        // Temporaries are closed as soon as they are read: left to the garbage collector, the
        // off-heap memory of a 51 x 51 MNIST surface grows the process by gigabytes.
        switch (mode) {
            case CROSS_ENTROPY -> {
                // in blocks of rows: DL4J's forward pass of a convolutional network holds every row's patches
                // at once (about 110 kB an MNIST image, over a gigabyte for the 10,000 test images)
                int rows = data.numExamples();
                double[] sums = new double[2];
                for (int from = 0; from < rows; from += BLOCK) {
                    int to = Math.min(rows, from + BLOCK);
                    INDArray x = rows <= BLOCK ? data.getFeatures()
                            : data.getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    INDArray logits = logits(x);
                    crossEntropy(logits, from, sums);
                    logits.close();
                }
                return new double[] {sums[0] / rows, sums[1] / rows};
            }
            case MSE -> {
                INDArray out = net.output(data.getFeatures(), false);
                double v = meanSquaredError(out);
                out.close();
                return new double[] {v};
            }
            default -> {
                return new double[] {net.score(data, false)};
            }
        }
    }

    /** Why the fast-mlp evaluator cannot compute this objective, or empty when it can. */
    @Override
    public java.util.Optional<String> notDense() {
        return mode == Mode.SCORE
                ? java.util.Optional.of("the output layer's loss is not softmax cross-entropy or identity MSE")
                : DenseNet.unsupported(net);
    }

    @Override
    public DenseNet shape() {
        return DenseNet.of(net);
    }

    @Override
    public INDArray features() {
        return data.getFeatures();
    }

    @Override
    public FastMlpEvaluator.LossFunction loss() {
        if (mode == Mode.CROSS_ENTROPY) {
            return (z, rows, cols) -> Losses.crossEntropy(z, rows, cols, cols, 1, labels, 1);
        }
        float[] y = data.getLabels().castTo(DataType.FLOAT).dup('c').data().asFloat();
        return (z, rows, cols) -> new double[] {Losses.meanSquaredError(z, y)}; // identity output: the pre-activations are the outputs
    }

    /** The objective's own copy of the network, for evaluators that convert it (not to be changed). */
    public MultiLayerNetwork network() {
        return net;
    }

    /** The examples and their labels. */
    public DataSet data() {
        return data;
    }

    /**
     * Whether the loss is the mean softmax cross-entropy with accuracy (metrics {@code loss, accuracy}); else, when
     * {@link #meanSquaredError()} is false either, it is DL4J's own score.
     */
    public boolean crossEntropy() {
        return mode == Mode.CROSS_ENTROPY;
    }

    /** Whether the loss is the mean squared error of an identity output (metric {@code loss}). */
    public boolean meanSquaredError() {
        return mode == Mode.MSE;
    }

    /** The same network and data, for another thread. */
    @Override
    public java.util.Optional<Objective> copy() {
        return java.util.Optional.of(new NetworkObjective(net.clone(), data, dataName));
    }

    /**
     * For a dense network scored by softmax cross-entropy or identity MSE: the exact Hessian of the
     * mean loss over the data set ({@link DenseHessian}, the R-operator in double), at {@code parameters}.
     */
    @Override
    public java.util.Optional<losssurface.api.curvature.HessianOperator> hessian(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        if (mode == Mode.SCORE || DenseNet.unsupported(net).isPresent()) {
            return java.util.Optional.empty();
        }
        float[] x = data.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] y = data.getLabels().castTo(DataType.FLOAT).dup('c').data().asFloat();
        return java.util.Optional.of(new DenseHessian(DenseNet.of(net), parameters, x, y, data.numExamples(), mode == Mode.CROSS_ENTROPY));
    }

    /** The gradient of the mean loss over the data set, by DL4J's backpropagation. */
    @Override
    public boolean hasGradient() {
        return true;
    }

    @Override
    public float[] gradient(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        float[] g = new float[parameters.length];
        meanGradient(net, parameters, data.getFeatures(), data.getLabels(), g);
        return g;
    }

    /**
     * The gradient of the mean loss of {@code net} at {@code parameters} over the examples {@code x}
     * with labels {@code y}, by DL4J's backpropagation, into {@code gradient}; returns DL4J's score
     * there (the mean loss).
     */
    static double meanGradient(MultiLayerNetwork net, float[] parameters, INDArray x, INDArray y, float[] gradient) {
        INDArray p = Nd4j.createFromArray(parameters);
        net.params().assign(p);
        p.close();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        double score = net.score();
        // DL4J's backpropagated gradient is summed over the examples; its updater divides by the
        // minibatch size later. The loss here is the mean, so divide now.
        float[] g = net.gradient().gradient().toFloatVector();
        net.clear();
        float scale = 1f / x.size(0);
        for (int i = 0; i < g.length; i++) {
            gradient[i] = g[i] * scale;
        }
        return score;
    }

    /** Pre-softmax activations of the output layer for the examples {@code x}, {@code [examples, classes]}. */
    private INDArray logits(INDArray x) {
        INDArray hidden = x;
        int n = net.getnLayers();
        List<INDArray> acts = List.of();
        if (n >= 2) {
            acts = net.feedForwardToLayer(n - 2, hidden, false);
            hidden = acts.get(acts.size() - 1);
        }
        org.deeplearning4j.nn.api.Layer out = net.getOutputLayer();
        INDArray logits = hidden.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
        for (int i = 1; i < acts.size(); i++) { // entry 0 is the input itself
            acts.get(i).close();
        }
        return logits;
    }

    /** Adds the summed cross-entropy and the correct count of {@code logits}, the rows from {@code first} on, to {@code sums}. */
    private void crossEntropy(INDArray logits, int first, double[] sums) {
        int rows = (int) logits.size(0);
        int cols = (int) logits.size(1);
        // Read the logits in whatever order they are stored: element (r, c) is at r * rs + c * cs.
        boolean columnMajor = logits.ordering() == 'f' && !logits.isView();
        float[] z;
        if (columnMajor) {
            z = logits.data().asFloat();
        } else {
            INDArray c = logits.dup('c');
            z = c.data().asFloat();
            c.close();
        }
        int[] own = first == 0 && rows == labels.length ? labels : Arrays.copyOfRange(labels, first, first + rows);
        Losses.crossEntropy(z, cols, columnMajor ? 1 : cols, columnMajor ? rows : 1, own, 0, rows, sums);
    }

    private double meanSquaredError(INDArray output) {
        return Losses.meanSquaredError(output.dup('c').data().asFloat(), data.getLabels().dup('c').data().asFloat());
    }

    private static int[] argmaxRows(INDArray labels) {
        int rows = (int) labels.size(0);
        int cols = (int) labels.size(1);
        float[] v = labels.dup('c').data().asFloat();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int arg = 0;
            for (int c = 1; c < cols; c++) {
                if (v[r * cols + c] > v[r * cols + arg]) {
                    arg = c;
                }
            }
            out[r] = arg;
        }
        return out;
    }
}
