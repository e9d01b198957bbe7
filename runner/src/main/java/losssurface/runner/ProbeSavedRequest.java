package losssurface.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import losssurface.api.Settings;

/**
 * What {@code probe} was asked to do.
 *
 * @param model       an ONNX model, or a network saved with DL4J's ModelSerializer
 * @param data        a CSV file, an x.npy file, a folder with x.npy and y.npy, or an .npz file
 * @param labelColumn the CSV column holding labels
 * @param loss        the loss of an ONNX model's output
 * @param batch       examples per ONNX Runtime run
 * @param nonFinite   what to do with NaN or infinity in the data
 * @param probe       probe name
 * @param renderers   renderer names; empty means all that are on by default
 * @param settings    the {@code --set} pairs
 * @param out         the output folder
 * @param seed        the run seed
 * @param cacheDir    the download cache
 */
record ProbeSavedRequest(Path model, Path data, String labelColumn, losssurface.onnx.OnnxLoss loss, int batch,
                         losssurface.nn.DataFiles.NonFinite nonFinite, String probe, List<String> renderers, Settings settings,
                         Path out, long seed, Path cacheDir) {
    ProbeSavedRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(labelColumn, "labelColumn");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(nonFinite, "nonFinite");
        Objects.requireNonNull(probe, "probe");
        renderers = List.copyOf(renderers);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
    }
}
