package losssurface.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import losssurface.api.Check;
import losssurface.api.EvaluatorProvider;
import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.IncompleteSurfaceException;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Progress;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.Surface;
import losssurface.api.SurfaceEvaluator;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceProbe;
import losssurface.api.SurfaceSize;
import losssurface.api.TileStore;

/**
 * The surface job, the same for every probe: a probe plans the points (axes, directions), and the
 * job refuses grids over {@code surface.max-points}, chooses the evaluator, prepares it once per
 * surface, evaluates the grid tile by tile (blocks of whole rows) through a {@link TileStore}
 * (a tile the store holds is read back, each other one is computed and saved as soon as it is
 * done, a tile of another share is left), reports progress and the first tile's estimate, and
 * turns the plan into a {@link Surface}. One pool of {@code threads} workers runs over the points
 * of each tile, so every core works whatever the tile's height. Every point is computed on its
 * own, so the values do not depend on the tiling, the share or the number of workers.
 */
public final class SurfaceJob {

    /** The setting that chooses the evaluator: {@code fast} (default: the fastest that applies), {@code plain}, or a name. */
    public static final String EVALUATOR = "surface.evaluator";
    /** The setting above which a grid must be asked for explicitly. */
    public static final String MAX_POINTS = "surface.max-points";
    /** Above this many points a surface must be asked for with {@value #MAX_POINTS}: hours at these machines' 10 to 1,000 points/s. */
    public static final int DEFAULT_MAX_POINTS = 250_000;
    /** Who reads the job's settings, as {@code list} and unknown-key errors name it. */
    public static final String OWNER = "surface";

    private final List<SurfaceEvaluator> evaluators;
    private final Config config;

    /**
     * The job's settings.
     *
     * @param evaluator {@value #EVALUATOR}: {@code fast}, {@code plain} or an evaluator's name
     * @param maxPoints {@value #MAX_POINTS}
     */
    public record Config(String evaluator, long maxPoints) {
        public Config {
            java.util.Objects.requireNonNull(evaluator, "evaluator");
            if (maxPoints < 1 || maxPoints > 1_000_000_000) {
                throw new SettingsException(MAX_POINTS + " must be between 1 and 1000000000, was " + maxPoints + ".");
            }
        }

        /** The defaults: the fastest evaluator, {@value #DEFAULT_MAX_POINTS} points at most. */
        public static final Config DEFAULT = new Config("fast", DEFAULT_MAX_POINTS);

        /** Reads {@value #EVALUATOR} and {@value #MAX_POINTS}. */
        public static Config read(Settings settings) {
            Settings own = settings.forOwner(OWNER);
            return new Config(own.string(EVALUATOR, "fast"),
                    Check.between(MAX_POINTS, 1, 1_000_000_000, own.integer(MAX_POINTS, DEFAULT_MAX_POINTS)));
        }
    }

    /**
     * @param providers the installed evaluators; the plain method is built in and comes after them
     * @param config    the job's settings
     * @throws SettingsException when {@code config} names an evaluator that is not installed
     */
    public SurfaceJob(List<EvaluatorProvider> providers, Config config) {
        this.config = config;
        List<SurfaceEvaluator> ordered = new ArrayList<>();
        providers.stream().sorted(Comparator.comparingInt(EvaluatorProvider::priority).reversed()
                .thenComparing(EvaluatorProvider::name)).forEach(p -> ordered.add(p.create(Settings.empty())));
        ordered.add(new PlainEvaluator());
        List<String> names = ordered.stream().map(SurfaceEvaluator::name).toList();
        if (!config.evaluator().equals("fast") && !names.contains(config.evaluator())) {
            throw new SettingsException(EVALUATOR + " must be fast (the fastest that applies), or one of " + names + ", was '"
                    + config.evaluator() + "'.");
        }
        this.evaluators = List.copyOf(ordered);
    }

    /** A job with only the plain method, with the default settings. */
    public static SurfaceJob plain() {
        return new SurfaceJob(List.of(), Config.DEFAULT);
    }

    /** The evaluators this job may use, the plain method last. */
    public List<String> evaluators() {
        return evaluators.stream().map(SurfaceEvaluator::name).toList();
    }

    /**
     * Refuses a probe whose settings ask for more than {@value #MAX_POINTS} points, before anything is
     * trained, naming its size, the time it would take and how to confirm it.
     */
    public void requireSize(SurfaceProbe probe) {
        probe.size().ifPresent(this::requireSize);
    }

    private void requireSize(SurfaceSize size) {
        long points = size.points();
        if (points > config.maxPoints()) {
            throw new SettingsException(String.format(Locale.ROOT, "%s asks for %,d points, more than %s=%,d. At the 10 to "
                    + "1,000 points per second these machines evaluate, that is %s to %s. Give a smaller %s, or confirm with --set "
                    + "%s=%d.", size.key(), points, MAX_POINTS, config.maxPoints(), duration(points / 1000.0),
                    duration(points / 10.0), size.key(), MAX_POINTS, points));
        }
    }

    /**
     * Plans the surface with {@code probe} and evaluates it.
     *
     * @param tiles   where finished tiles are kept ({@link TileStore#NONE}: nowhere, the grid is one tile)
     * @throws IncompleteSurfaceException when tiles of other shares are still missing (this share's are saved)
     */
    public Surface run(SurfaceProbe probe, ProbeInput input, TileStore tiles) {
        SurfacePlan plan = probe.plan(input);
        requireSize(new SurfaceSize(probe.size().map(SurfaceSize::key).orElse("the probe's grid"), plan.points()));
        return evaluate(plan, input.objective(), tiles, input.context().threads(), input.context().progress());
    }

    /** Evaluates {@code plan} for {@code objective} with {@code threads} workers, tile by tile through {@code store}. */
    public Surface evaluate(SurfacePlan plan, Objective objective, TileStore store, int threads, Progress progress) {
        objective.layout().requireFits(plan.centre(), "The surface's centre");
        GridRequest grid = plan.grid(threads);
        List<String> metrics = objective.metrics();
        TileStore.Tiles tiles = store.open(grid, objective);
        int rows = grid.alphas().length;
        int columns = grid.betas().length;
        int perTile = Math.max(1, Math.min(rows, tiles.rowsPerTile()));
        int count = (rows + perTile - 1) / perTile;
        double[][] values = new double[metrics.size()][grid.points()];
        progress.info(String.format(Locale.ROOT, "Surface: %,d points (%s), %d tile%s of %d row%s, %d thread%s;"
                + " each point is one evaluation of the %s", grid.points(), columns == 1 ? rows + " along the line"
                : rows + " x " + columns, count, count == 1 ? "" : "s", perTile, perTile == 1 ? "" : "s", threads,
                threads == 1 ? "" : "s", objective.description()));
        Choice choice = null;
        String evaluator = null;
        String note = "";
        int resumed = 0;
        int missing = 0;
        boolean estimated = false;
        try (Progress.Meter meter = progress.meter("Surface", grid.points(), "points");
             Pool pool = new Pool(threads)) {
            for (int t = 0; t < count; t++) {
                int from = t * perTile;
                int to = Math.min(rows, from + perTile);
                int offset = from * columns;
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
                    if (choice == null) {
                        choice = choose(objective, grid); // prepared once per surface, when a tile is first computed
                        pool.workersFor(choice.prepared());
                    }
                    String label = count == 1 ? "" : "tile " + (t + 1) + "/" + count + ", ";
                    long t0 = System.nanoTime();
                    double[][] computed = pool.evaluate(grid, from, to, metrics.size(), metrics.get(0), meter, offset, label);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    tile = new GridValues(computed, choice.name(), choice.note());
                    tiles.save(t, tile, seconds);
                    if (!estimated && count > 1) {
                        estimated = true;
                        long done = (long) (to - from) * columns;
                        progress.info(String.format(Locale.ROOT, "First tile: %,d points in %.1f s; about %s for all %,d", done,
                                seconds, duration(seconds * grid.points() / done), grid.points()));
                    }
                }
                if (evaluator == null || saved.isEmpty()) {
                    evaluator = tile.evaluator();
                    note = tile.note();
                }
                for (int m = 0; m < metrics.size(); m++) {
                    System.arraycopy(tile.values()[m], 0, values[m], offset, (to - from) * columns);
                }
            }
        } finally {
            if (choice != null) {
                choice.prepared().close();
            }
        }
        if (missing > 0) {
            throw new IncompleteSurfaceException(missing, count);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("evaluator", evaluator);
        info.put("threads", threads);
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
        return plan.surface(objective.description(), grids, info);
    }

    /**
     * Every point of {@code grid} (coordinates strictly increasing), as one tile kept nowhere: the
     * values, {@code values[metric][i * betas.length + j]}, with the evaluator that computed them.
     */
    public GridValues evaluate(Objective objective, GridRequest grid, Progress progress) {
        boolean plane = grid.d2() != null;
        List<losssurface.api.Axis> axes = plane
                ? List.of(new losssurface.api.Axis("alpha", "direction 1", grid.alphas()), new losssurface.api.Axis("beta", "direction 2", grid.betas()))
                : List.of(new losssurface.api.Axis("alpha", "direction 1", grid.alphas()));
        List<losssurface.api.Direction> directions = plane
                ? List.of(new losssurface.api.Direction("direction-1", grid.d1()), new losssurface.api.Direction("direction-2", grid.d2()))
                : List.of(new losssurface.api.Direction("direction-1", grid.d1()));
        Surface s = evaluate(new SurfacePlan(grid.centre(), axes, directions, List.of(), Map.of()), objective, TileStore.NONE,
                grid.threads(), progress);
        double[][] values = s.metrics().stream().map(s::grid).toArray(double[][]::new);
        return new GridValues(values, String.valueOf(s.info().get("evaluator")), String.valueOf(s.info().getOrDefault("evaluator-note", "")));
    }

    /** The evaluator chosen for a surface, prepared, and why faster ones were not used. */
    private record Choice(String name, SurfaceEvaluator.Prepared prepared, String whyNotFaster) {
        String note() {
            String own = prepared.note();
            return whyNotFaster.isEmpty() ? own : own.isEmpty() ? whyNotFaster : own + "; " + whyNotFaster;
        }
    }

    private Choice choose(Objective objective, GridRequest grid) {
        List<String> declined = new ArrayList<>();
        for (SurfaceEvaluator e : evaluators) {
            boolean wanted = config.evaluator().equals("fast") || config.evaluator().equals(e.name());
            if (!wanted) {
                continue;
            }
            SurfaceEvaluator.Support support = e.support(objective);
            if (support.applies()) {
                String why = declined.isEmpty() || e.name().equals(PlainEvaluator.NAME) && !config.evaluator().equals("fast")
                        ? "" : "fast path not used: " + String.join("; ", declined);
                return new Choice(e.name(), e.prepare(objective, grid), why);
            }
            if (!config.evaluator().equals("fast")) {
                throw new LossSurfaceException("The " + e.name() + " evaluator (" + EVALUATOR + ") cannot compute " + objective.description()
                        + (support.why().isEmpty() ? ": it is made for other models" : ": " + support.why())
                        + ". Leave " + EVALUATOR + " out to use the fastest that can.");
            }
            if (!support.why().isEmpty()) {
                declined.add(support.why());
            }
        }
        throw new IllegalStateException("the plain evaluator applies to every objective");
    }

    /**
     * The job's threads, for one surface: worker k of the prepared evaluation belongs to task k,
     * and each tile's points are shared out among the tasks through one counter.
     */
    private static final class Pool implements AutoCloseable {
        private final int threads;
        private ExecutorService executor;
        private final List<SurfaceEvaluator.Worker> workers = new ArrayList<>();

        Pool(int threads) {
            this.threads = threads;
        }

        void workersFor(SurfaceEvaluator.Prepared prepared) {
            int n = Math.max(1, Math.min(threads, prepared.maxWorkers()));
            for (int k = 0; k < n; k++) {
                workers.add(prepared.worker());
            }
            if (n > 1) {
                executor = Executors.newFixedThreadPool(n, r -> {
                    Thread thread = new Thread(r, "losssurface-surface-worker");
                    thread.setDaemon(true);
                    return thread;
                });
            }
        }

        /** Rows {@code from} to {@code to} of {@code grid}: {@code values[metric][point of the tile]}. */
        double[][] evaluate(GridRequest grid, int from, int to, int metrics, String first, Progress.Meter meter, long offset,
                            String label) {
            int columns = grid.betas().length;
            int points = (to - from) * columns;
            double[][] values = new double[metrics][points];
            AtomicInteger next = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (SurfaceEvaluator.Worker worker : workers) {
                tasks.add(() -> {
                    for (int cell = next.getAndIncrement(); cell < points; cell = next.getAndIncrement()) {
                        double[] v = worker.point(from + cell / columns, cell % columns);
                        for (int m = 0; m < metrics; m++) {
                            values[m][cell] = v[m];
                        }
                        synchronized (meter) { // counted inside the lock, so the meter sees the count rise in order
                            meter.update(offset + done.incrementAndGet(), String.format(Locale.ROOT, "%s%s %.4g", label, first, v[0]));
                        }
                    }
                    return null;
                });
            }
            if (executor == null) {
                try {
                    tasks.get(0).call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return values;
            }
            try {
                List<Future<Void>> futures = new ArrayList<>();
                for (Callable<Void> task : tasks) {
                    futures.add(executor.submit(task));
                }
                for (Future<Void> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LossSurfaceException("Interrupted while evaluating the surface.", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
            return values;
        }

        @Override
        public void close() {
            if (executor != null) {
                executor.shutdownNow();
            }
            workers.forEach(SurfaceEvaluator.Worker::close);
        }
    }

    /** A duration as a person reads it: seconds, minutes, hours or days. */
    public static String duration(double seconds) {
        return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : seconds < 5400 ? String.format(Locale.ROOT, "%.0f minutes", seconds / 60)
                : seconds < 172_800 ? String.format(Locale.ROOT, "%.0f hours", seconds / 3600)
                : String.format(Locale.ROOT, "%.0f days", seconds / 86_400);
    }
}
