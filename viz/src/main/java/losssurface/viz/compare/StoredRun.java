package losssurface.viz.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import losssurface.api.io.Npy;

/** A run read back from the folder the {@code data} renderer wrote, as renderers see a fresh one. */
public final class StoredRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredRun() {
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
        Path surfaceFile = dir.resolve("surface.json");
        if (!Files.isRegularFile(surfaceFile)) {
            throw new LossSurfaceException(dir + " is not a run folder: it has no surface.json. Name folders that "
                    + "'losssurface run' wrote, e.g. runs/mnist_supervised_random-plane_20261125-101500.");
        }
        try {
            JsonNode s = JSON.readTree(surfaceFile.toFile());
            JsonNode p = Files.isRegularFile(dir.resolve("provenance.json")) ? JSON.readTree(dir.resolve("provenance.json").toFile())
                    : JSON.createObjectNode();
            List<Axis> axes = new ArrayList<>();
            for (JsonNode a : s.get("axes")) {
                double[] values = new double[a.get("values").size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = a.get("values").get(i).asDouble();
                }
                axes.add(new Axis(a.get("name").asText(), a.get("label").asText(), values));
            }
            int[] shape = axes.stream().mapToInt(Axis::size).toArray();
            Map<String, double[]> grids = new LinkedHashMap<>();
            for (JsonNode m : s.get("metrics")) {
                String metric = m.asText();
                NamedArray grid = Npy.read(dir.resolve(fileName(metric) + ".npy"));
                if (!java.util.Arrays.equals(grid.shape(), shape)) {
                    throw new LossSurfaceException(dir.resolve(fileName(metric) + ".npy") + " has shape "
                            + java.util.Arrays.toString(grid.shape()) + " but the axes need " + java.util.Arrays.toString(shape) + ".");
                }
                grids.put(metric, (double[]) grid.values());
            }
            float[] theta = (float[]) Npy.read(dir.resolve("theta.npy")).values();
            List<Direction> directions = new ArrayList<>();
            for (JsonNode d : s.get("directions")) {
                directions.add(new Direction(d.asText(), (float[]) Npy.read(dir.resolve(d.asText() + ".npy")).values()));
            }
            List<double[]> trajectory = new ArrayList<>();
            for (JsonNode point : s.path("trajectory")) {
                double[] xy = new double[point.size()];
                for (int i = 0; i < xy.length; i++) {
                    xy[i] = point.get(i).asDouble();
                }
                trajectory.add(xy);
            }
            Map<String, Object> info = toMap(s.path("info"));
            Surface surface = new Surface(s.get("objective").asText(), axes, grids, theta, directions, trajectory, info);

            TrainingHistory history = TrainingHistory.empty();
            Path historyFile = dir.resolve("history.json");
            if (Files.isRegularFile(historyFile)) {
                JsonNode h = JSON.readTree(historyFile.toFile());
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
                history = new TrainingHistory(h.path("x").asText("step"), series);
            }
            Map<String, Object> summary = toMap(p.path("model"));
            ParameterLayout layout = layout(dir, theta.length);
            TrainingHistory finalHistory = history;
            TrainedModel model = new TrainedModel() {
                @Override
                public float[] parameters() {
                    return theta.clone();
                }

                @Override
                public ParameterLayout layout() {
                    return layout;
                }

                @Override
                public List<float[]> checkpoints() {
                    return List.of();
                }

                @Override
                public TrainingHistory history() {
                    return finalHistory;
                }

                @Override
                public Map<String, Object> summary() {
                    return summary;
                }
            };
            Map<String, String> settings = new LinkedHashMap<>();
            s.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            Map<String, String> versions = new LinkedHashMap<>();
            p.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
            Map<String, Double> timings = new LinkedHashMap<>();
            p.path("timings-seconds").fields().forEachRemaining(e -> timings.put(e.getKey(), e.getValue().asDouble()));
            Map<String, Object> details = new LinkedHashMap<>();
            if (p.has("git-commit")) {
                details.put("git-commit", p.get("git-commit").asText());
            }
            if (p.has("command")) {
                details.put("command", p.get("command").asText());
            }
            Provenance provenance = new Provenance(s.path("task").asText("?"), s.path("trainer").asText("?"),
                    s.path("probe").asText("?"), settings, s.path("seed").asLong(0), versions, timings, details);
            return new RunResult(dir.getFileName().toString(), surface, model, provenance);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LossSurfaceException l) {
                throw l;
            }
            throw new LossSurfaceException("Cannot read the run in " + dir + ": " + e.getMessage()
                    + ". Its files may be incomplete; run it again.", e);
        }
    }

    private static ParameterLayout layout(Path dir, int size) throws IOException {
        Path file = dir.resolve("layout.json");
        if (!Files.isRegularFile(file)) {
            return ParameterLayout.flat(size);
        }
        List<ParameterBlock> blocks = new ArrayList<>();
        for (JsonNode b : JSON.readTree(file.toFile())) {
            int[] shape = new int[b.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = b.get("shape").get(i).asInt();
            }
            blocks.add(new ParameterBlock(b.get("name").asText(), b.get("layer").asInt(),
                    ParameterBlock.Kind.valueOf(b.get("kind").asText().toUpperCase(java.util.Locale.ROOT)), shape,
                    b.get("offset").asInt(), b.get("order").asText().charAt(0), b.get("output-axis").asInt(),
                    b.get("activation").asText()));
        }
        return new ParameterLayout(blocks);
    }

    private static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return out;
    }
}
