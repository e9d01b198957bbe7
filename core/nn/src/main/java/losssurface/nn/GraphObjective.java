package losssurface.nn;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.Layouts;

/**
 * The loss of a DL4J {@link ComputationGraph} with one input and one output over a fixed data
 * set: DL4J's own score (the mean of the output layer's loss), plus accuracy for a softmax
 * classifier. Scores a private copy of the graph; not thread-safe.
 */
public final class GraphObjective implements Objective {

    private final ComputationGraph graph;
    private final DataSet data;
    private final ParameterLayout layout;
    private final boolean classifier;
    private final String description;

    private GraphObjective(ComputationGraph graph, DataSet data, boolean classifier, String dataName) {
        this.graph = graph;
        this.data = data;
        this.layout = Layouts.of(graph);
        this.classifier = classifier;
        this.description = "mean loss (DL4J score)" + (classifier ? " and accuracy" : "") + " over " + dataName;
    }

    /**
     * @param classifier whether the output is a softmax over classes (then accuracy is reported)
     * @throws LossSurfaceException for a graph with several inputs or outputs
     */
    public static GraphObjective of(ComputationGraph graph, DataSet data, boolean classifier, String dataName) {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new LossSurfaceException("Only graphs with one input and one output can be probed; this one has "
                    + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs.");
        }
        return new GraphObjective(graph.clone(), data, classifier, dataName);
    }

    /** The objective's own copy of the graph, for evaluators that convert it (not to be changed). */
    public ComputationGraph graph() {
        return graph;
    }

    /** The examples and their labels. */
    public DataSet data() {
        return data;
    }

    /** Whether the output is a softmax over classes (metrics {@code loss, accuracy}). */
    public boolean classifier() {
        return classifier;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public List<String> metrics() {
        return classifier ? List.of("loss", "accuracy") : List.of("loss");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public double[] evaluate(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        graph.params().assign(Nd4j.createFromArray(parameters));
        double loss = graph.score(data, false);
        if (!classifier) {
            return new double[] {loss};
        }
        INDArray out = graph.outputSingle(false, data.getFeatures());
        INDArray predicted = out.argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        double correct = predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).sumNumber().doubleValue();
        out.close();
        return new double[] {loss, correct / data.numExamples()};
    }

    @Override
    public boolean hasGradient() {
        return true;
    }

    @Override
    public float[] gradient(float[] parameters) {
        layout.requireFits(parameters, "The parameter vector");
        graph.params().assign(Nd4j.createFromArray(parameters));
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();
        float[] g = graph.gradient().gradient().toFloatVector();
        graph.clear();
        float scale = 1f / data.numExamples();
        for (int i = 0; i < g.length; i++) {
            g[i] *= scale;
        }
        return g;
    }
}
