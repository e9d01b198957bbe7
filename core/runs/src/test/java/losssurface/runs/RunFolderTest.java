package losssurface.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Provenance;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;

/** surface.json, provenance.json and layout.json: Jackson records written and read back, each key once. */
class RunFolderTest {

    @TempDir
    Path dir;

    static RunResult run() {
        Surface surface = new Surface("a bowl", List.of(new Axis("alpha", "d1", new double[] {-1, 0, 1}),
                new Axis("beta", "d2", new double[] {-1, 1})), Map.of("loss", new double[] {2, 1, Double.NaN, 0.5, 2, 3}),
                new float[] {1, 2, 3}, List.of(new Direction("direction-1", new float[] {1, 0, 0}),
                new Direction("direction-2", new float[] {0, 1, 0})), List.of(new double[] {0.5, 0.5}),
                Map.of("method", "test", "evaluator", "plain"));
        ParameterLayout layout = new ParameterLayout(List.of(ParameterBlock.denseWeights(0, 1, 2, 0, "relu"),
                ParameterBlock.bias(0, 1, 2, "relu")));
        TrainedModel model = TrainedModel.of(new float[] {1, 2, 3}, layout, TrainingHistory.empty(), Map.of("test-loss", 0.25));
        Provenance provenance = new Provenance("bowl-task", "none", "test-probe", Map.of("plane.grid", "3x2"), 7,
                Map.of("java", "17"), Map.of("train", 1.5), Map.of("probe-info", Map.of("method", "test"), "git-commit", "abc",
                "command", "losssurface run"));
        return new RunResult("run-1", surface, model, provenance);
    }

    @Test
    void aRunIsReadBackAsWrittenWithEachKeyOnce() throws Exception {
        RunResult written = run();
        RunFolder.write(written, dir);
        RunResult read = RunFolder.read(dir);
        assertThat(read.surface()).isEqualTo(written.surface());
        assertThat(read.provenance().probe()).isEqualTo("test-probe");
        assertThat(read.provenance().seed()).isEqualTo(7);
        assertThat(read.provenance().settings()).isEqualTo(Map.of("plane.grid", "3x2"));
        assertThat(read.provenance().timings()).isEqualTo(Map.of("train", 1.5));
        assertThat(read.provenance().details()).containsEntry("git-commit", "abc").containsEntry("command", "losssurface run");
        assertThat(read.model().summary()).containsEntry("test-loss", 0.25);
        assertThat(read.model().layout()).isEqualTo(written.model().layout());

        String provenance = Files.readString(dir.resolve(RunFolder.PROVENANCE));
        for (String key : List.of("probe", "model", "git-commit", "command", "probe-info", "files")) {
            assertThat(provenance).containsOnlyOnce("\"" + key + "\" :");
        }
        assertThat(Files.readString(dir.resolve(RunFolder.SURFACE))).contains("\"non-finite-cells\" : {")
                .contains("\"loss\" : 1").contains("[ 2.0, 1.0 ], [ null, 0.5 ]");
    }

    @Test
    void theCurvatureIsATopLevelObjectOfSurfaceJsonAndReadBackIntoTheInfo() throws Exception {
        RunResult plain = run();
        Map<String, Object> info = new java.util.LinkedHashMap<>(plain.surface().info());
        Map<String, Object> curvature = new java.util.LinkedHashMap<>();
        curvature.put("eigenvalues", List.of(3.0, 1.5));
        curvature.put("trace", 4.5);
        curvature.put("method", "exact");
        info.put(Surface.CURVATURE, curvature);
        Surface s = plain.surface();
        RunResult written = new RunResult(plain.name(), new Surface(s.objective(), s.axes(), s.grids(), s.centre(), s.directions(),
                s.trajectory(), info), plain.model(), plain.provenance());
        RunFolder.write(written, dir);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve(RunFolder.SURFACE).toFile());
        assertThat(json.get("curvature").get("trace").asDouble()).isEqualTo(4.5);
        assertThat(json.get("curvature").get("eigenvalues").get(0).asDouble()).isEqualTo(3.0);
        assertThat(json.get("info").has("curvature")).isFalse(); // one place in the file
        assertThat(RunFolder.read(dir).surface().info()).isEqualTo(info);
        RunFolder.write(plain, dir.resolve("plain"));
        assertThat(Files.readString(dir.resolve("plain").resolve(RunFolder.SURFACE))).doesNotContain("curvature");
    }

    @Test
    void runsWrittenWithTheProbesReportInPlaceOfItsNameAreStillRead() throws Exception {
        RunFolder.write(run(), dir);
        Path file = dir.resolve(RunFolder.PROVENANCE);
        Files.writeString(file, Files.readString(file).replace("\"probe\" : \"test-probe\"", "\"probe\" : { \"method\" : \"test\" }"));
        assertThat(RunFolder.read(dir).provenance().probe()).isEqualTo("test-probe");
    }
}
