package losssurface.api;

import java.util.List;
import java.util.Objects;

/**
 * What a probe measures: an objective around a centre.
 *
 * @param objective   the function to probe
 * @param centre      theta*, the point the surface is centred on
 * @param checkpoints parameter snapshots from training, oldest first (may be empty)
 * @param context     seed and progress
 */
public record ProbeInput(Objective objective, float[] centre, List<float[]> checkpoints, RunContext context) {
    public ProbeInput {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(context, "context");
        objective.layout().requireFits(centre, "The centre");
        centre = centre.clone();
        checkpoints = List.copyOf(checkpoints);
    }

    @Override
    public float[] centre() {
        return centre.clone();
    }
}
