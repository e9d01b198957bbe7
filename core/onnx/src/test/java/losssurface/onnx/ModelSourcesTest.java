package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.ModelSource;
import losssurface.api.ModelSource.Match;
import losssurface.api.Progress;
import losssurface.api.SettingsException;
import losssurface.nn.Dl4jModelSource;

/** Each format's source says how well a file matches it, by name first, then first bytes; the runner opens the best. */
class ModelSourcesTest {

    @TempDir
    Path tmp;

    final ModelSource onnx = new OnnxModelSource();
    final ModelSource dl4j = new Dl4jModelSource();

    @Test
    void filesAreMatchedByNameThenByTheirFirstBytes() throws Exception {
        Path named = OnnxObjectiveTest.MODELS.resolve("cnn.onnx");
        assertThat(onnx.match(named)).isEqualTo(Match.NAME);
        assertThat(dl4j.match(named)).isEqualTo(Match.NO);

        Path renamed = Files.copy(named, tmp.resolve("cnn.model"));
        assertThat(onnx.match(renamed)).as("an ONNX file starts with its ir_version field").isEqualTo(Match.CONTENT);
        assertThat(dl4j.match(renamed)).isEqualTo(Match.NO);

        Path zip = tmp.resolve("net.bin");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write('{');
        }
        assertThat(dl4j.match(zip)).isEqualTo(Match.CONTENT);
        assertThat(onnx.match(zip)).isEqualTo(Match.NO);
        assertThat(dl4j.match(tmp.resolve("net.zip"))).as("named so, even before it exists").isEqualTo(Match.NAME);

        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        assertThat(onnx.match(text)).as("no zip: possibly ONNX, nothing better known").isEqualTo(Match.MAYBE);
        assertThat(dl4j.match(text)).isEqualTo(Match.NO);
        assertThat(onnx.match(tmp.resolve("missing"))).isEqualTo(Match.NO);
    }

    @Test
    void optionsThatDoNotApplyAndFilesOfNeitherFormatSaySo() throws Exception {
        Path data = OnnxObjectiveTest.MODELS.resolve("cnn.npz");
        assertThatThrownBy(() -> dl4j.open(tmp.resolve("net.zip"), data,
                new ModelSource.Options("label", "mse", 0, false), Progress.silent()))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("--loss applies to ONNX models");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        assertThatThrownBy(() -> onnx.open(text, data, new ModelSource.Options("label", "auto", 0, false), Progress.silent()))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageStartingWith("Model file " + text + " is not a DL4J model (not a zip) and not an ONNX model");
    }

    @Test
    void anOnnxModelOpensWithItsObjectiveAndTheDefaultBatch() {
        ModelSource.Opened opened = onnx.open(OnnxObjectiveTest.MODELS.resolve("cnn.onnx"), OnnxObjectiveTest.MODELS.resolve("cnn.npz"),
                new ModelSource.Options("label", "auto", 0, false), Progress.silent());
        try (var objective = opened.objective()) {
            assertThat(opened.description()).startsWith("Loaded ONNX model ");
            assertThat(((OnnxObjective) objective).batch()).isEqualTo(OnnxObjective.DEFAULT_BATCH);
            assertThat(objective.evaluate(opened.model().parameters())[0]).isFinite();
        }
    }
}
