package losssurface.nn;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.ParameterLayout;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;
import losssurface.nn.dense.Layouts;

/**
 * A trained DL4J network with what was recorded while training it.
 *
 * @param network     the trained network (theta* are its parameters)
 * @param checkpoints parameter snapshots, oldest first
 * @param history     per-epoch curves
 * @param summary     headline numbers
 */
public record NetworkModel(MultiLayerNetwork network, List<float[]> checkpoints, TrainingHistory history,
                           Map<String, Object> summary) implements TrainedModel, HasNetwork {
    public NetworkModel {
        Objects.requireNonNull(network, "network");
        checkpoints = List.copyOf(checkpoints);
        summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
    }

    @Override
    public float[] parameters() {
        return network.params().toFloatVector();
    }

    @Override
    public ParameterLayout layout() {
        return Layouts.of(network);
    }

    /** The network as a DL4J zip. */
    @Override
    public boolean saveNative(java.nio.file.Path file) throws java.io.IOException {
        return saveNetwork(file);
    }
}
