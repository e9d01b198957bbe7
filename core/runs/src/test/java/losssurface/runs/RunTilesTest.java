package losssurface.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.TileStore;

/** The run folder's tiles: saved whole, read back as saved, and never mixed with another grid or objective. */
class RunTilesTest {

    @TempDir
    Path run;

    static GridRequest grid(float centre) {
        return new GridRequest(new float[] {centre, 1}, new float[] {1, 0}, new double[] {-1, -0.5, 0, 0.5, 1},
                new float[] {0, 1}, new double[] {-1, 1});
    }

    static Objective objective(String description) {
        Objective f = Objective.of(ParameterLayout.flat(2), "loss", p -> p[0] * p[0] + p[1] * p[1]);
        return new Objective() {
            @Override
            public ParameterLayout layout() {
                return f.layout();
            }

            @Override
            public List<String> metrics() {
                return f.metrics();
            }

            @Override
            public double[] evaluate(float[] parameters) {
                return f.evaluate(parameters);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    @Test
    void aSavedTileIsReadBackAsSavedWithItsEvaluator() {
        TileStore.Tiles tiles = new RunTiles(run).open(grid(0), objective("bowl"));
        assertThat(tiles.rowsPerTile()).isEqualTo(1); // 5 rows, up to 16 tiles
        assertThat(tiles.load(2)).isEmpty();
        double[][] values = {{0.5, Double.NaN}};
        tiles.save(2, new GridValues(values, "plain", "why not fast"), 0.25);
        GridValues back = new RunTiles(run).open(grid(0), objective("bowl")).load(2).orElseThrow();
        assertThat(back.values()[0]).containsExactly(0.5, Double.NaN);
        assertThat(back.evaluator()).isEqualTo("plain");
        assertThat(back.note()).isEqualTo("why not fast");
        assertThat(RunTiles.progress(run)).isEqualTo("1 of 5 surface tiles");
        assertThat(RunTiles.seconds(run)).containsEntry("tile-0002", 0.25);
        assertThat(run.resolve("tiles")).isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void tilesOfAnotherThetaOrObjectiveAreRefusedNamingTheDifference() {
        new RunTiles(run).open(grid(0), objective("bowl"));
        assertThatThrownBy(() -> new RunTiles(run).open(grid(2), objective("bowl"))).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("belong to another surface: its theta-sha256 was")
                .hasMessageContaining("Training gave other parameters than before");
        assertThatThrownBy(() -> new RunTiles(run).open(grid(0), objective("bowl on other data")))
                .hasMessageContaining("its objective was \"bowl\", now \"bowl on other data\"")
                .hasMessageContaining("The objective or its data changed since");
    }

    @Test
    void sharesSplitTheTilesOnceEach() {
        RunTiles.Share a = RunTiles.Share.parse("1/3");
        RunTiles.Share b = RunTiles.Share.parse(" 2 / 3 ");
        RunTiles.Share c = RunTiles.Share.parse("3/3");
        for (int t = 0; t < 10; t++) {
            int owners = (a.has(t) ? 1 : 0) + (b.has(t) ? 1 : 0) + (c.has(t) ? 1 : 0);
            assertThat(owners).as("tile %d", t).isEqualTo(1);
        }
        assertThat(RunTiles.Share.ALL.all()).isTrue();
        assertThatThrownBy(() -> RunTiles.Share.parse("0/3")).hasMessage("--tiles must be K/N with 1 <= K <= N <= 100000, was 0/3.");
        assertThatThrownBy(() -> RunTiles.Share.parse("4/3")).hasMessageContaining("was 4/3");
        assertThatThrownBy(() -> RunTiles.Share.parse("half")).hasMessageContaining("was 'half'");
        assertThat(Files.exists(run.resolve("tiles"))).isFalse();
    }

    @Test
    void provenanceListsTheSharesThatWereRetriedWithTheTilesOfEachAttempt() {
        GridValues values = new GridValues(new double[][] {{1, 2}}, "plain", "");
        new RunTiles(run, RunTiles.Share.parse("1/2"), "spark", 0).open(grid(0), objective("bowl")).save(0, values, 0.1);
        new RunTiles(run, RunTiles.Share.parse("2/2"), "spark", 0).open(grid(0), objective("bowl")).save(1, values, 0.1);
        new RunTiles(run, RunTiles.Share.parse("2/2"), "spark", 1).open(grid(0), objective("bowl")).save(3, values, 0.1);

        java.util.Map<String, Object> job = RunTiles.job(run);
        assertThat(job).containsEntry("engine", "spark").containsEntry("tiles", 3)
                .containsEntry("shares", List.of("1/2", "2/2"))
                .containsEntry("retried-shares", java.util.Map.of("2/2", java.util.Map.of("attempt 0", 1, "attempt 1", 1)));
        assertThat(RunTiles.job(run.resolve("elsewhere"))).doesNotContainKey("retried-shares");
    }
}
