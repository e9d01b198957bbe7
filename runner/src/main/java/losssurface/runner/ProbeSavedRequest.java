package losssurface.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import losssurface.api.ModelSource;
import losssurface.api.Settings;

/**
 * What {@code probe} was asked to do.
 *
 * @param model     a model file of a format an installed model source reads (an ONNX model, a DL4J zip)
 * @param data      a CSV file, an x.npy file, a folder with x.npy and y.npy, or an .npz file
 * @param options   how the data is read and scored (label column, loss, batch, NaN policy)
 * @param probe     probe name
 * @param renderers renderer names; empty means all that are on by default
 * @param settings  the {@code --set} pairs
 * @param out       the output folder
 * @param seed      the run seed
 * @param cacheDir  the download cache
 */
public record ProbeSavedRequest(Path model, Path data, ModelSource.Options options, String probe, List<String> renderers,
                         Settings settings, Path out, long seed, Path cacheDir) {
    public ProbeSavedRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(probe, "probe");
        renderers = List.copyOf(renderers);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
    }
}
