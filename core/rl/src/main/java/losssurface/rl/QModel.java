package losssurface.rl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.Agent;
import losssurface.api.EnvironmentTask;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.RunContext;
import losssurface.api.TrainingHistory;
import losssurface.nn.HasNetwork;
import losssurface.nn.dense.Layouts;

/**
 * A trained action-value network Q(s, .) of a discrete-action agent (the {@code q-network} and
 * {@code dqn} trainers hand one back): one input per observation entry, one identity output per
 * action. The RL objectives ({@link TdObjective}, {@link ReturnObjective}) are built from it.
 *
 * @param network     the trained Q-network (theta* are its parameters); callers must not train it further
 * @param gamma       the discount factor it was trained with, used by the TD objectives
 * @param checkpoints parameter snapshots taken while training, oldest first
 * @param history     per-episode curves ({@code return}, {@code td-loss}, ...)
 * @param summary     headline numbers (evaluation return, steps, wall time)
 * @param surface     which RL objectives its surfaces show (the {@code rl.*} settings)
 */
public record QModel(MultiLayerNetwork network, double gamma, List<float[]> checkpoints, TrainingHistory history,
                     Map<String, Object> summary, RlObjectiveSettings surface) implements Agent, HasNetwork {

    public QModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(surface, "surface");
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be between 0 and 1, was " + gamma);
        }
        checkpoints = checkpoints.stream().map(float[]::clone).toList();
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /** A model whose surface is the default RL objective ({@link RlObjectiveSettings#defaults()}). */
    public QModel(MultiLayerNetwork network, double gamma, List<float[]> checkpoints, TrainingHistory history,
                  Map<String, Object> summary) {
        this(network, gamma, checkpoints, history, summary, RlObjectiveSettings.defaults());
    }

    /** The first RL objective chosen by {@link #surface()}, in {@code task}'s environment. */
    @Override
    public Objective objective(EnvironmentTask task, RunContext context) {
        return objective(task, context, surface.objectives().get(0));
    }

    /** The RL objectives chosen by {@link #surface()} ({@code rl.objective}). */
    @Override
    public List<String> objectiveNames() {
        return surface.objectives();
    }

    @Override
    public Objective objective(EnvironmentTask task, RunContext context, String name) {
        return surface.objective(this, task, context, name);
    }

    @Override
    public float[] parameters() {
        return network.params().toFloatVector();
    }

    @Override
    public ParameterLayout layout() {
        return Layouts.of(network);
    }

    @Override
    public List<float[]> checkpoints() {
        return checkpoints.stream().map(float[]::clone).toList();
    }

    /** Number of actions (outputs of the network). */
    public int actionCount() {
        return Math.toIntExact(network.getOutputLayer().getParam("b").length());
    }

    /** The network as a DL4J zip. */
    @Override
    public boolean saveNative(java.nio.file.Path file) throws java.io.IOException {
        return saveNetwork(file);
    }
}
