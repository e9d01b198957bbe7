package losssurface.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.NamedArray;
import losssurface.api.ParameterBlock;
import losssurface.api.Provenance;
import losssurface.api.Renderer;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.api.TrainedModel;
import losssurface.api.io.AtomicFiles;
import losssurface.api.io.Npy;

/**
 * Writes a run's numbers so that anyone can reload and recompute them:
 * <ul>
 *   <li>{@code alphas.npy}, {@code betas.npy} (float64 coordinates), {@code loss.npy} and one
 *   {@code <metric>.npy} per further metric (float64, shape {@code [len(alphas), len(betas)]},
 *   {@code loss[i, j]} at {@code alphas[i], betas[j]}; a line has shape {@code [len(alphas)]});</li>
 *   <li>{@code theta.npy}, {@code direction-1.npy}, {@code direction-2.npy} (flat float32 in the
 *   layout's order) and {@code layout.json} describing each block of that order;</li>
 *   <li>{@code surface.json} (axes, grids with non-finite cells as null, directions, probe info),
 *   {@code provenance.json}, {@code history.json} and {@code checkpoints.npy};</li>
 *   <li>one {@code .npy} per artefact of the trained model (e.g. an RL objective's transitions).</li>
 * </ul>
 * Every file is written atomically.
 */
final class DataRenderer implements Renderer {

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public List<Path> render(RunResult run, Path dir) throws IOException {
        Surface surface = run.surface();
        List<Path> written = new ArrayList<>();
        List<Axis> axes = surface.axes();
        int[] shape = axes.stream().mapToInt(Axis::size).toArray();

        written.add(npy(dir, "alphas", new NamedArray(new int[] {axes.get(0).size()}, axes.get(0).values())));
        if (surface.isPlane()) {
            written.add(npy(dir, "betas", new NamedArray(new int[] {axes.get(1).size()}, axes.get(1).values())));
        }
        for (String metric : surface.metrics()) {
            written.add(npy(dir, fileName(metric), new NamedArray(shape, surface.grid(metric))));
        }
        float[] theta = surface.centre();
        written.add(npy(dir, "theta", new NamedArray(new int[] {theta.length}, theta)));
        for (Direction d : surface.directions()) {
            written.add(npy(dir, fileName(d.name()), new NamedArray(new int[] {theta.length}, d.values())));
        }
        TrainedModel model = run.model();
        written.add(writeJson(dir.resolve("layout.json"), layout(model)));
        if (!model.checkpoints().isEmpty()) {
            int n = model.checkpoints().size();
            float[] all = new float[n * theta.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(model.checkpoints().get(i), 0, all, i * theta.length, theta.length);
            }
            written.add(npy(dir, "checkpoints", new NamedArray(new int[] {n, theta.length}, all)));
        }
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("x", model.history().xLabel());
        Map<String, Object> series = new LinkedHashMap<>();
        model.history().series().forEach((k, v) -> series.put(k, finiteOrNull(v)));
        history.put("series", series);
        written.add(writeJson(dir.resolve("history.json"), history));
        for (Map.Entry<String, NamedArray> a : model.artefacts().entrySet()) {
            written.add(npy(dir, fileName(a.getKey()), a.getValue()));
        }
        written.add(writeJson(dir.resolve("surface.json"), surfaceJson(run)));
        // provenance last, so that it can list every file of the run
        List<String> names = new ArrayList<>(written.stream().map(p -> p.getFileName().toString()).toList());
        names.add("provenance.json");
        written.add(writeJson(dir.resolve("provenance.json"), provenanceJson(run, names)));
        return written;
    }

    private Map<String, Object> surfaceJson(RunResult run) {
        Surface s = run.surface();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "losssurface-surface/1");
        out.put("run", run.name());
        out.put("task", run.provenance().task());
        out.put("trainer", run.provenance().trainer());
        out.put("probe", run.provenance().probe());
        out.put("objective", s.objective());
        out.put("metrics", s.metrics());
        List<Map<String, Object>> axes = new ArrayList<>();
        for (Axis a : s.axes()) {
            Map<String, Object> axis = new LinkedHashMap<>();
            axis.put("name", a.name());
            axis.put("label", a.label());
            axis.put("values", a.values());
            axes.add(axis);
        }
        out.put("axes", axes);
        Map<String, Object> grids = new LinkedHashMap<>();
        Map<String, Object> nonFinite = new LinkedHashMap<>();
        for (String metric : s.metrics()) {
            double[] g = s.grid(metric);
            if (s.isPlane()) {
                int rows = s.axes().get(0).size();
                int cols = s.axes().get(1).size();
                List<List<Double>> nested = new ArrayList<>(rows);
                for (int i = 0; i < rows; i++) {
                    double[] row = new double[cols];
                    System.arraycopy(g, i * cols, row, 0, cols);
                    nested.add(finiteOrNull(row));
                }
                grids.put(metric, nested);
            } else {
                grids.put(metric, finiteOrNull(g));
            }
            nonFinite.put(metric, java.util.Arrays.stream(g).filter(v -> !Double.isFinite(v)).count());
        }
        out.put("grids", grids);
        out.put("non-finite-cells", nonFinite);
        out.put("directions", s.directions().stream().map(Direction::name).toList());
        out.put("info", s.info());
        out.put("trajectory", s.trajectory());
        out.put("settings", run.provenance().settings());
        out.put("seed", run.provenance().seed());
        return out;
    }

    private static Map<String, Object> provenanceJson(RunResult run, List<String> files) {
        Provenance p = run.provenance();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "losssurface-provenance/1");
        out.put("run", run.name());
        out.put("task", p.task());
        out.put("trainer", p.trainer());
        out.put("probe", p.probe());
        out.put("seed", p.seed());
        out.put("settings", p.settings());
        out.put("versions", p.versions());
        out.put("timings-seconds", p.timings());
        out.putAll(p.details());
        out.put("model", run.model().summary());
        out.put("files", files);
        return out;
    }

    private static List<Map<String, Object>> layout(TrainedModel model) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (ParameterBlock b : model.layout().blocks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", b.name());
            m.put("layer", b.layer());
            m.put("kind", b.kind().name().toLowerCase(Locale.ROOT));
            m.put("shape", b.shape());
            m.put("offset", b.offset());
            m.put("length", b.length());
            m.put("order", String.valueOf(b.order()));
            m.put("output-axis", b.outputAxis());
            m.put("activation", b.activation());
            blocks.add(m);
        }
        return blocks;
    }

    private static List<Double> finiteOrNull(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isFinite(v) ? v : null);
        }
        return out;
    }

    private Path writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, out -> json.writeValue(new NonClosing(out), value));
        return file;
    }

    private static Path npy(Path dir, String name, NamedArray array) throws IOException {
        Path file = dir.resolve(name + ".npy");
        Npy.write(file, array);
        return file;
    }

    /** A file-name-safe version of a metric or artefact name. */
    static String fileName(String name) {
        return losssurface.viz.compare.StoredRun.fileName(name);
    }

    /** Keeps Jackson from closing the stream AtomicFiles owns. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
