package losssurface.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Comparison;
import losssurface.api.LossSurfaceException;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.runs.RunFolder;

class ComparisonTest {

    @TempDir
    Path tmp;

    static RunResult withInfo(RunResult base, Map<String, Object> changes) {
        Surface s = base.surface();
        Map<String, Object> info = new HashMap<>(s.info());
        info.putAll(changes);
        return Runs.run(new Surface(s.objective(), s.axes(), s.grids(), s.centre(), s.directions(), s.trajectory(), info));
    }

    @Test
    void statesEveryWayTheRunsWereMeasuredDifferently() throws Exception {
        RunResult a = Runs.bowl(11, 11, 2, false);
        RunResult b = withInfo(Runs.bowl(11, 11, 2, false), Map.of("direction-seed", 9L, "normalisation", "layer"));
        Comparison c = new Comparison(List.of(a, b));
        assertThat(c.differences()).hasSize(2);
        assertThat(c.differences().get(0)).startsWith("The runs differ in directions seed: 7 (").contains("vs 9 (");
        assertThat(c.differences().get(1)).startsWith("The runs differ in normalisation");
        RunResult coarse = Runs.bowl(5, 5, 2, false);
        assertThat(new Comparison(List.of(a, coarse)).differences()).anyMatch(d -> d.startsWith("The runs differ in grid"));
        List<Path> files = compare(c, tmp.resolve("cmp"));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("compare-loss.png", "compare-accuracy.png", "compare.html");
        assertThat(Files.readString(tmp.resolve("cmp").resolve("compare.html"))).contains("The runs differ in directions seed");
        PngRendererTest.keep(tmp.resolve("cmp").resolve("compare-loss.png"));
    }

    /** What the runner's compare does: every default renderer draws the comparison. */
    static List<Path> compare(Comparison c, Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        List<Path> files = new java.util.ArrayList<>();
        files.addAll(new PngRendererProvider().create(Settings.empty()).compare(c, dir));
        files.addAll(new HtmlRendererProvider().create(Settings.empty()).compare(c, dir));
        files.addAll(new DataRendererProvider().create(Settings.empty()).compare(c, dir));
        return files;
    }

    @Test
    void runsAreReadBackFromTheirFolders() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        RunResult original = Runs.bowl(7, 5, 0.5, true);
        new DataRendererProvider().create(Settings.empty()).render(original, dir);
        RunResult back = RunFolder.read(dir);
        assertThat(back.surface().grid("loss")).isEqualTo(original.surface().grid("loss"));
        assertThat(back.surface().axes()).isEqualTo(original.surface().axes());
        assertThat(back.surface().trajectory()).hasSize(11);
        assertThat(back.provenance().seed()).isEqualTo(42);
        assertThat(back.model().history().series()).containsKey("train-loss");
        assertThatThrownBy(() -> RunFolder.read(tmp)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("is not a run folder: it has no surface.json");
        assertThatThrownBy(() -> new Comparison(List.of(original))).hasMessage("compare needs at least two runs, got 1.");
    }
}
