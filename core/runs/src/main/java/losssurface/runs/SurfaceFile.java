package losssurface.runs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.RunResult;
import losssurface.api.Surface;

/**
 * {@code surface.json}, written and read by Jackson. The grids are in it for tools that read JSON
 * (rows of the first axis, NaN and infinity as null); the run folder reads them back from the
 * {@code .npy} files, which keep every bit.
 *
 * @param format         {@value #FORMAT}
 * @param run            the run folder's name
 * @param task           task name
 * @param trainer        trainer name
 * @param probe          probe name
 * @param objective      what was measured
 * @param metrics        the metric names, the loss first
 * @param axes           one axis (a line) or two (a plane)
 * @param grids          each metric's grid, for tools (the run folder reads the grids from the .npy files)
 * @param nonFiniteCells each metric's count of NaN or infinite cells
 * @param directions     the directions' names (their values are in {@code .npy} files of those names)
 * @param info           what the probe and the surface job reported, but the curvature
 * @param curvature      the curvature at the centre ({@link Surface#CURVATURE} of the info), or null
 * @param sharpness      the sharpness numbers of the centre ({@link Surface#SHARPNESS} of the info), or null
 * @param cliffs         a return surface's cliffs ({@link Surface#CLIFFS} of the info), or null
 * @param trajectory     a path drawn over the surface, as coordinates on the axes
 * @param settings       every setting in force
 * @param seed           the run seed
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"format", "run", "task", "trainer", "probe", "objective", "metrics", "axes", "grids", "non-finite-cells", "directions", "info", "curvature", "sharpness", "cliffs", "trajectory", "settings", "seed"})
@JsonIgnoreProperties(ignoreUnknown = true)
record SurfaceFile(String format, String run, String task, String trainer, String probe, String objective, List<String> metrics,
                   List<AxisEntry> axes, Map<String, Object> grids, @JsonProperty("non-finite-cells") Map<String, Long> nonFiniteCells,
                   List<String> directions, Map<String, Object> info,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   Map<String, Object> curvature,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   Map<String, Object> sharpness,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   Map<String, Object> cliffs, List<double[]> trajectory, Map<String, String> settings, long seed) {

    static final String FORMAT = "losssurface-surface/1";

    /** One axis: its name, what it is, and its coordinates. */
    record AxisEntry(String name, String label, double[] values) {
        Axis axis() {
            return new Axis(name, label, values);
        }
    }

    static SurfaceFile of(RunResult run) {
        Surface s = run.surface();
        Map<String, Object> grids = new LinkedHashMap<>();
        Map<String, Long> nonFinite = new LinkedHashMap<>();
        for (String metric : s.metrics()) {
            double[] g = s.grid(metric);
            if (s.isPlane()) {
                int rows = s.axes().get(0).size();
                int cols = s.axes().get(1).size();
                List<List<Double>> nested = new ArrayList<>(rows);
                for (int i = 0; i < rows; i++) {
                    nested.add(finiteOrNull(Arrays.copyOfRange(g, i * cols, (i + 1) * cols)));
                }
                grids.put(metric, nested);
            } else {
                grids.put(metric, finiteOrNull(g));
            }
            nonFinite.put(metric, Arrays.stream(g).filter(v -> !Double.isFinite(v)).count());
        }
        Map<String, Object> info = new LinkedHashMap<>(s.info());
        Map<String, Object> curvature = topLevel(info, Surface.CURVATURE);
        Map<String, Object> sharpness = topLevel(info, Surface.SHARPNESS);
        Map<String, Object> cliffs = topLevel(info, Surface.CLIFFS);
        return new SurfaceFile(FORMAT, run.name(), run.provenance().task(), run.provenance().trainer(), run.provenance().probe(),
                s.objective(), s.metrics(), s.axes().stream().map(a -> new AxisEntry(a.name(), a.label(), a.values())).toList(),
                grids, nonFinite, s.directions().stream().map(Direction::name).toList(), info,
                curvature, sharpness, cliffs, s.trajectory(), run.provenance().settings(), run.provenance().seed());
    }

    /** The object under {@code key} of {@code info}, taken out of it (a top-level object of the file), or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> topLevel(Map<String, Object> info, String key) {
        return info.remove(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** The info as the surface had it: the file's info with the curvature, the sharpness and the cliffs back under their keys. */
    Map<String, Object> surfaceInfo() {
        Map<String, Object> all = new LinkedHashMap<>(info == null ? Map.of() : info);
        if (curvature != null) {
            all.put(Surface.CURVATURE, curvature);
        }
        if (sharpness != null) {
            all.put(Surface.SHARPNESS, sharpness);
        }
        if (cliffs != null) {
            all.put(Surface.CLIFFS, cliffs);
        }
        return all;
    }

    /** The values as a JSON list, NaN and infinity as null. */
    static List<Double> finiteOrNull(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isFinite(v) ? v : null);
        }
        return out;
    }
}
