package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import losssurface.api.Check;
import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.IncompleteSurfaceException;
import losssurface.api.Objective;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.TileStore;

/**
 * Evaluates an objective over a line or plane, by the objective's fastest method
 * ({@link Objective#evaluateGrid}) or, with {@code surface.evaluator=plain}, point by point.
 * Records which method ran in the surface info.
 */
final class GridEvaluator {

    static final String KEY = "surface.evaluator";

    private final boolean fast;

    private GridEvaluator(boolean fast) {
        this.fast = fast;
    }

    static final String MAX_POINTS = "surface.max-points";
    /** Above this many points a surface must be asked for with {@value #MAX_POINTS}: hours at these machines' 10 to 1,000 points/s. */
    static final int DEFAULT_MAX_POINTS = 250_000;

    /**
     * Refuses a grid of more than {@code surface.max-points} points (default {@value #DEFAULT_MAX_POINTS})
     * before anything is trained, naming its size and how to confirm it.
     *
     * @param key the setting that sized the grid, e.g. {@code plane.grid}
     */
    static void requireSize(Settings settings, String key, long points) {
        long max = Check.between(MAX_POINTS, 1, 1_000_000_000, settings.integer(MAX_POINTS, DEFAULT_MAX_POINTS));
        if (points > max) {
            throw new SettingsException(String.format(java.util.Locale.ROOT, "%s asks for %,d points, more than %s=%,d. At the 10 to "
                    + "1,000 points per second these machines evaluate, that is %s to %s. Give a smaller %s, or confirm with --set "
                    + "%s=%d.", key, points, MAX_POINTS, max, duration(points / 1000.0), duration(points / 10.0), key, MAX_POINTS,
                    points));
        }
    }

    /** A line's {@code key} points (e.g. {@code line.points}), within {@code surface.max-points}. */
    static int points(Settings settings, String key, int defaultValue) {
        int points = Check.atLeast(key, 2, settings.integer(key, defaultValue));
        requireSize(settings, key, points);
        return points;
    }

    private static String duration(double seconds) {
        return seconds < 90 ? String.format(java.util.Locale.ROOT, "%.0f s", seconds)
                : seconds < 5400 ? String.format(java.util.Locale.ROOT, "%.0f minutes", seconds / 60)
                : seconds < 172_800 ? String.format(java.util.Locale.ROOT, "%.0f hours", seconds / 3600)
                : String.format(java.util.Locale.ROOT, "%.0f days", seconds / 86_400);
    }

    /** Reads {@code surface.evaluator}: {@code fast} (default) or {@code plain}. */
    static GridEvaluator read(Settings settings) {
        return new GridEvaluator(settings.choice(KEY, "fast", Set.of("fast", "plain")).equals("fast"));
    }

    /**
     * grids[metric][i * betas.length + j] = metric at centre + alphas[i] d1 + betas[j] d2 (d2 null: a line).
     * The grid is evaluated tile by tile (blocks of whole rows, see {@link TileStore}): a tile the
     * run's store already holds is read back, each other one is computed and saved as soon as it
     * is done. Every point is computed on its own, so the values do not depend on the tiling.
     * Puts {@code evaluator} (and {@code evaluator-note} when the fast path was not used), and
     * the number of tiles and of those read back, into {@code info} (each tile's time
     * is the store's to keep: it is not part of the surface).
     */
    Map<String, double[]> evaluate(Objective objective, GridRequest points, RunContext context, Map<String, Object> info) {
        GridRequest request = points.withThreads(context.threads());
        List<String> metrics = objective.metrics();
        TileStore.Tiles tiles = context.tiles().open(request, objective);
        int rows = request.alphas().length;
        int columns = request.betas().length;
        int perTile = Math.max(1, Math.min(rows, tiles.rowsPerTile()));
        int count = (rows + perTile - 1) / perTile;
        double[][] values = new double[metrics.size()][request.points()];
        String evaluator = null;
        String note = "";
        int resumed = 0;
        int missing = 0;
        context.progress().info(String.format(java.util.Locale.ROOT, "Surface: %,d points (%s), %d tile%s of %d row%s, %d thread%s;"
                + " each point is one evaluation of the %s", request.points(), columns == 1 ? rows + " along the line"
                : rows + " x " + columns, count, count == 1 ? "" : "s", perTile, perTile == 1 ? "" : "s", request.threads(),
                request.threads() == 1 ? "" : "s", objective.description()));
        boolean estimated = false;
        try (Progress.Meter meter = context.progress().meter("Surface", request.points(), "points")) {
            for (int t = 0; t < count; t++) {
                int from = t * perTile;
                int to = Math.min(rows, from + perTile);
                long offset = (long) from * columns;
                Optional<GridValues> saved = tiles.load(t);
                GridValues tile;
                if (saved.isPresent()) {
                    tile = saved.get();
                    resumed++;
                    meter.update(offset + (long) (to - from) * columns, "tile " + (t + 1) + "/" + count + " resumed");
                } else if (!tiles.mine(t)) {
                    missing++;
                    continue;
                } else {
                    GridRequest part = request.rows(from, to);
                    String label = count == 1 ? "" : "tile " + (t + 1) + "/" + count + ", ";
                    Progress.Meter shifted = new Progress.Meter() {
                        @Override
                        public void update(long done, String detail) {
                            meter.update(offset + done, label + detail);
                        }

                        @Override
                        public void close() {
                        }
                    };
                    long t0 = System.nanoTime();
                    tile = fast ? objective.evaluateGrid(part, shifted) : part.evaluatePlainly(objective, shifted);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    tiles.save(t, tile, seconds);
                    if (!estimated && count > 1) {
                        estimated = true;
                        long done = (long) (to - from) * columns;
                        context.progress().info(String.format(java.util.Locale.ROOT, "First tile: %,d points in %.1f s; about %s"
                                + " for all %,d", done, seconds, duration(seconds * request.points() / done), request.points()));
                    }
                }
                if (evaluator == null || saved.isEmpty()) {
                    evaluator = tile.evaluator();
                    note = tile.note();
                }
                for (int m = 0; m < metrics.size(); m++) {
                    System.arraycopy(tile.values()[m], 0, values[m], (int) offset, (to - from) * columns);
                }
            }
        }
        if (missing > 0) {
            throw new IncompleteSurfaceException(missing, count);
        }
        info.put("evaluator", evaluator);
        info.put("threads", request.threads());
        if (!note.isEmpty()) {
            info.put("evaluator-note", note);
        }
        info.put("tiles", count);
        info.put("tile-rows", perTile);
        info.put("tiles-resumed", resumed);
        Map<String, double[]> grids = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            grids.put(metrics.get(m), values[m]);
        }
        return grids;
    }
}
