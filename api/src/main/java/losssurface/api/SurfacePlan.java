package losssurface.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a probe asks the surface job to evaluate: the points {@code centre + a d1} (a line) or
 * {@code centre + a d1 + b d2} (a plane) at every coordinate of the axes. The probe chooses the
 * directions; the surface job (see {@link SurfaceProbe}) evaluates the points, tile by tile, and
 * turns the plan into a {@link Surface}.
 *
 * @param centre     the point at coordinate 0, usually theta*
 * @param axes       one axis (a line) or two (a plane): the coordinates along each direction
 * @param directions one direction per axis, in the objective's layout
 * @param trajectory an optional path drawn over the surface, as coordinates on the axes (may be empty)
 * @param info       what the probe reports: its method, options, direction cosine...
 * @param measured   what to evaluate at each point instead of the run's objective (a probe that measures something
 *                   derived from it, e.g. the curvature at each point), or null for the run's objective
 */
public record SurfacePlan(float[] centre, List<Axis> axes, List<Direction> directions, List<double[]> trajectory,
                          Map<String, Object> info, Objective measured) {

    /** A plan of the run's objective itself. */
    public SurfacePlan(float[] centre, List<Axis> axes, List<Direction> directions, List<double[]> trajectory,
                       Map<String, Object> info) {
        this(centre, axes, directions, trajectory, info, null);
    }

    /** What the surface job evaluates: {@link #measured}, or the run's {@code objective}. */
    public Objective objectiveOr(Objective objective) {
        return measured != null ? measured : objective;
    }

    public SurfacePlan {
        Objects.requireNonNull(centre, "centre");
        axes = List.copyOf(axes);
        directions = List.copyOf(directions);
        if (axes.isEmpty() || axes.size() > 2) {
            throw new IllegalArgumentException("A surface plan has one or two axes, not " + axes.size());
        }
        if (directions.size() != axes.size()) {
            throw new IllegalArgumentException("A surface plan needs one direction per axis: " + axes.size() + " axes, "
                    + directions.size() + " directions");
        }
        for (Direction d : directions) {
            if (d.values().length != centre.length) {
                throw new IllegalArgumentException("direction " + d.name() + " has " + d.values().length
                        + " values, the centre has " + centre.length);
            }
        }
        centre = centre.clone();
        trajectory = trajectory.stream().map(double[]::clone).toList();
        info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    @Override
    public float[] centre() {
        return centre.clone();
    }

    /** Number of points to evaluate. */
    public long points() {
        return axes.stream().mapToLong(Axis::size).reduce(1, (a, b) -> a * b);
    }

    /**
     * The points as a grid request, to be evaluated by {@code threads} workers. It shares the plan's centre and
     * directions rather than copying them (a parameter vector can take gigabytes); neither changes them.
     */
    public GridRequest grid(int threads) {
        boolean plane = axes.size() == 2;
        return new GridRequest(centre, directions.get(0).shared(), axes.get(0).values(),
                plane ? directions.get(1).shared() : null, plane ? axes.get(1).values() : new double[] {0}, threads);
    }

    /**
     * The surface of this plan: its grids as evaluated, and the probe's info followed by the
     * surface job's (which evaluator, tiles, threads), neither overwriting the other.
     */
    public Surface surface(String objective, Map<String, double[]> grids, Map<String, Object> jobInfo) {
        Map<String, Object> all = new LinkedHashMap<>(info);
        jobInfo.forEach((k, v) -> {
            if (all.putIfAbsent(k, v) != null) {
                throw new IllegalArgumentException("The probe's info already has the key '" + k + "' that the surface job"
                        + " reports; name it otherwise");
            }
        });
        return new Surface(objective, axes, grids, centre, directions, trajectory, all);
    }
}
