package losssurface.onnx;

import static losssurface.onnx.OnnxProtos.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.data.Examples;
import losssurface.api.LossSurfaceException;
import losssurface.api.ParameterBlock;

/**
 * ONNX external data, as PyTorch's default exporter writes it ({@code net.onnx} and {@code net.onnx.data}): read as ONNX
 * Runtime reads it, recorded with its size and SHA-256, and refused, naming the tensor and the location, when it points
 * outside the model's folder or past the end of its file.
 */
class ExternalDataTest {

    @TempDir
    Path tmp;

    /**
     * The test CNN saved the way {@code onnx.save(m, "net.onnx", save_as_external_data=True, location="net.onnx.data")}
     * saves it: every initializer's bytes in one data file, each at a 4096-byte boundary, and its location, offset and length
     * in the model. {@code edit} may change each initializer's external data entries afterwards.
     */
    Path external(Path dir, String dataName, UnaryOperator<Onnx.TensorProto.Builder> edit) throws Exception {
        Files.createDirectories(dir);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(OnnxObjectiveTest.MODELS.resolve("cnn.onnx")));
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            Onnx.TensorProto t = g.getInitializer(i);
            byte[] raw = rawBytes(t);
            while (data.size() % 4096 != 0) {
                data.write(0);
            }
            long offset = data.size();
            data.write(raw);
            Onnx.TensorProto.Builder b = t.toBuilder().clearRawData().clearFloatData().clearInt64Data()
                    .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", dataName))
                    .addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Integer.toString(raw.length)));
            g.setInitializer(i, edit.apply(b).build());
        }
        Files.write(dir.resolve(dataName.contains("/") ? "unused" : dataName), data.toByteArray());
        Path model = dir.resolve("net.onnx");
        Files.write(model, m.toBuilder().setGraph(g).build().toByteArray());
        return model;
    }

    static byte[] rawBytes(Onnx.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            return t.getRawData().toByteArray();
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * t.getFloatDataCount()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        t.getFloatDataList().forEach(b::putFloat);
        assertThat(t.getDataType()).as(t.getName()).isEqualTo(1);
        return b.array();
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** ONNX Runtime's own output for the model file at {@code path} (it reads the external data itself). */
    static float[][] ort(Path path, Examples data) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = java.util.Arrays.stream(data.featureShape()).asLongStream().toArray();
        try (OrtSession s = env.createSession(path.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data.features()), shape);
             OrtSession.Result out = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
            return (float[][]) out.get(0).getValue();
        }
    }

    @Test
    void aModelWithExternalDataIsReadAsOnnxRuntimeReadsItAndItsDataFileIsRecorded() throws Exception {
        Path model = external(tmp.resolve("exported"), "net.onnx.data", b -> b);
        Path dataFile = model.resolveSibling("net.onnx.data");
        OnnxModel inline = OnnxModel.load(OnnxObjectiveTest.MODELS.resolve("cnn.onnx"));
        OnnxModel read = OnnxModel.load(model);
        assertThat(read.parameters()).isEqualTo(inline.parameters());

        Examples data = OnnxObjectiveTest.data("cnn.npz");
        assertThat(ort(model, data)).as("ONNX Runtime reads the file as the inline model").isEqualTo(
                ort(OnnxObjectiveTest.MODELS.resolve("cnn.onnx"), data));
        double want = OnnxObjectiveTest.expected("cnn").get("loss").asDouble();
        try (OnnxObjective o = OnnxObjective.of(read, data, OnnxLoss.AUTO, 7, "cnn.npz");
             OnnxObjective same = OnnxObjective.of(inline, data, OnnxLoss.AUTO, 7, "cnn.npz")) {
            double centre = o.evaluate(read.parameters())[0];
            assertThat(centre).as("the centre, against PyTorch's").isCloseTo(want, within(2e-6 * want));
            assertThat(centre).as("the centre, against the inline model's").isEqualTo(same.evaluate(inline.parameters())[0]);
            assertThat(o.identity()).contains("external data net.onnx.data:" + sha256(dataFile));
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) read.summary().get("external-data");
        assertThat(files).containsExactly(Map.of("file", "net.onnx.data", "bytes", Files.size(dataFile), "sha256", sha256(dataFile)));
        ParameterBlock first = read.layout().blocks().get(0);
        assertThat(first.source()).startsWith("external data net.onnx.data (" + String.format("%,d", Files.size(dataFile))
                + " bytes, SHA-256 " + sha256(dataFile) + "), offset 0, ");
        assertThat(inline.layout().blocks().get(0).source()).isEmpty();
    }

    /** The same CNN saved by the onnx package's own external-data writer ({@code core/onnx/make_external_data_model.py}). */
    @Test
    void aModelTheOnnxPackageSavedWithExternalDataGivesPyTorchsCentre() throws Exception {
        Path model = OnnxObjectiveTest.MODELS.resolve("cnn-external.onnx");
        OnnxModel read = OnnxModel.load(model);
        assertThat(read.parameters()).isEqualTo(OnnxModel.load(OnnxObjectiveTest.MODELS.resolve("cnn.onnx")).parameters());
        Examples data = OnnxObjectiveTest.data("cnn.npz");
        assertThat(ort(model, data)).isEqualTo(ort(OnnxObjectiveTest.MODELS.resolve("cnn.onnx"), data));
        double want = OnnxObjectiveTest.expected("cnn").get("loss").asDouble();
        try (OnnxObjective o = OnnxObjective.of(read, data, OnnxLoss.AUTO, 7, "cnn.npz")) {
            assertThat(o.evaluate(read.parameters())[0]).isCloseTo(want, within(2e-6 * want));
        }
        assertThat(read.layout().blocks()).allMatch(b -> b.source().startsWith("external data cnn-external.onnx.data (904 bytes"));
    }

    @Test
    void aLocationThatLeavesTheFolderIsRefusedAndNothingIsReadFromIt() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.bin"), "x".repeat(100_000));
        Path escaping = external(tmp.resolve("a"), "../secret.bin", b -> b);
        assertThatThrownBy(() -> OnnxModel.load(escaping)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("Model file " + escaping + ": initializer ")
                .hasMessageContaining("'s external data location '../secret.bin' leaves the model's folder")
                .hasMessageContaining("nothing was read from it");

        Path absolute = external(tmp.resolve("b"), secret.toString(), b -> b);
        assertThatThrownBy(() -> OnnxModel.load(absolute)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("'s external data location '" + secret + "' is an absolute path")
                .hasMessageContaining("Nothing was read from it");

        Path linked = external(tmp.resolve("c"), "net.onnx.data", b -> b);
        Files.delete(linked.resolveSibling("net.onnx.data"));
        Files.createSymbolicLink(linked.resolveSibling("net.onnx.data"), secret);
        assertThatThrownBy(() -> OnnxModel.load(linked)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("'s external data location 'net.onnx.data' leads, through a symbolic link, to " + secret.toRealPath()
                        + ", outside the model's folder");
    }

    @Test
    void dataPastTheEndOfItsFileOrOfAnotherSizeThanDeclaredIsRefused() throws Exception {
        Path past = external(tmp.resolve("past"), "net.onnx.data", b -> b.setExternalData(1, entry("offset", "1000000000")));
        assertThatThrownBy(() -> OnnxModel.load(past)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("'s external data location 'net.onnx.data' holds ")
                .hasMessageContaining("said to lie at offset 1,000,000,000, length ").hasMessageContaining("past its end");

        Path shorter = external(tmp.resolve("short"), "net.onnx.data", b -> b.setExternalData(2, entry("length", "4")));
        assertThatThrownBy(() -> OnnxModel.load(shorter)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("gives the tensor 4 bytes, but its shape ");

        Path missing = external(tmp.resolve("missing"), "net.onnx.data", b -> b);
        Files.delete(missing.resolveSibling("net.onnx.data"));
        assertThatThrownBy(() -> OnnxModel.load(missing)).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("'s external data location 'net.onnx.data' does not exist in ")
                .hasMessageContaining("Copy the model's data file(s) beside it");

        Path huge = external(tmp.resolve("huge"), "net.onnx.data", b -> b);
        assertThatThrownBy(() -> OnnxModel.load(huge, 100)).as("the size limit holds for external tensors")
                .isInstanceOf(LossSurfaceException.class).hasMessageContaining("above the limit of 100");
    }
}
