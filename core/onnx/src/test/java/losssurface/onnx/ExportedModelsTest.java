package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import losssurface.api.ParameterBlock;
import losssurface.data.DataFiles;
import losssurface.data.Examples;

/**
 * Models as today's exporters write them by default, committed with the script that made them
 * ({@code core/onnx/make_exported_models.py}) and the loss each framework computed for them: PyTorch 2.13's default
 * (dynamo) exporter, which writes its weights to external data, and Keras 3.15's {@code model.export(format="onnx")},
 * which decomposes batch norm into {@code Sub}, {@code Mul} and {@code Add} of {@code [1, 1, 1, C]} vectors.
 */
class ExportedModelsTest {

    static final Path EXPORTED = OnnxObjectiveTest.MODELS.resolve("exported");

    static JsonNode expected(String name) throws Exception {
        return new ObjectMapper().readTree(EXPORTED.resolve("expected.json").toFile()).get(name);
    }

    static double centre(OnnxModel m, String data) {
        Examples examples = DataFiles.examples(EXPORTED.resolve(data), "label", DataFiles.NonFinite.REFUSE).examples();
        try (OnnxObjective o = OnnxObjective.of(m, examples, OnnxLoss.AUTO, 16, data)) {
            return o.evaluate(m.parameters())[0];
        }
    }

    @Test
    void pyTorchsDefaultExporterWithItsExternalDataGivesPyTorchsLoss() throws Exception {
        OnnxModel m = OnnxModel.load(EXPORTED.resolve("torch-default.onnx"));
        double want = expected("torch-default").get("loss").asDouble();
        assertThat(centre(m, "torch-default.npz")).isCloseTo(want, within(2e-6 * want));
        List<ParameterBlock> external = m.layout().blocks().stream().filter(b -> !b.source().isEmpty()).toList();
        assertThat(external).as("the weights the exporter put in torch-default.onnx.data").isNotEmpty()
                .allMatch(b -> b.source().startsWith("external data torch-default.onnx.data ("));
        assertThat(m.summary()).containsKey("external-data");
    }

    @Test
    void kerasExportsBatchNormDecomposedAndItIsNormalisation() throws Exception {
        OnnxModel m = OnnxModel.load(EXPORTED.resolve("keras.onnx"));
        double want = expected("keras").get("loss").asDouble();
        assertThat(centre(m, "keras.npz")).isCloseTo(want, within(2e-6 * want));
        List<ParameterBlock> blocks = m.layout().blocks();
        assertThat(blocks).filteredOn(b -> b.shape().length == 4 && b.length() == 8)
                .as("the [1, 1, 1, 8] vectors: conv bias, moving mean, folded scale, beta").hasSize(4)
                .noneMatch(b -> b.kind() == ParameterBlock.Kind.WEIGHT);
        assertThat(blocks).filteredOn(b -> b.kind() == ParameterBlock.Kind.STATE).singleElement()
                .satisfies(b -> assertThat(b.axisNote()).startsWith("normalisation: the running mean of a batch norm the exporter"
                        + " decomposed (Sub after Conv '/Conv')"));
        assertThat(blocks).anySatisfy(b -> assertThat(b.axisNote()).startsWith("normalisation: the folded scale"));
        assertThat(blocks).anySatisfy(b -> assertThat(b.axisNote()).startsWith("normalisation: the shift beta"));
        assertThat(blocks).filteredOn(b -> b.kind() == ParameterBlock.Kind.WEIGHT).extracting(ParameterBlock::length)
                .containsExactly(8 * 3 * 3 * 3, 128 * 4);
    }
}
