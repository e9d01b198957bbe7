package losssurface.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled examples as read from a user's file, before any model is involved: features of any
 * shape per example (a vector, a C×H×W image, ...) and labels of shape {@code [examples]} or
 * {@code [examples, outputs]}. Both are row-major float arrays; every value is finite unless the
 * reader was told to keep non-finite values (see {@link DataFiles.NonFinite}).
 *
 * @param features      {@code examples × prod(exampleShape)} values, row-major
 * @param exampleShape  the shape of one example's features (at least one dimension)
 * @param labels        {@code labelShape[0] × ...} values, row-major
 * @param labelShape    {@code [examples]} or {@code [examples, outputs]}
 * @param integerLabels whether the labels were stored as integers (or are all whole numbers in a CSV)
 * @param source        the file(s) they came from, for messages
 * @param lines         for a CSV, the line number of each example; otherwise empty
 * @param columns       for a CSV, the feature columns' names and then the label column's; otherwise empty
 */
public record Examples(float[] features, int[] exampleShape, float[] labels, int[] labelShape, boolean integerLabels,
                       String source, int[] lines, java.util.List<String> columns) {
    public Examples {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(source, "source");
        exampleShape = exampleShape.clone();
        labelShape = labelShape.clone();
        lines = lines.clone();
        columns = java.util.List.copyOf(columns);
        if (exampleShape.length == 0 || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("An example's shape needs positive dimensions, was " + Arrays.toString(exampleShape));
        }
        if (labelShape.length < 1 || labelShape.length > 2) {
            throw new IllegalArgumentException("Labels must be [examples] or [examples, outputs], were " + Arrays.toString(labelShape));
        }
        int n = labelShape[0];
        if ((long) n * size(exampleShape) != features.length || (long) size(labelShape) != labels.length) {
            throw new IllegalArgumentException(n + " examples of " + Arrays.toString(exampleShape) + " with labels "
                    + Arrays.toString(labelShape) + " do not match " + features.length + " feature and " + labels.length + " label values");
        }
        if (lines.length != 0 && lines.length != n) {
            throw new IllegalArgumentException(lines.length + " line numbers for " + n + " examples");
        }
    }

    /** Examples of NumPy data (no line numbers, no column names). */
    public Examples(float[] features, int[] exampleShape, float[] labels, int[] labelShape, boolean integerLabels, String source) {
        this(features, exampleShape, labels, labelShape, integerLabels, source, new int[0], java.util.List.of());
    }

    /** Number of examples. */
    public int count() {
        return labelShape[0];
    }

    /** Feature values per example. */
    public int featuresPerExample() {
        return size(exampleShape);
    }

    /** Where example {@code i} is in its file: "F, line L" for a CSV, "F, example i" otherwise. */
    public String where(int i) {
        return source + (lines.length > 0 ? ", line " + lines[i] : ", example " + i);
    }

    /** Feature {@code k} of an example, for messages: "column 'f2'" or "element [0, 3, 5]". */
    public String featureName(int k) {
        if (!columns.isEmpty()) {
            return "column '" + columns.get(k) + "'";
        }
        return "feature " + index(k, exampleShape);
    }

    /** Label value {@code k} of an example, for messages. */
    public String labelName(int k) {
        if (!columns.isEmpty()) {
            return "column '" + columns.get(columns.size() - 1) + "'";
        }
        return labelShape.length == 1 ? "the label" : "label " + k;
    }

    /** These examples without those whose {@code drop} entry is true. */
    public Examples keep(boolean[] drop) {
        int per = featuresPerExample();
        int labelsPer = labels.length / count();
        int kept = 0;
        for (boolean d : drop) {
            kept += d ? 0 : 1;
        }
        float[] x = new float[kept * per];
        float[] y = new float[kept * labelsPer];
        int[] l = new int[lines.length == 0 ? 0 : kept];
        int k = 0;
        for (int i = 0; i < count(); i++) {
            if (!drop[i]) {
                System.arraycopy(features, i * per, x, k * per, per);
                System.arraycopy(labels, i * labelsPer, y, k * labelsPer, labelsPer);
                if (l.length > 0) {
                    l[k] = lines[i];
                }
                k++;
            }
        }
        int[] ls = labelShape.clone();
        ls[0] = kept;
        return new Examples(x, exampleShape, y, ls, integerLabels, source, l, columns);
    }

    private static String index(int k, int[] shape) {
        if (shape.length == 1) {
            return String.valueOf(k);
        }
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = k % shape[a];
            k /= shape[a];
        }
        return Arrays.toString(idx);
    }

    /** The shape of the whole feature array, {@code [examples, ...exampleShape]}. */
    public int[] featureShape() {
        int[] s = new int[exampleShape.length + 1];
        s[0] = count();
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    @Override
    public float[] features() {
        return features; // large: shared, callers must not modify
    }

    @Override
    public float[] labels() {
        return labels;
    }

    @Override
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    @Override
    public int[] labelShape() {
        return labelShape.clone();
    }

    @Override
    public int[] lines() {
        return lines.clone();
    }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
