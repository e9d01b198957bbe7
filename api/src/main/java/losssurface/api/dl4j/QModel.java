package losssurface.api.dl4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.ParameterLayout;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;

/**
 * A trained Q-network: {@code network} maps an observation to one value per action.
 *
 * @param network     the trained network (theta*)
 * @param gamma       the discount factor it was trained with
 * @param checkpoints parameter snapshots taken while training
 * @param history     per-episode curves
 * @param summary     headline numbers (evaluation return, steps, wall time)
 */
public record QModel(MultiLayerNetwork network, double gamma, List<float[]> checkpoints, TrainingHistory history,
                     Map<String, Object> summary) implements TrainedModel {
    public QModel {
        Objects.requireNonNull(network, "network");
        checkpoints = List.copyOf(checkpoints);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    @Override
    public float[] parameters() {
        return network.params().toFloatVector();
    }

    @Override
    public ParameterLayout layout() {
        return Layouts.of(network);
    }
}
