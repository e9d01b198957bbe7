package losssurface.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named series recorded while training, e.g. {@code train-loss} and {@code test-accuracy} per
 * epoch, or {@code return} per episode.
 *
 * @param xLabel what one step of every series is ("epoch", "episode")
 * @param series values by series name, in insertion order
 */
public record TrainingHistory(String xLabel, Map<String, double[]> series) {
    public TrainingHistory {
        Map<String, double[]> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, v.clone()));
        series = java.util.Collections.unmodifiableMap(copy);
    }

    public static TrainingHistory empty() {
        return new TrainingHistory("step", Map.of());
    }
}
