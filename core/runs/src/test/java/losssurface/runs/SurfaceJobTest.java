package losssurface.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.EvaluatorProvider;
import losssurface.api.GridRequest;
import losssurface.api.IncompleteSurfaceException;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.Surface;
import losssurface.api.SurfaceEvaluator;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceProbe;
import losssurface.api.SurfaceSize;
import losssurface.api.TileStore;

/** The framework's surface job: max-points, evaluator choice, tiles, shares, resume and the workers, for any probe. */
class SurfaceJobTest {

    @TempDir
    Path run;

    static final Objective BOWL = Objective.of(ParameterLayout.flat(2), "loss", p -> p[0] * p[0] + 3.0 * p[1] * p[1]);

    /** A plane of {@code rows} x {@code columns} points around (0.5, -0.25). */
    static SurfacePlan plan(int rows, int columns) {
        return new SurfacePlan(new float[] {0.5f, -0.25f}, List.of(new Axis("alpha", "d1", new Settings.Range(-1, 1).linspace(rows)),
                new Axis("beta", "d2", new Settings.Range(-2, 2).linspace(columns))),
                List.of(new Direction("direction-1", new float[] {1, 0.5f}), new Direction("direction-2", new float[] {0, 1})),
                List.of(), Map.of("method", "test"));
    }

    /** A probe that plans {@link #plan} and says its size is {@code rows * columns} under the key {@code test.grid}. */
    static SurfaceProbe probe(int rows, int columns) {
        return new SurfaceProbe() {
            @Override
            public SurfacePlan plan(ProbeInput input) {
                return SurfaceJobTest.plan(rows, columns);
            }

            @Override
            public Optional<SurfaceSize> size() {
                return Optional.of(new SurfaceSize("test.grid", (long) rows * columns));
            }
        };
    }

    /** An evaluator for the bowl that counts its preparations and records the threads its workers ran on. */
    static final class Counting implements SurfaceEvaluator, EvaluatorProvider {
        final AtomicInteger prepared = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final long sleepMillis;

        Counting(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public SurfaceEvaluator create(Settings settings) {
            return this;
        }

        @Override
        public Support support(Objective objective) {
            return objective == BOWL ? Support.YES : Support.no("only the bowl");
        }

        @Override
        public Prepared prepare(Objective objective, GridRequest grid) {
            prepared.incrementAndGet();
            return () -> {
                float[] p = new float[2];
                return (i, j) -> {
                    threads.add(Thread.currentThread().getName() + "@" + System.identityHashCode(Thread.currentThread()));
                    if (sleepMillis > 0) {
                        try {
                            Thread.sleep(sleepMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    grid.point(i, j, p);
                    return objective.evaluate(p);
                };
            };
        }
    }

    static Surface run(SurfaceJob job, SurfaceProbe probe, TileStore tiles, int threads) {
        RunContext context = new RunContext(1, Progress.silent(), Path.of("unused"), threads);
        return job.run(probe, new ProbeInput(BOWL, new float[] {0.5f, -0.25f}, List.of(), context), tiles);
    }

    @Test
    void theSecondsThePointsTookAreReportedApartFromThePlanning() {
        RunContext context = new RunContext(1, Progress.silent(), Path.of("unused"), 2);
        java.util.concurrent.atomic.AtomicLong planned = new java.util.concurrent.atomic.AtomicLong();
        SurfaceProbe slowPlan = new SurfaceProbe() { // plans for 300 ms, as drawing a large model's directions does
            @Override
            public java.util.Optional<SurfaceSize> size() {
                return probe(6, 5).size();
            }

            @Override
            public SurfacePlan plan(ProbeInput input) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                planned.incrementAndGet();
                return probe(6, 5).plan(input);
            }
        };
        Map<String, Double> timings = new java.util.LinkedHashMap<>();
        long t0 = System.nanoTime();
        SurfaceJob.plain().run(slowPlan, new ProbeInput(BOWL, new float[] {0.5f, -0.25f}, List.of(), context), TileStore.NONE, timings);
        double total = (System.nanoTime() - t0) / 1e9;
        assertThat(planned).hasValue(1);
        assertThat(timings).containsOnlyKeys(SurfaceJob.POINTS_SECONDS);
        assertThat(timings.get(SurfaceJob.POINTS_SECONDS)).isPositive().isLessThan(total - 0.3);
    }

    @Test
    void theValuesDoNotDependOnTilesThreadsOrEvaluator() {
        Surface oneTile = run(SurfaceJob.plain(), probe(9, 7), TileStore.NONE, 1);
        Surface tiled = run(SurfaceJob.plain(), probe(9, 7), new RunTiles(run), 3);
        Surface counted = run(new SurfaceJob(List.of(new Counting(0)), SurfaceJob.Config.DEFAULT), probe(9, 7), TileStore.NONE, 2);
        assertThat(tiled.grid("loss")).isEqualTo(oneTile.grid("loss"));
        assertThat(counted.grid("loss")).isEqualTo(oneTile.grid("loss"));
        float[] p = new float[2];
        plan(9, 7).grid(1).point(3, 5, p);
        assertThat(oneTile.value("loss", 3, 5)).isEqualTo(BOWL.evaluate(p)[0]);
        assertThat(tiled.info()).containsEntry("method", "test").containsEntry("evaluator", "plain").containsEntry("tiles", 9)
                .containsEntry("tile-rows", 1).containsEntry("tiles-resumed", 0).containsEntry("threads", 3);
        assertThat(counted.info()).containsEntry("evaluator", "counting");
    }

    @Test
    void everyWorkerWorksOnEachTileWhateverItsHeight() {
        Counting counting = new Counting(15);
        // 2 rows: RunTiles makes tiles of one row, 12 points each, shared among 4 workers
        Surface s = run(new SurfaceJob(List.of(counting), SurfaceJob.Config.DEFAULT), probe(2, 12), new RunTiles(run), 4);
        assertThat(s.info()).containsEntry("tiles", 2).containsEntry("tile-rows", 1);
        assertThat(counting.threads).hasSize(4);
    }

    @Test
    void theEvaluatorIsPreparedOncePerSurfaceAndNotAtAllWhenEveryTileIsSaved() {
        Counting counting = new Counting(0);
        SurfaceJob job = new SurfaceJob(List.of(counting), SurfaceJob.Config.DEFAULT);
        Surface first = run(job, probe(10, 3), new RunTiles(run), 2);
        assertThat(first.info()).containsEntry("tiles", 10);
        assertThat(counting.prepared).hasValue(1);
        Surface again = run(job, probe(10, 3), new RunTiles(run), 2);
        assertThat(counting.prepared).hasValue(1);
        assertThat(again.info()).containsEntry("tiles-resumed", 10).containsEntry("evaluator", "counting");
        assertThat(again.grid("loss")).isEqualTo(first.grid("loss"));
    }

    @Test
    void aDamagedTileIsSaidMovedAsideAndComputedAgainAndTheSurfaceIsExact() throws Exception {
        SurfaceJob job = SurfaceJob.plain();
        Surface reference = run(job, probe(8, 5), TileStore.NONE, 1);
        List<String> said = new java.util.ArrayList<>();
        // half the tiles, as --tiles 1/2 leaves them
        assertThatThrownBy(() -> run(job, probe(8, 5), new RunTiles(run, RunTiles.Share.parse("1/2"), "local", 0, said::add), 1))
                .isInstanceOf(IncompleteSurfaceException.class);
        Path tile = run.resolve("tiles/tile-0002.npy");
        byte[] bytes = java.nio.file.Files.readAllBytes(tile);
        bytes[bytes.length - 13] ^= 0x01; // one bit of one value
        java.nio.file.Files.write(tile, bytes);
        Path cut = run.resolve("tiles/tile-0004.npy");
        byte[] whole = java.nio.file.Files.readAllBytes(cut);
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 20)); // a copy cut short

        Surface resumed = run(job, probe(8, 5), new RunTiles(run, RunTiles.Share.ALL, "local", 0, said::add), 1);
        assertThat(resumed.grid("loss")).as("the same bytes as an uninterrupted surface").isEqualTo(reference.grid("loss"));
        assertThat(resumed.info()).containsEntry("tiles-resumed", 2); // tiles 0 and 6 of share 1/2; 2 and 4 were damaged
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).startsWith("Tile 2 (tiles/tile-0002.npy) is damaged: its values' SHA-256 is ")
                .contains("a flipped bit").contains("it is computed again");
        assertThat(said.get(1)).startsWith("Tile 4 (tiles/tile-0004.npy) is damaged: it cannot be read as a NumPy array");
        try (var aside = java.nio.file.Files.walk(run.resolve("tiles/damaged"))) {
            assertThat(aside.map(f -> f.getFileName().toString()).toList())
                    .contains("tile-0002.npy", "tile-0002.json", "tile-0004.npy", "tile-0004.json");
        }
    }

    @Test
    void aDamagedGridFileIsSaidAndOnlyTilesOfTheSameGridAreKept() throws Exception {
        SurfaceJob job = SurfaceJob.plain();
        Surface reference = run(job, probe(6, 4), new RunTiles(run), 1);
        java.nio.file.Files.writeString(run.resolve("tiles/grid.json"), "{\"rows\": 6, \"colu");
        List<String> said = new java.util.ArrayList<>();
        Counting counting = new Counting(0);
        Surface again = run(new SurfaceJob(List.of(counting), SurfaceJob.Config.DEFAULT), probe(6, 4),
                new RunTiles(run, RunTiles.Share.ALL, "local", 0, said::add), 1);
        assertThat(said).singleElement().asString().startsWith("tiles/grid.json is damaged").contains("only tiles that record the same grid are kept");
        assertThat(again.info()).as("every tile records this grid: none recomputed").containsEntry("tiles-resumed", 6);
        assertThat(again.grid("loss")).isEqualTo(reference.grid("loss"));
        assertThat(run.resolve("tiles/grid.json")).content().contains("\"rows\" : 6");
    }

    @Test
    void sharesComputeTheirTilesAndTogetherTheWholeSurface() {
        SurfaceJob job = SurfaceJob.plain();
        assertThatThrownBy(() -> run(job, probe(6, 4), new RunTiles(run, RunTiles.Share.parse("1/2"), "local", 0), 2))
                .isInstanceOf(IncompleteSurfaceException.class);
        Surface whole = run(job, probe(6, 4), new RunTiles(run, RunTiles.Share.parse("2/2"), "local", 0), 1);
        assertThat(whole.info()).containsEntry("tiles-resumed", 3);
        assertThat(whole.grid("loss")).isEqualTo(run(job, probe(6, 4), TileStore.NONE, 1).grid("loss"));
    }

    @Test
    void aGridOverMaxPointsIsRefusedBeforeAnyWorkNamingTheSettingsAndTheTime() {
        SurfaceJob job = new SurfaceJob(List.of(), SurfaceJob.Config.read(Settings.of(Map.of("surface.max-points", "100"))));
        assertThatThrownBy(() -> job.requireSize(probe(11, 10))).isInstanceOf(SettingsException.class)
                .hasMessage("test.grid asks for 110 points, more than surface.max-points=100. At the 10 to 1,000 points per second"
                        + " these machines evaluate, that is 0 s to 11 s. Give a smaller test.grid, or confirm with --set"
                        + " surface.max-points=110.");
        job.requireSize(probe(10, 10));
    }

    @Test
    void anEvaluatorIsChosenByNameAndOneThatCannotComputeTheObjectiveSaysWhy() {
        Counting counting = new Counting(0);
        assertThatThrownBy(() -> new SurfaceJob(List.of(counting), new SurfaceJob.Config("turbo", 10)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("surface.evaluator must be fast (the fastest that applies), or one of [counting, plain], was 'turbo'.");
        Objective other = Objective.of(ParameterLayout.flat(2), "loss", p -> p[0]);
        SurfaceJob named = new SurfaceJob(List.of(counting), new SurfaceJob.Config("counting", 1000));
        RunContext context = RunContext.quiet(1);
        assertThatThrownBy(() -> named.run(probe(2, 2), new ProbeInput(other, new float[2], List.of(), context), TileStore.NONE))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessage("The counting evaluator (surface.evaluator) cannot compute loss: only the bowl. Leave surface.evaluator"
                        + " out to use the fastest that can.");
        Surface fallback = new SurfaceJob(List.of(counting), SurfaceJob.Config.DEFAULT)
                .run(probe(2, 2), new ProbeInput(other, new float[2], List.of(), context), TileStore.NONE);
        assertThat(fallback.info()).containsEntry("evaluator", "plain").containsEntry("evaluator-note", "fast path not used: only the bowl");
    }

    @Test
    void aFailingPointStopsTheSurfaceWithItsErrorAndKeepsTheTilesFinishedBefore() {
        Objective failing = Objective.of(ParameterLayout.flat(2), "loss", p -> {
            if (p[0] > 1.2f) {
                throw new IllegalStateException("diverged at " + p[0]);
            }
            return p[0];
        });
        RunContext context = new RunContext(1, Progress.silent(), Path.of("unused"), 2);
        // rows at alpha = -1 .. 1 along d1 = (1, 0.5) from 0.5: the last rows pass 1.2
        assertThatThrownBy(() -> SurfaceJob.plain().run(probe(9, 3), new ProbeInput(failing, new float[] {0.5f, -0.25f}, List.of(),
                context), new RunTiles(run))).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("diverged at ");
        assertThat(RunTiles.progress(run)).matches("[1-8] of 9 surface tiles");
    }

    @Test
    void theProbesInfoAndTheJobsDoNotOverwriteEachOther() {
        SurfacePlan clash = new SurfacePlan(new float[2], List.of(new Axis("a", "a", new double[] {0, 1})),
                List.of(new Direction("direction-1", new float[] {1, 0})), List.of(), Map.of("tiles", "mine"));
        assertThatThrownBy(() -> SurfaceJob.plain().evaluate(clash, BOWL, TileStore.NONE, 1, Progress.silent()))
                .hasMessage("The probe's info already has the key 'tiles' that the surface job reports; name it otherwise");
    }
}
