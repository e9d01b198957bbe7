package losssurface.plugin.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.ParameterLayout;
import losssurface.api.io.Npy;

/** Reads a flat parameter vector from a {@code .npy} file, e.g. the {@code theta.npy} of another run. */
final class VectorFiles {
    private VectorFiles() {
    }

    static float[] read(Path file, ParameterLayout layout, String key) {
        if (!Files.isRegularFile(file)) {
            throw new LossSurfaceException(key + ": " + file + " is not a file. Name a .npy file holding a flat "
                    + "parameter vector, e.g. the theta.npy of an earlier run.");
        }
        NamedArray array;
        try {
            array = Npy.read(file);
        } catch (IOException e) {
            throw new LossSurfaceException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        float[] out;
        if (array.values() instanceof float[] f) {
            out = f;
        } else if (array.values() instanceof double[] d) {
            out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        } else {
            throw new LossSurfaceException(key + ": " + file + " holds integers or booleans; a parameter vector is float32 or float64.");
        }
        if (out.length != layout.size()) {
            throw new LossSurfaceException(key + ": " + file + " holds " + out.length + " values but the model has "
                    + layout.size() + " parameters. Use a vector saved from the same architecture.");
        }
        return out;
    }
}
