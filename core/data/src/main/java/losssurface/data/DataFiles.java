package losssurface.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.io.Npy;

/**
 * Reads the labelled examples a model is probed on:
 * <ul>
 *   <li>a CSV file with a header row (RFC 4180: fields may be quoted, quotes doubled inside):
 *   one column (by default {@code label}) holds the label, every other column is a feature,
 *   in order;</li>
 *   <li>NumPy files: {@code x.npy} (features of any shape, {@code [examples, ...]}) and
 *   {@code y.npy} (class indices {@code [examples]}, or targets {@code [examples]} or
 *   {@code [examples, outputs]}), given as their folder or as the x file (the labels are then the
 *   file named with x swapped for y, e.g. {@code train_x.npy} and {@code train_y.npy}, or else
 *   {@code y.npy});</li>
 *   <li>a NumPy {@code .npz} archive holding {@code x} and {@code y} as above.</li>
 * </ul>
 * A NaN or infinity in features or labels is refused, naming the file, the example (line) and
 * the column or element, unless {@link NonFinite#DROP} is asked for. Every mismatch names the
 * file and what to fix.
 */
public final class DataFiles {

    /** What to do with an example whose features or label hold a NaN or an infinity. */
    public enum NonFinite {
        /** Stop with an error naming the first such value (the default). */
        REFUSE,
        /** Leave such examples out; {@link Loaded#dropped()} counts them. */
        DROP
    }

    /**
     * Examples read from a file.
     *
     * @param examples     what was kept
     * @param dropped      examples left out for a non-finite value ({@link NonFinite#DROP})
     * @param firstDropped where the first of them was, or empty
     */
    public record Loaded(Examples examples, int dropped, String firstDropped) {
    }

    private static final String FORMS = "a CSV file with a header and a label column, x.npy with y.npy beside it "
            + "(or their folder), or an .npz holding x and y";

    private DataFiles() {
    }

    /**
     * Reads {@code path}, whatever its format.
     *
     * @param path        a .csv file, an x.npy file, a folder holding x.npy and y.npy, or an .npz file
     * @param labelColumn the CSV column holding labels
     * @param nonFinite   what to do with NaN and infinity
     */
    public static Loaded examples(Path path, String labelColumn, NonFinite nonFinite) {
        if (!Files.exists(path)) {
            throw new LossSurfaceException("Data file " + path + " does not exist. Give " + FORMS.replace("a label column",
                    "a '" + labelColumn + "' column") + ".");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        Examples raw;
        if (name.endsWith(".npz")) {
            raw = npz(path);
        } else if (Files.isDirectory(path) || name.endsWith(".npy")) {
            Path x = Files.isDirectory(path) ? path.resolve("x.npy") : path;
            // x.npy -> y.npy, train_x.npy -> train_y.npy, x-test.npy -> y-test.npy; else y.npy
            Path y = x.resolveSibling(x.getFileName().toString().replaceFirst("(^|[-_.])x([-_.])", "$1y$2"));
            if (y.equals(x) || !Files.exists(y)) {
                y = x.resolveSibling("y.npy");
            }
            raw = npy(read(x), x.toString(), read(y), y.toString(), x.toString());
        } else {
            raw = csv(path, labelColumn);
        }
        return finite(raw, nonFinite);
    }

    /**
     * Reads {@code path} (see {@link #examples}) and says on {@code progress} how many examples
     * holding a NaN or infinity were left out, when asked to drop them.
     */
    public static Examples load(Path path, String labelColumn, boolean dropNonFinite, losssurface.api.Progress progress) {
        Loaded loaded = examples(path, labelColumn, dropNonFinite ? NonFinite.DROP : NonFinite.REFUSE);
        if (loaded.dropped() > 0) {
            progress.info("Left out " + loaded.dropped() + " of " + (loaded.examples().count() + loaded.dropped()) + " examples that"
                    + " hold a NaN or infinity (--non-finite drop); the first: " + loaded.firstDropped());
        }
        return loaded.examples();
    }

    private static Examples csv(Path file, String labelColumn) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String> columns;
        List<float[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        boolean integers = true;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> it = mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(reader)) {
            if (!it.hasNext()) {
                throw new LossSurfaceException("Data file " + file + " is empty. It needs a header row and one row per example.");
            }
            columns = Arrays.stream(it.next()).map(String::trim).toList();
            int label = columns.indexOf(labelColumn);
            if (label < 0) {
                throw new LossSurfaceException("Data file " + file + " has no column '" + labelColumn + "'. Its columns: "
                        + String.join(", ", columns) + ". Name the label column with --label-column.");
            }
            if (columns.size() < 2) {
                throw new LossSurfaceException("Data file " + file + " has only the label column '" + labelColumn
                        + "'; every other column is a feature, and there are none.");
            }
            while (it.hasNext()) {
                int line = it.getCurrentLocation().getLineNr();
                String[] fields = it.next();
                if (fields.length == 1 && fields[0].isBlank()) {
                    continue;
                }
                if (fields.length != columns.size()) {
                    throw new LossSurfaceException("Data file " + file + ", line " + line + ": " + fields.length
                            + " fields, the header has " + columns.size() + ".");
                }
                float[] row = new float[fields.length];
                for (int c = 0; c < fields.length; c++) {
                    String f = fields[c].trim();
                    try {
                        double v = Double.parseDouble(f);
                        row[c] = (float) v;
                        if (c == label && v != Math.rint(v)) {
                            integers = false;
                        }
                    } catch (NumberFormatException e) {
                        throw new LossSurfaceException("Data file " + file + ", line " + line + ", column '" + columns.get(c)
                                + "': '" + fields[c] + "' is not a number.");
                    }
                }
                rows.add(row);
                lines.add(line);
            }
        } catch (IOException | RuntimeJsonMappingException e) {
            throw new LossSurfaceException("Cannot read data file " + file + " as CSV: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (rows.isEmpty()) {
            throw new LossSurfaceException("Data file " + file + " has a header but no examples.");
        }
        int label = columns.indexOf(labelColumn);
        int k = columns.size() - 1;
        float[] x = new float[rows.size() * k];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            y[r] = row[label];
            System.arraycopy(row, 0, x, r * k, label);
            System.arraycopy(row, label + 1, x, r * k + label, k - label);
        }
        List<String> names = new ArrayList<>(columns);
        names.remove(label);
        names.add(labelColumn);
        return new Examples(x, new int[] {k}, y, new int[] {rows.size()}, integers, file.toString(),
                lines.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    private static Examples npz(Path file) {
        Map<String, NamedArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String key = entry.getName().replaceFirst("\\.npy$", "");
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(key, Npy.read(in, file + "[" + key + "]"));
                }
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read data file " + file + " as an .npz archive: " + e.getMessage()
                    + ". Save it with numpy.savez(path, x=features, y=labels).", e);
        }
        if (!arrays.containsKey("x") || !arrays.containsKey("y")) {
            throw new LossSurfaceException("Data file " + file + " holds " + (arrays.isEmpty() ? "no arrays" : "arrays "
                    + String.join(", ", arrays.keySet())) + " but needs x (features) and y (labels). Save it with "
                    + "numpy.savez(path, x=features, y=labels).");
        }
        return npy(arrays.get("x"), file + "[x]", arrays.get("y"), file + "[y]", file.toString());
    }

    private static Examples npy(NamedArray x, String xName, NamedArray y, String yName, String source) {
        int[] xs = x.shape();
        int[] ys = y.shape();
        if (xs.length < 2) {
            throw new LossSurfaceException("Data file " + xName + " has shape " + Arrays.toString(xs)
                    + "; features must be [examples, ...], e.g. [examples, features] or [examples, channels, height, width].");
        }
        if (xs[0] == 0) {
            throw new LossSurfaceException("Data file " + xName + " holds no examples.");
        }
        if (ys.length < 1 || ys.length > 2 || ys[0] != xs[0]) {
            throw new LossSurfaceException("Data file " + yName + " has shape " + Arrays.toString(ys) + " but " + xName
                    + " has shape " + Arrays.toString(xs) + ": labels must be [" + xs[0] + "] or [" + xs[0] + ", outputs].");
        }
        return new Examples(floats(x, xName), Arrays.copyOfRange(xs, 1, xs.length), floats(y, yName), ys,
                y.values() instanceof int[], source);
    }

    /** Refuses or drops examples holding NaN or infinity. */
    private static Loaded finite(Examples e, NonFinite policy) {
        int n = e.count();
        int per = e.featuresPerExample();
        int labelsPer = e.labels().length / n;
        boolean[] bad = new boolean[n];
        int dropped = 0;
        String first = "";
        for (int i = 0; i < n; i++) {
            String what = null;
            for (int k = 0; k < per && what == null; k++) {
                if (!Float.isFinite(e.features()[i * per + k])) {
                    what = e.featureName(k) + " is " + e.features()[i * per + k];
                }
            }
            for (int k = 0; k < labelsPer && what == null; k++) {
                if (!Float.isFinite(e.labels()[i * labelsPer + k])) {
                    what = e.labelName(k) + " is " + e.labels()[i * labelsPer + k];
                }
            }
            if (what != null) {
                if (policy == NonFinite.REFUSE) {
                    throw new LossSurfaceException("Data file " + e.where(i) + ": " + what + ". A NaN or infinity in the data "
                            + "would make every cell of the surface NaN. Fix or remove that example, or pass --non-finite drop "
                            + "to leave out every example that has one.");
                }
                bad[i] = true;
                if (dropped++ == 0) {
                    first = e.where(i) + ": " + what;
                }
            }
        }
        if (dropped == 0) {
            return new Loaded(e, 0, "");
        }
        if (dropped == n) {
            throw new LossSurfaceException("Data file " + e.source() + ": every one of its " + n + " examples holds a NaN or "
                    + "infinity (the first: " + first + "). Nothing is left to score.");
        }
        return new Loaded(e.keep(bad), dropped, first);
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

    private static float[] floats(NamedArray a, String file) {
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
