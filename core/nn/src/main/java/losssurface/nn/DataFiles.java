package losssurface.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.io.Npy;

/**
 * Loads the examples a saved network is probed on, and checks them against the network:
 * <ul>
 *   <li>a CSV file with a header row: one column (by default {@code label}) holds the label,
 *   every other column is a feature, in order;</li>
 *   <li>NumPy files: {@code x.npy} ({@code [examples, features]}, float) and {@code y.npy}
 *   (class indices {@code [examples]} for a classifier; targets {@code [examples]} or
 *   {@code [examples, outputs]} for a regressor), given as their folder or as the x file.</li>
 * </ul>
 * Class labels become one-hot rows. Every mismatch names the file and what to fix.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /**
     * @param path        a .csv file, an x.npy file, or a folder holding x.npy and y.npy
     * @param labelColumn the CSV column holding labels
     * @param inputs      features the network takes
     * @param outputs     outputs the network gives (classes for a classifier)
     * @param classifier  whether labels are class indices
     */
    public static DataSet load(Path path, String labelColumn, long inputs, long outputs, boolean classifier) {
        if (!Files.exists(path)) {
            throw new LossSurfaceException("Data file " + path + " does not exist. Give a CSV file with a '" + labelColumn
                    + "' column, or x.npy/y.npy (or their folder).");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path) || name.endsWith(".npy")) {
            Path x = Files.isDirectory(path) ? path.resolve("x.npy") : path;
            Path y = x.resolveSibling(x.getFileName().toString().replaceFirst("^x", "y"));
            if (y.equals(x)) {
                y = x.resolveSibling("y.npy");
            }
            return npy(x, y, inputs, outputs, classifier);
        }
        return csv(path, labelColumn, inputs, outputs, classifier);
    }

    private static DataSet csv(Path file, String labelColumn, long inputs, long outputs, boolean classifier) {
        List<float[]> features = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw new LossSurfaceException("Data file " + file + " is empty. It needs a header row and one row per example.");
            }
            List<String> columns = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
            int label = columns.indexOf(labelColumn);
            if (label < 0) {
                throw new LossSurfaceException("Data file " + file + " has no column '" + labelColumn + "'. Its columns: "
                        + String.join(", ", columns) + ". Name the label column with --label-column.");
            }
            if (columns.size() - 1 != inputs) {
                throw new LossSurfaceException("Data file " + file + " has " + (columns.size() - 1) + " feature columns (all but '"
                        + labelColumn + "') but the network's input layer takes " + inputs + ".");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length != columns.size()) {
                    throw new LossSurfaceException("Data file " + file + ", line " + lineNo + ": " + fields.length
                            + " fields, the header has " + columns.size() + ".");
                }
                float[] f = new float[(int) inputs];
                int k = 0;
                double y = 0;
                for (int c = 0; c < fields.length; c++) {
                    double v;
                    try {
                        v = Double.parseDouble(fields[c].trim());
                    } catch (NumberFormatException e) {
                        throw new LossSurfaceException("Data file " + file + ", line " + lineNo + ", column '" + columns.get(c)
                                + "': '" + fields[c] + "' is not a number.");
                    }
                    if (c == label) {
                        y = v;
                    } else {
                        f[k++] = (float) v;
                    }
                }
                features.add(f);
                labels.add(label(y, file + ", line " + lineNo, outputs, classifier));
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read data file " + file + ": " + e.getMessage(), e);
        }
        if (features.isEmpty()) {
            throw new LossSurfaceException("Data file " + file + " has a header but no examples.");
        }
        return new DataSet(Nd4j.create(features.toArray(float[][]::new)), Nd4j.create(labels.toArray(float[][]::new)));
    }

    private static DataSet npy(Path xFile, Path yFile, long inputs, long outputs, boolean classifier) {
        NamedArray x = read(xFile);
        NamedArray y = read(yFile);
        int[] xs = x.shape();
        if (xs.length != 2) {
            throw new LossSurfaceException("Data file " + xFile + " has shape " + Arrays.toString(xs)
                    + "; features must be [examples, " + inputs + "].");
        }
        if (xs[0] == 0) {
            throw new LossSurfaceException("Data file " + xFile + " holds no examples.");
        }
        if (xs[1] != inputs) {
            throw new LossSurfaceException("Data file " + xFile + " has " + xs[1] + " features per example but the network's "
                    + "input layer takes " + inputs + ".");
        }
        int[] ys = y.shape();
        if (ys[0] != xs[0]) {
            throw new LossSurfaceException("Data file " + yFile + " has " + ys[0] + " labels but " + xFile + " has "
                    + xs[0] + " examples.");
        }
        float[] xv = floats(x, xFile);
        float[][] features = new float[xs[0]][xs[1]];
        for (int i = 0; i < xs[0]; i++) {
            System.arraycopy(xv, i * xs[1], features[i], 0, xs[1]);
        }
        float[][] labels = new float[ys[0]][];
        if (classifier || ys.length == 1) {
            if (ys.length != 1) {
                throw new LossSurfaceException("Data file " + yFile + " has shape " + Arrays.toString(ys)
                        + "; a classifier's labels are class indices of shape [examples].");
            }
            float[] yv = floats(y, yFile);
            for (int i = 0; i < ys[0]; i++) {
                labels[i] = label(yv[i], yFile + ", example " + i, outputs, classifier);
            }
        } else {
            if (ys.length != 2 || ys[1] != outputs) {
                throw new LossSurfaceException("Data file " + yFile + " has shape " + Arrays.toString(ys)
                        + " but the network has " + outputs + " outputs.");
            }
            float[] yv = floats(y, yFile);
            for (int i = 0; i < ys[0]; i++) {
                labels[i] = Arrays.copyOfRange(yv, i * ys[1], (i + 1) * ys[1]);
            }
        }
        return new DataSet(Nd4j.create(features), Nd4j.create(labels));
    }

    private static float[] label(double y, String where, long outputs, boolean classifier) {
        if (!classifier) {
            if (outputs != 1) {
                throw new LossSurfaceException(where + ": one label per example, but the network has " + outputs
                        + " outputs. Give y.npy with shape [examples, " + outputs + "].");
            }
            return new float[] {(float) y};
        }
        if (y != Math.rint(y) || y < 0 || y >= outputs) {
            throw new LossSurfaceException(where + ": label " + y + " is not a class of this network (0 to " + (outputs - 1) + ").");
        }
        float[] oneHot = new float[(int) outputs];
        oneHot[(int) y] = 1;
        return oneHot;
    }

    private static NamedArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LossSurfaceException("Data file " + file + " does not exist. NumPy data needs x.npy and y.npy side by side.");
        }
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read data file " + file + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(NamedArray a, Path file) {
        Object v = a.values();
        if (v instanceof float[] f) {
            return f;
        }
        float[] out;
        if (v instanceof double[] d) {
            out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        } else if (v instanceof int[] n) {
            out = new float[n.length];
            for (int i = 0; i < n.length; i++) {
                out[i] = n[i];
            }
        } else {
            throw new LossSurfaceException("Data file " + file + " holds booleans; give numbers.");
        }
        return out;
    }
}
