package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.ModelSource;
import losssurface.api.Progress;
import losssurface.nn.Dl4jModelSource;

/**
 * Model files are untrusted input: each hostile file the test makes is refused with a sentence naming the file and the
 * limit or the fix, before it costs memory, and a sound model still loads.
 */
class HostileModelsTest {

    @TempDir
    Path tmp;

    static final Path SOUND = OnnxObjectiveTest.MODELS.resolve("mlp.onnx");

    /** The sound model changed by {@code change}, written to {@code name}. */
    Path model(String name, UnaryOperator<Onnx.ModelProto.Builder> change) throws Exception {
        Onnx.ModelProto.Builder b = Onnx.ModelProto.parseFrom(Files.readAllBytes(SOUND)).toBuilder();
        Path file = tmp.resolve(name);
        Files.write(file, change.apply(b).build().toByteArray());
        return file;
    }

    static ModelSource.Options options(long maxElements) {
        return new ModelSource.Options("label", "auto", 0, false, maxElements);
    }

    @Test
    void aSoundModelLoadsAndItsLimitsHoldIt() {
        OnnxModel m = OnnxModel.load(SOUND);
        assertThat(m.layout().size()).isPositive();
        assertThatThrownBy(() -> OnnxModel.load(SOUND, 10)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("above the limit of 10").hasMessageContaining("--max-elements");
    }

    @Test
    void aTensorDeclaredLargerThanTheLimitIsRefusedBeforeItCostsMemory() throws Exception {
        Path huge = model("huge.onnx", b -> {
            b.getGraphBuilder().addInitializer(Onnx.TensorProto.newBuilder().setName("huge").setDataType(1)
                    .addAllDims(List.of(4L, 250_000_000_000L)));
            return b;
        });
        assertThatThrownBy(() -> OnnxModel.load(huge)).isInstanceOf(LossSurfaceException.class)
                .hasMessageStartingWith("Model file " + huge + ": initializer huge declares shape [4, 250000000000], 1,000,000,000,000"
                        + " elements, above the limit of 2,147,483,648.").hasMessageContaining("raise the limit with --max-elements");
        Path overflowing = model("overflowing.onnx", b -> {
            b.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(Long.MAX_VALUE / 2))
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(Long.MAX_VALUE / 2));
            return b;
        });
        assertThatThrownBy(() -> OnnxModel.load(overflowing)).hasMessageContaining("more elements than a long counts");
    }

    @Test
    void aModelNewerThanTheRuntimeSaysItsVersionsOursAndHowToReExport() throws Exception {
        Path ir14 = model("ir14.onnx", b -> b.setIrVersion(14));
        assertThatThrownBy(() -> OnnxModel.load(ir14)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("is newer than the ONNX Runtime here: IR version 14, opset ")
                .hasMessageContaining("it reads IR versions up to 11 and opsets up to 23")
                .hasMessageContaining("opset_version=17").hasMessageContaining("onnx.version_converter.convert_version");
        Path opset24 = model("opset24.onnx", b -> {
            b.clearOpsetImport().addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(24));
            return b;
        });
        assertThatThrownBy(() -> OnnxModel.load(opset24)).hasMessageContaining("opset 24");
    }

    @Test
    void aModelThatAsksForACustomOperatorLibraryIsRefused() throws Exception {
        Path custom = model("custom.onnx", b -> {
            b.getGraphBuilder().addNode(Onnx.NodeProto.newBuilder().setOpType("Exfiltrate").setDomain("com.example.native")
                    .addInput("x").addOutput("y"));
            return b;
        });
        assertThatThrownBy(() -> OnnxModel.load(custom)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("operator Exfiltrate of domain 'com.example.native' needs a custom-operator library")
                .hasMessageContaining("never loads native code a model asks for");
    }

    @Test
    void messagesNestedTooDeepAreRefused() throws Exception {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 40; i++) { // graph > node > attribute > graph: three levels a turn
            g = Onnx.GraphProto.newBuilder().addNode(Onnx.NodeProto.newBuilder().setOpType("If")
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch").setG(g))).build();
        }
        Path deep = tmp.resolve("deep.onnx");
        Files.write(deep, Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray());
        assertThatThrownBy(() -> OnnxModel.load(deep)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("nests its messages more than 100 levels deep");
    }

    @Test
    void aDl4jZipThatLeavesTheFolderExpandsPastTheLimitOrHoldsTooManyEntriesIsRefused() throws Exception {
        Path data = OnnxObjectiveTest.MODELS.resolve("cnn.npz");
        Path escaping = tmp.resolve("escaping.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(escaping))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write('{');
            z.putNextEntry(new ZipEntry("../../etc/cron.d/evil"));
            z.write('x');
        }
        assertThatThrownBy(() -> new Dl4jModelSource().open(escaping, data, options(ModelSource.Options.MAX_ELEMENTS), Progress.silent()))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("holds an entry named '../../etc/cron.d/evil', a path that leaves the folder");
        Path bomb = tmp.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write('{');
            z.putNextEntry(new ZipEntry("coefficients.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                z.write(zeros); // 16 MB of zeros: a few KB compressed
            }
        }
        assertThat(Files.size(bomb)).isLessThan(100_000);
        assertThatThrownBy(() -> new Dl4jModelSource().open(bomb, data, options(1_000_000), Progress.silent()))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("expands past 4,000,000 bytes (at entry 'coefficients.bin')")
                .hasMessageContaining("--max-elements");
        Path many = tmp.resolve("many.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(many))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write('{');
            for (int i = 0; i < 1500; i++) {
                z.putNextEntry(new ZipEntry("part-" + i));
            }
        }
        assertThatThrownBy(() -> new Dl4jModelSource().open(many, data, options(ModelSource.Options.MAX_ELEMENTS), Progress.silent()))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("holds 1,501 entries; a DL4J model holds at most 5, and files of more than 1,000 are refused");
    }
}
