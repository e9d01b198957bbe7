package losssurface.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.dataset.DataSet;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.TrainedModel;
import losssurface.nn.dense.Layouts;

/**
 * A network someone else trained and saved with DL4J's {@code ModelSerializer}: a
 * {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph}. Its
 * parameters are theta*; it has no training history.
 */
public final class SavedNetwork implements TrainedModel {

    private final Path file;
    private final MultiLayerNetwork network;
    private final ComputationGraph graph;

    private SavedNetwork(Path file, MultiLayerNetwork network, ComputationGraph graph) {
        this.file = file;
        this.network = network;
        this.graph = graph;
    }

    /**
     * Loads {@code file}.
     *
     * @throws LossSurfaceException naming the file and what is wrong with it
     */
    public static SavedNetwork load(Path file) {
        return load(file, 4 * losssurface.api.ModelSource.Options.MAX_ELEMENTS);
    }

    /**
     * {@link #load(Path)}, refusing a zip whose entries expand past {@code maxBytes} in all (measured by inflating them,
     * not by what the zip declares) or whose entry names leave the folder, before DL4J reads it.
     */
    public static SavedNetwork load(Path file, long maxBytes) {
        if (!Files.isRegularFile(file)) {
            throw new LossSurfaceException("Model file " + file + " does not exist. Name a network saved with "
                    + "ModelSerializer.writeModel(net, file, false).");
        }
        requireSafeZip(file, maxBytes);
        String configuration;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json");
            if (conf == null || zip.getEntry("coefficients.bin") == null) {
                throw new LossSurfaceException("Model file " + file + " is a zip but not a DL4J model: it lacks "
                        + "configuration.json or coefficients.bin. Save the network with ModelSerializer.writeModel.");
            }
            try (InputStream in = zip.getInputStream(conf)) {
                configuration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Model file " + file + " is not a DL4J model (not a readable zip: "
                    + e.getMessage() + "). Save the network with ModelSerializer.writeModel.", e);
        }
        boolean isGraph = configuration.contains("\"vertices\"");
        try {
            return isGraph ? new SavedNetwork(file, null, ModelSerializer.restoreComputationGraph(file.toFile(), false))
                    : new SavedNetwork(file, ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false), null);
        } catch (IOException | RuntimeException e) {
            throw new LossSurfaceException("Model file " + file + " could not be read as a DL4J "
                    + (isGraph ? "ComputationGraph" : "MultiLayerNetwork") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Entries a DL4J model's zip may hold: it writes at most five (configuration, coefficients, updater state, normalizer,
     * preprocessor); a thousand leaves room for what other writers add.
     */
    static final int MAX_ZIP_ENTRIES = 1000;

    /** Refuses entries whose names leave the folder, a zip of more than {@value #MAX_ZIP_ENTRIES} entries, and a zip that expands past {@code maxBytes}. */
    static void requireSafeZip(Path file, long maxBytes) {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ZIP_ENTRIES) {
                throw new LossSurfaceException(String.format(java.util.Locale.ROOT, "Model file %s holds %,d entries; a DL4J model"
                        + " holds at most 5, and files of more than %,d are refused before they are read. The file is damaged or"
                        + " hostile: save the network again with ModelSerializer.writeModel.", file, zip.size(), MAX_ZIP_ENTRIES));
            }
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String name = e.getName().replace('\\', '/');
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || java.util.Arrays.asList(name.split("/")).contains("..")) {
                    throw new LossSurfaceException("Model file " + file + " holds an entry named '" + e.getName() + "', a path that"
                            + " leaves the folder; a DL4J model never does. The file is damaged or hostile: save the network again"
                            + " with ModelSerializer.writeModel.");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > maxBytes) {
                            throw new LossSurfaceException(String.format(java.util.Locale.ROOT, "Model file %s expands past %,d"
                                    + " bytes (at entry '%s'), the limit for a network of at most %,d parameters. Model files are"
                                    + " untrusted and refused before they cost memory; if the network is yours and that large, raise"
                                    + " the limit with --max-elements.", file, maxBytes, e.getName(), maxBytes / 4));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Model file " + file + " is not a DL4J model (not a readable zip: "
                    + e.getMessage() + "). Save the network with ModelSerializer.writeModel.", e);
        }
    }

    /** The network, when it is a {@link MultiLayerNetwork}. */
    public java.util.Optional<MultiLayerNetwork> multiLayerNetwork() {
        return java.util.Optional.ofNullable(network);
    }

    /** The network, when it is a {@link ComputationGraph}. */
    public java.util.Optional<ComputationGraph> computationGraph() {
        return java.util.Optional.ofNullable(graph);
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    public String type() {
        return network != null ? "MultiLayerNetwork" : "ComputationGraph";
    }

    /** Inputs per example the first layer takes. */
    public long inputs() {
        return network != null ? flatInputs(network) : ((FeedForwardLayer) graph.getLayers()[0].conf().getLayer()).getNIn();
    }

    /**
     * Values per example a network takes as a flat row: its first layer's inputs, or for a network
     * fed flat images ({@code InputType.convolutionalFlat}) height × width × channels.
     */
    public static long flatInputs(MultiLayerNetwork network) {
        if (network.getLayerWiseConfigurations().getInputPreProcess(0)
                instanceof org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor images) {
            return images.getInputHeight() * images.getInputWidth() * images.getNumChannels();
        }
        return network.layerInputSize(0);
    }

    /** Outputs of the output layer (classes, for a classifier). */
    public long outputs() {
        return ((FeedForwardLayer) outputLayer().conf().getLayer()).getNOut();
    }

    /** Whether the output layer is a softmax over classes (labels are then class indices). */
    public boolean classifier() {
        return outputLayer().conf().getLayer() instanceof BaseOutputLayer out && out.getActivationFn() instanceof ActivationSoftmax;
    }

    private Layer outputLayer() {
        return network != null ? network.getOutputLayer() : graph.getOutputLayer(0);
    }

    /** The objective of this network over {@code data}: the loss its output layer defines. */
    public Objective objective(DataSet data, String dataName) {
        return network != null ? NetworkObjective.of(network, data, dataName) : GraphObjective.of(graph, data, classifier(), dataName);
    }

    @Override
    public float[] parameters() {
        return (network != null ? network.params() : graph.params()).toFloatVector();
    }

    @Override
    public ParameterLayout layout() {
        return network != null ? Layouts.of(network) : Layouts.of(graph);
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model-file", file.toString());
        m.put("model-type", type());
        m.put("parameters", network != null ? network.numParams() : graph.numParams());
        m.put("inputs", inputs());
        m.put("outputs", outputs());
        return m;
    }
}
