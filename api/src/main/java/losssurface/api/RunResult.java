package losssurface.api;

import java.util.Objects;

/**
 * A finished run as renderers see it.
 *
 * @param name       the run's folder name
 * @param surface    the measured surface
 * @param model      the trained model (history, summary, artefacts)
 * @param provenance where the run came from
 */
public record RunResult(String name, Surface surface, TrainedModel model, Provenance provenance) {
    public RunResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provenance, "provenance");
    }
}
