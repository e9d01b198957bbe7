package losssurface.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A measured loss surface: one or two axes, one grid per metric, the directions and where they
 * came from.
 *
 * <p>Grids are stored row-major: for a 2D surface with axes (alpha, beta) the value at
 * {@code alpha[i]}, {@code beta[j]} is {@code grid[i * beta.size() + j]}.
 *
 * @param objective   what was measured (the objective's description)
 * @param axes        one axis (a line) or two (a plane)
 * @param grids       one grid per metric, the loss first
 * @param centre      theta*, the parameters at coordinate 0
 * @param directions  one direction per axis; the point at (a, b) is centre + a d1 + b d2
 * @param trajectory  an optional path drawn over the surface, as coordinates on the axes (may be empty)
 * @param info        what the probe wants reported: method, options, direction cosine...
 */
public record Surface(String objective, List<Axis> axes, Map<String, double[]> grids, float[] centre,
                      List<Direction> directions, List<double[]> trajectory, Map<String, Object> info) {

    /**
     * The {@link #info} key of the curvature at the centre (eigenvalues, trace, its standard error
     * and samples, block traces, method); {@code surface.json} writes it as a top-level object of
     * this name, for tools. A probe that measured it puts its {@code Curvature.Result} here; the
     * run's analysis stage writes the numbers in its place and keeps the arrays (eigenvectors,
     * density) in the run folder.
     */
    public static final String CURVATURE = "curvature";

    /**
     * The {@link #info} key of the sharpness numbers of the centre (average-direction sharpness, basin
     * radius, ε- and adaptive sharpness) that the run's analysis stage adds; {@code surface.json}
     * writes it as a top-level object of this name.
     */
    public static final String SHARPNESS = "sharpness";

    /**
     * The {@link #info} key of the cliffs of a return surface (their count and share near theta*,
     * {@link Cliffs}), which the run's analysis stage adds with the {@link Cliffs#METRIC} grid;
     * {@code surface.json} writes it as a top-level object of this name.
     */
    public static final String CLIFFS = "cliffs";

    /** This surface with a grid for {@code metric} (replaced where it has one), after the others. */
    public Surface withGrid(String metric, double[] grid) {
        Map<String, double[]> more = new LinkedHashMap<>(grids);
        more.put(metric, grid);
        return new Surface(objective, axes, more, centre, directions, trajectory, info);
    }

    /** This surface with {@code key} of its info set to {@code value}. */
    public Surface withInfo(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(info);
        more.put(key, value);
        return new Surface(objective, axes, grids, centre, directions, trajectory, more);
    }

    public Surface {
        Objects.requireNonNull(objective, "objective");
        axes = List.copyOf(axes);
        if (axes.isEmpty() || axes.size() > 2) {
            throw new IllegalArgumentException("A surface has one or two axes, not " + axes.size());
        }
        int cells = axes.stream().mapToInt(Axis::size).reduce(1, (a, b) -> a * b);
        Map<String, double[]> copy = new LinkedHashMap<>();
        grids.forEach((metric, grid) -> {
            if (grid.length != cells) {
                throw new IllegalArgumentException("grid '" + metric + "' has " + grid.length + " cells, the axes need " + cells);
            }
            copy.put(metric, grid.clone());
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("A surface needs at least one metric grid");
        }
        grids = Collections.unmodifiableMap(copy);
        centre = centre.clone();
        directions = List.copyOf(directions);
        if (directions.size() != axes.size()) {
            throw new IllegalArgumentException("A surface needs one direction per axis");
        }
        for (Direction d : directions) {
            if (d.values().length != centre.length) {
                throw new IllegalArgumentException("direction " + d.name() + " has " + d.values().length
                        + " values, the centre has " + centre.length);
            }
        }
        int dims = axes.size();
        trajectory = trajectory.stream().map(p -> {
            if (p.length != dims) {
                throw new IllegalArgumentException("trajectory points need one coordinate per axis");
            }
            return p.clone();
        }).toList();
        info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    /** The metric names in order, the loss first. */
    public List<String> metrics() {
        return List.copyOf(grids.keySet());
    }

    /** The first metric (the loss). */
    public String lossMetric() {
        return grids.keySet().iterator().next();
    }

    public boolean isPlane() {
        return axes.size() == 2;
    }

    /** A copy of the grid of {@code metric}. */
    public double[] grid(String metric) {
        double[] g = grids.get(metric);
        if (g == null) {
            throw new IllegalArgumentException("No metric '" + metric + "'. Metrics: " + metrics());
        }
        return g.clone();
    }

    /** The value of {@code metric} at index {@code i} on the first axis and {@code j} on the second (0 for a line). */
    public double value(String metric, int i, int j) {
        int stride = isPlane() ? axes.get(1).size() : 1;
        return grids.get(metric)[i * stride + j];
    }

    @Override
    public float[] centre() {
        return centre.clone();
    }

    @Override
    public String toString() {
        return "Surface[" + objective + ", axes " + axes.stream().map(a -> a.name() + "(" + a.size() + ")").toList()
                + ", metrics " + metrics() + ", centre " + centre.length + " params, trajectory "
                + trajectory.size() + " points, info " + info + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Surface s)) {
            return false;
        }
        if (!grids.keySet().equals(s.grids.keySet())) {
            return false;
        }
        for (String k : grids.keySet()) {
            if (!Arrays.equals(grids.get(k), s.grids.get(k))) {
                return false;
            }
        }
        return objective.equals(s.objective) && axes.equals(s.axes) && Arrays.equals(centre, s.centre)
                && directions.equals(s.directions) && info.equals(s.info);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objective, axes, Arrays.hashCode(centre), directions);
    }
}
