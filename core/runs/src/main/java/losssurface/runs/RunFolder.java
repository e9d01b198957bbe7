package losssurface.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Provenance;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;
import losssurface.api.io.AtomicFiles;
import losssurface.api.io.Npy;

/**
 * The one owner of a run folder: it names every file of a run, writes the numbers and reads them
 * back as renderers see a fresh run. Everything else (the renderers, {@code render},
 * {@code compare}, the run index) goes through it.
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
public final class RunFolder {

    /** The surface: axes, metrics, grids, directions, probe info. A folder is a run folder when it has one. */
    public static final String SURFACE = "surface.json";
    /** Task, trainer, probe, settings, versions, timings and the list of files. */
    public static final String PROVENANCE = "provenance.json";
    /** Each parameter block of the flat vectors. */
    public static final String LAYOUT = "layout.json";
    /** Training curves. */
    public static final String HISTORY = "history.json";
    /** The run's interactive page. */
    public static final String PAGE = "index.html";
    /** The index of the runs in a folder of runs. */
    public static final String INDEX = "index.html";
    /** A comparison's page. */
    public static final String COMPARISON_PAGE = "compare.html";
    /** The folder of the surface's finished tiles ({@link RunTiles}). */
    public static final String TILES = "tiles";
    /** What state the run is in, and what was asked of it ({@link RunState}). */
    public static final String STATE = "state.json";
    /** The trained model, written as soon as training ends, so the run can resume without training ({@link #writeTrained}). */
    public static final String TRAINED = "trained";
    /** The trained network as a DL4J zip (ModelSerializer), in {@value #TRAINED}, where the model is one. */
    public static final String TRAINED_NETWORK = "model.zip";
    /** In {@link #TRAINED}: the trained model's headline numbers. */
    public static final String TRAINED_SUMMARY = "summary.json";
    /** In {@link #TILES}: which grid the tiles belong to. */
    public static final String TILES_GRID = "grid.json";

    /** How run and comparison folders are stamped with the time they were made, e.g. {@code 20261207-031500}. */
    public static final java.time.format.DateTimeFormatter STAMP = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The current time as {@link #STAMP} writes it. */
    public static String stamp() {
        return java.time.LocalDateTime.now().format(STAMP);
    }
    /** Grid coordinates along the first and second direction. */
    public static final String ALPHAS = "alphas";
    public static final String BETAS = "betas";
    /** theta*, the centre. */
    public static final String THETA = "theta";
    /** Parameter snapshots taken while training. */
    public static final String CHECKPOINTS = "checkpoints";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFolder() {
    }

    /** The picture of a line probe's values. */
    public static final String LINE_PICTURE = "line.png";
    /** The training curves' picture. */
    public static final String TRAINING_PICTURE = "training.png";
    /** The Hessian's spectral density picture, where the curvature was measured. */
    public static final String DENSITY_PICTURE = "esd.png";

    /** The 3D surface picture of {@code metric}. */
    public static Path surfacePicture(Path dir, String metric) {
        return dir.resolve(fileName(metric) + "-surface.png");
    }

    /** The contour map of {@code metric}. */
    public static Path contourPicture(Path dir, String metric) {
        return dir.resolve(fileName(metric) + "-contour.png");
    }

    /** A comparison's sheet of {@code metric}, every run side by side. */
    public static Path comparisonSheet(Path dir, String metric) {
        return dir.resolve("compare-" + fileName(metric) + ".png");
    }

    /** Whether {@code dir} holds a run (its {@value #SURFACE}). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(SURFACE));
    }

    /** The {@code .npy} file of a metric, direction or artefact {@code name} in {@code dir}. */
    public static Path npy(Path dir, String name) {
        return dir.resolve(fileName(name) + ".npy");
    }

    /** The file name (without extension) under which a metric or artefact is saved: unsafe characters become '_'. */
    public static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "_" : safe;
    }

    /**
     * Reads the run in {@code dir}.
     *
     * @throws LossSurfaceException when the folder is not a run folder or its files are damaged
     */
    public static RunResult read(Path dir) {
        Path surfaceFile = dir.resolve(SURFACE);
        if (!Files.isDirectory(dir)) {
            throw new LossSurfaceException(dir + " does not exist. Name a folder that 'losssurface run' wrote, e.g. "
                    + "runs/mnist_supervised_random-plane_20261125-101500.");
        }
        RunState.read(dir).filter(state -> !state.surfaceWhole()).ifPresent(state -> {
            throw new LossSurfaceException(dir + " is an incomplete run (" + state.describe(dir) + "), so it has no whole surface to"
                    + " draw. " + state.advice(dir));
        });
        if (!Files.isRegularFile(surfaceFile)) {
            throw new LossSurfaceException(dir + " is not a run folder: it has no surface.json. Name folders that "
                    + "'losssurface run' wrote, e.g. runs/mnist_supervised_random-plane_20261125-101500.");
        }
        try {
            SurfaceFile s = JSON.treeToValue(readObject(surfaceFile, dir), SurfaceFile.class);
            Map<String, Object> missing = new LinkedHashMap<>();
            missing.put("axes", s.axes());
            missing.put("metrics", s.metrics());
            missing.put("directions", s.directions());
            missing.put("objective", s.objective());
            for (Map.Entry<String, Object> e : missing.entrySet()) {
                if (e.getValue() == null) {
                    throw new LossSurfaceException(surfaceFile + " lacks '" + e.getKey() + "', so it is not a surface this tool wrote"
                            + " or it was cut short. " + damaged(dir));
                }
            }
            ProvenanceFile p = null;
            if (Files.isRegularFile(dir.resolve(PROVENANCE))) {
                JsonNode node = readObject(dir.resolve(PROVENANCE), dir);
                if (!node.path("probe").isTextual()) {
                    // runs written before 2026-12-07 have the probe's report where its name belongs; the name is in surface.json
                    ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("probe");
                }
                p = JSON.treeToValue(node, ProvenanceFile.class);
            }
            List<Axis> axes = s.axes().stream().map(SurfaceFile.AxisEntry::axis).toList();
            int[] shape = axes.stream().mapToInt(Axis::size).toArray();
            Map<String, double[]> grids = new LinkedHashMap<>();
            for (String metric : s.metrics()) {
                NamedArray grid = Npy.read(npy(dir, metric));
                if (!java.util.Arrays.equals(grid.shape(), shape)) {
                    throw new LossSurfaceException(npy(dir, metric) + " has shape "
                            + java.util.Arrays.toString(grid.shape()) + " but the axes need " + java.util.Arrays.toString(shape) + ".");
                }
                grids.put(metric, (double[]) grid.values());
            }
            float[] theta = (float[]) Npy.read(npy(dir, THETA)).values();
            List<Direction> directions = new ArrayList<>();
            for (String d : s.directions()) {
                directions.add(new Direction(d, (float[]) Npy.read(npy(dir, d)).values()));
            }
            Surface surface = new Surface(s.objective(), axes, grids, theta, directions,
                    s.trajectory() == null ? List.of() : s.trajectory(), s.surfaceInfo());

            TrainingHistory history = readHistory(dir.resolve(HISTORY));
            Map<String, Object> summary = p == null || p.model() == null ? Map.of() : p.model();
            ParameterLayout layout = layout(dir, theta.length);
            TrainedModel model = TrainedModel.of(theta, layout, history, summary);
            Provenance provenance = new Provenance(orUnknown(s.task()), orUnknown(s.trainer()), orUnknown(s.probe()),
                    s.settings() == null ? Map.of() : s.settings(), s.seed(),
                    p == null || p.versions() == null ? Map.of() : p.versions(),
                    p == null || p.timingsSeconds() == null ? Map.of() : p.timingsSeconds(), p == null ? Map.of() : p.readDetails());
            return new RunResult(dir.getFileName().toString(), surface, model, provenance);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LossSurfaceException l) {
                throw l;
            }
            throw new LossSurfaceException("Cannot read the run in " + dir + ": " + e.getMessage()
                    + ". Its files may be incomplete; run it again.", e);
        }
    }

    private static String orUnknown(String name) {
        return name == null ? "?" : name;
    }

    /** A JSON file of a run that must hold an object; an empty, cut-short or damaged one is named as such. */
    private static JsonNode readObject(Path file, Path dir) throws IOException {
        if (Files.size(file) == 0) {
            throw new LossSurfaceException(file + " is empty: the run stopped while writing it. " + damaged(dir));
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LossSurfaceException(file + " is damaged: it is not complete JSON (it breaks off at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "). " + damaged(dir), e);
        }
        if (node == null || !node.isObject()) {
            throw new LossSurfaceException(file + " is damaged: it holds " + (node == null ? "nothing" : "a JSON " + node.getNodeType()
                    .name().toLowerCase(Locale.ROOT)) + ", not the object a run writes. " + damaged(dir));
        }
        return node;
    }

    private static String damaged(Path dir) {
        return "Run it again (the command is in " + dir.resolve(PROVENANCE).getFileName() + " if that file is whole).";
    }

    private static ParameterLayout layout(Path dir, int size) throws IOException {
        Path file = dir.resolve(LAYOUT);
        if (!Files.isRegularFile(file)) {
            return ParameterLayout.flat(size);
        }
        List<ParameterBlock> blocks = new ArrayList<>();
        for (LayoutEntry e : JSON.readValue(file.toFile(), LayoutEntry[].class)) {
            blocks.add(e.block());
        }
        return new ParameterLayout(blocks);
    }

    private static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return out;
    }

    /**
     * Writes the trained model into {@code dir/}{@value #TRAINED}{@code /} (theta*, checkpoints,
     * history and summary), as soon as training ends, so that {@code resume} can rebuild it
     * through its trainer ({@link losssurface.api.Trainer#restore}) instead of training again.
     */
    public static void writeTrained(TrainedModel model, Path dir) throws IOException {
        Path into = Files.createDirectories(dir.resolve(TRAINED));
        float[] theta = model.parameters();
        npy(into, THETA, new NamedArray(new int[] {theta.length}, theta));
        if (!model.checkpoints().isEmpty()) {
            npy(into, CHECKPOINTS, checkpoints(model.checkpoints(), theta.length));
        }
        writeJson(into.resolve(HISTORY), historyJson(model.history()));
        writeJson(into.resolve(TRAINED_SUMMARY), model.summary());
    }

    /** The trained model {@link #writeTrained} kept in {@code dir}, if any (its layout: that of theta* as a flat vector). */
    public static java.util.Optional<TrainedModel> readTrained(Path dir) {
        Path from = dir.resolve(TRAINED);
        if (!Files.isRegularFile(npy(from, THETA)) || !Files.isRegularFile(from.resolve(TRAINED_SUMMARY))) {
            return java.util.Optional.empty();
        }
        try {
            float[] theta = (float[]) Npy.read(npy(from, THETA)).values();
            List<float[]> checkpoints = new ArrayList<>();
            if (Files.isRegularFile(npy(from, CHECKPOINTS))) {
                NamedArray all = Npy.read(npy(from, CHECKPOINTS));
                float[] flat = (float[]) all.values();
                for (int i = 0; i < all.shape()[0]; i++) {
                    checkpoints.add(java.util.Arrays.copyOfRange(flat, i * theta.length, (i + 1) * theta.length));
                }
            }
            TrainingHistory history = readHistory(from.resolve(HISTORY));
            Map<String, Object> summary = toMap(JSON.readTree(from.resolve(TRAINED_SUMMARY).toFile()));
            return java.util.Optional.of(TrainedModel.of(theta, ParameterLayout.flat(theta.length), history, summary, checkpoints));
        } catch (IOException | RuntimeException e) {
            throw new LossSurfaceException("The trained model kept in " + from + " is damaged (" + e.getMessage()
                    + "). Delete that folder to train again.", e);
        }
    }

    private static NamedArray checkpoints(List<float[]> snapshots, int size) {
        int n = snapshots.size();
        float[] all = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(snapshots.get(i), 0, all, i * size, size);
        }
        return new NamedArray(new int[] {n, size}, all);
    }

    private static Map<String, Object> historyJson(TrainingHistory h) {
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("x", h.xLabel());
        Map<String, Object> series = new LinkedHashMap<>();
        h.series().forEach((k, v) -> series.put(k, SurfaceFile.finiteOrNull(v)));
        history.put("series", series);
        return history;
    }

    private static TrainingHistory readHistory(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return TrainingHistory.empty();
        }
        JsonNode h = JSON.readTree(file.toFile());
        Map<String, double[]> series = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = h.path("series").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getValue().get(i).isNull() ? Double.NaN : e.getValue().get(i).asDouble();
            }
            series.put(e.getKey(), v);
        }
        return new TrainingHistory(h.path("x").asText("step"), series);
    }

    /**
     * Writes the numbers of {@code run} into {@code dir} (which exists), {@value #PROVENANCE} last,
     * listing every file.
     *
     * @return the files written
     */
    public static List<Path> write(RunResult run, Path dir) throws IOException {
        Surface surface = run.surface();
        List<Path> written = new ArrayList<>();
        List<Axis> axes = surface.axes();
        int[] shape = axes.stream().mapToInt(Axis::size).toArray();

        written.add(npy(dir, ALPHAS, new NamedArray(new int[] {axes.get(0).size()}, axes.get(0).values())));
        if (surface.isPlane()) {
            written.add(npy(dir, BETAS, new NamedArray(new int[] {axes.get(1).size()}, axes.get(1).values())));
        }
        for (String metric : surface.metrics()) {
            written.add(npy(dir, metric, new NamedArray(shape, surface.grid(metric))));
        }
        float[] theta = surface.centre();
        written.add(npy(dir, THETA, new NamedArray(new int[] {theta.length}, theta)));
        for (Direction d : surface.directions()) {
            written.add(npy(dir, d.name(), new NamedArray(new int[] {theta.length}, d.values())));
        }
        TrainedModel model = run.model();
        written.add(writeJson(dir.resolve(LAYOUT), layout(model)));
        if (!model.checkpoints().isEmpty()) {
            written.add(npy(dir, CHECKPOINTS, checkpoints(model.checkpoints(), theta.length)));
        }
        written.add(writeJson(dir.resolve(HISTORY), historyJson(model.history())));
        for (Map.Entry<String, NamedArray> a : model.artefacts().entrySet()) {
            written.add(npy(dir, a.getKey(), a.getValue()));
        }
        written.add(writeJson(dir.resolve(SURFACE), SurfaceFile.of(run)));
        // provenance last, so that it can list every file of the run
        List<String> names = new ArrayList<>(written.stream().map(p -> p.getFileName().toString()).toList());
        names.add(PROVENANCE);
        written.add(writeJson(dir.resolve(PROVENANCE), ProvenanceFile.of(run, names)));
        return written;
    }

    private static List<LayoutEntry> layout(TrainedModel model) {
        return model.layout().blocks().stream().map(LayoutEntry::of).toList();
    }

    static Path writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, out -> PRETTY.writeValue(out, value));
        return file;
    }

    private static Path npy(Path dir, String name, NamedArray array) throws IOException {
        Path file = npy(dir, name);
        Npy.write(file, array);
        return file;
    }

    /** Deletes {@code dir} and everything in it, as far as it can; what cannot be deleted stays. */
    public static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // what is left is named in the error
        }
    }
}
