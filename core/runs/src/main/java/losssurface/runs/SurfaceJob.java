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
        return run(probe, input, tiles, new java.util.HashMap<>());
    }

    /**
     * As {@link #run(SurfaceProbe, ProbeInput, TileStore)}, putting into {@code timings} the seconds the points took
     * ({@value #POINTS_SECONDS}: the evaluator prepared and the tiles computed or resumed; the probe's planning, e.g.
     * drawing the directions, left out), which is what a rate of points per second is about.
     */
    public Surface run(SurfaceProbe probe, ProbeInput input, TileStore tiles, Map<String, Double> timings) {
        SurfacePlan plan = probe.plan(input);
        requireSize(new SurfaceSize(probe.size().map(SurfaceSize::key).orElse("the probe's grid"), plan.points()));
        long t0 = System.nanoTime();
        Surface s = evaluate(plan, plan.objectiveOr(input.objective()), tiles, input.context().threads(), input.context().progress());
        timings.put(POINTS_SECONDS, (System.nanoTime() - t0) / 1e9);
        return s;
    }

    /** The key of the seconds a surface's points took, in the timings {@link #run(SurfaceProbe, ProbeInput, TileStore, Map)} fills. */
    public static final String POINTS_SECONDS = "points";

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
        String evaluator = null;
        String note = "";
        int resumed = 0;
        int missing = 0;
        long resumedPoints = 0;
        List<Integer> toCompute = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int from = t * perTile;
            int to = Math.min(rows, from + perTile);
            Optional<GridValues> saved = tiles.load(t);
            if (saved.isPresent()) {
                GridValues tile = saved.get();
                resumed++;
                resumedPoints += (long) (to - from) * columns;
                if (evaluator == null) {
                    evaluator = tile.evaluator();
                    note = tile.note();
                }
                for (int m = 0; m < metrics.size(); m++) {
                    System.arraycopy(tile.values()[m], 0, values[m], from * columns, (to - from) * columns);
                }
            } else if (tiles.mine(t)) {
                toCompute.add(t);
            } else {
                missing++;
            }
        }
        long computedPoints = 0;
        for (int t : toCompute) {
            computedPoints += (long) (Math.min(rows, (t + 1) * perTile) - t * perTile) * columns;
        }
        if (resumed > 0) {
            progress.info(String.format(Locale.ROOT, "Surface: %d of %d tiles (%,d points) resumed from the run folder; %s", resumed,
                    count, resumedPoints, toCompute.isEmpty() ? "nothing to compute here"
                            : String.format(Locale.ROOT, "%,d points to compute", computedPoints)));
        }
        Choice choice = null;
        // the meter counts the points this process computes, so that its rate and estimate are of work done here
        try (Progress.Meter meter = toCompute.isEmpty() ? null : progress.meter("Surface", computedPoints, "points");
             Pool pool = new Pool(threads)) {
            if (!toCompute.isEmpty()) {
                choice = choose(objective, grid); // prepared once per surface, and only when a tile is computed
                pool.workersFor(choice.prepared());
                Choice chosen = choice;
                long started = System.nanoTime();
                boolean[] estimated = {count == 1};
                pool.evaluate(grid, toCompute, perTile, count, metrics, meter,
                        (t, tileValues, seconds) -> {
                            int from = t * perTile;
                            int points = tileValues[0].length;
                            tiles.save(t, new GridValues(tileValues, chosen.name(), chosen.note()), seconds);
                            for (int m = 0; m < metrics.size(); m++) {
                                System.arraycopy(tileValues[m], 0, values[m], from * columns, points);
                            }
                            if (!estimated[0]) {
                                estimated[0] = true;
                                double elapsed = (System.nanoTime() - started) / 1e9;
                                long left = (long) toCompute.size() * perTile * columns;
                                progress.info(String.format(Locale.ROOT, "First tile: %,d points in %.1f s; about %s for all %,d",
                                        points, elapsed, duration(elapsed * Math.min(left, grid.points()) / points),
                                        Math.min(left, grid.points())));
                            }
                        });
                evaluator = choice.name();
                note = choice.note();
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
                String why = declined.isEmpty() ? "" : "fast path not used: " + String.join("; ", declined);
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

        /** What to do with a finished tile: its values ({@code [metric][point of the tile]}) and the seconds it took. */
        interface TileDone {
            void done(int tile, double[][] values, double seconds);
        }

        /**
         * Every point of {@code tiles} (tile numbers, in order), shared out among the workers through
         * one counter, with no wait between tiles: a worker that finishes a tile's last point hands
         * the tile to {@code done} (one tile at a time) and goes on with the next points.
         */
        void evaluate(GridRequest grid, List<Integer> tiles, int perTile, int count, List<String> metricNames, Progress.Meter meter,
                      TileDone done) {
            int columns = grid.betas().length;
            int rows = grid.alphas().length;
            int metrics = metricNames.size();
            int n = tiles.size();
            int[] first = new int[n + 1]; // first[k]: index of tile k's first point in the flattened order
            double[][][] values = new double[n][][];
            AtomicInteger[] left = new AtomicInteger[n];
            long[] startedAt = new long[n];
            for (int k = 0; k < n; k++) {
                int t = tiles.get(k);
                int points = (Math.min(rows, t * perTile + perTile) - t * perTile) * columns;
                first[k + 1] = first[k] + points;
                values[k] = new double[metrics][points];
                left[k] = new AtomicInteger(points);
            }
            java.util.Arrays.fill(startedAt, Long.MAX_VALUE);
            int total = first[n];
            AtomicInteger next = new AtomicInteger();
            AtomicLong finished = new AtomicLong();
            Object saving = new Object();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (SurfaceEvaluator.Worker worker : workers) {
                tasks.add(() -> {
                    int k = 0;
                    for (int index = next.getAndIncrement(); index < total; index = next.getAndIncrement()) {
                        while (index >= first[k + 1]) {
                            k++;
                        }
                        int t = tiles.get(k);
                        int cell = index - first[k];
                        synchronized (startedAt) {
                            startedAt[k] = Math.min(startedAt[k], System.nanoTime());
                        }
                        double[] v = worker.point(t * perTile + cell / columns, cell % columns);
                        for (int m = 0; m < metrics; m++) {
                            values[k][m][cell] = v[m];
                        }
                        synchronized (meter) { // counted inside the lock, so the meter sees the count rise in order
                            meter.update(finished.incrementAndGet(), String.format(Locale.ROOT, "%s%s %.4g",
                                    count == 1 ? "" : "tile " + (t + 1) + "/" + count + ", ", metricNames.get(0), v[0]));
                        }
                        if (left[k].decrementAndGet() == 0) {
                            double seconds;
                            synchronized (startedAt) {
                                seconds = (System.nanoTime() - startedAt[k]) / 1e9;
                            }
                            synchronized (saving) {
                                done.done(t, values[k], seconds);
                            }
                            values[k] = null;
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
                return;
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
                next.set(Integer.MAX_VALUE);
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
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
