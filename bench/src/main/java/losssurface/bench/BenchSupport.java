package losssurface.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Surface;
import losssurface.data.Examples;
import losssurface.onnx.OnnxModel;
import org.nd4j.linalg.dataset.DataSet;

/** What {@code bench} needs besides its loop: the shipped ONNX model, data as the peer reads it, differences, memory. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** A new temporary folder for a surface's tiles, as a run folder keeps them. */
    static Path temporaryRunFolder() {
        try {
            return java.nio.file.Files.createTempDirectory("losssurface-bench");
        } catch (java.io.IOException e) {
            throw new LossSurfaceException("Cannot create a temporary folder for the bench's surface tiles (" + e.getMessage()
                    + "). Point java.io.tmpdir at a writable folder.", e);
        }
    }

    /** The ONNX model {@code <name>} shipped in this jar beside this class, copied to a temporary file to be read. */
    static OnnxModel onnx(String name) {
        try (java.io.InputStream in = BenchSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The bench model " + name + " is missing from the bench jar.");
            }
            Path file = Files.createTempFile("losssurface-bench-", "-" + name);
            file.toFile().deleteOnExit();
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return OnnxModel.load(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot copy the bench model " + name + ": " + e.getMessage(), e);
        }
    }

    /** A classification data set as examples of any shape: features as they are, labels the class indices. */
    static Examples examples(DataSet data) {
        Map<String, NamedArray> c = classification(data);
        int[] y = (int[]) c.get("y").values();
        float[] labels = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            labels[i] = y[i];
        }
        int[] xs = c.get("x").shape();
        return new Examples((float[]) c.get("x").values(), new int[] {xs[1]}, labels, new int[] {y.length}, true, "evaluation set");
    }

    /** A classification data set as the peer reads it: x [n, features] float32 and y [n] class indices. */
    static Map<String, NamedArray> classification(DataSet data) {
        int n = data.numExamples();
        float[] x = data.getFeatures().dup('c').data().asFloat();
        int[] y = data.getLabels().argMax(1).toIntVector();
        Map<String, NamedArray> out = new LinkedHashMap<>();
        out.put("x", new NamedArray(new int[] {n, x.length / n}, x));
        out.put("y", new NamedArray(new int[] {n}, y));
        return out;
    }

    /** The largest |a - b| / |a| over the cells of {@code metric} (NaN in both counts as equal). */
    static double maxRelativeDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) && Double.isNaN(y[i]) || x[i] == y[i]) {
                continue;
            }
            double rel = Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-12);
            worst = Math.max(worst, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel);
        }
        return worst;
    }

    /**
     * The largest |a - b| over the cells of {@code metric}. For accuracy this is the share of
     * examples whose predicted class flips between evaluators: near-tied logits rounded differently.
     */
    static double maxAbsoluteDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(Double.isNaN(x[i]) && Double.isNaN(y[i]))) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    /** Peak resident set size of this process (VmHWM), as text. */
    static String peakResident() {
        return resident("VmHWM:");
    }

    /** A memory line of /proc/self/status (VmRSS: now, VmHWM: peak), as text. */
    static String resident(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return mib(kb * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    static long peakHeap() {
        long total = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
