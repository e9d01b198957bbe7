package losssurface.onnx;

import static losssurface.onnx.OnnxProtos.ints;
import static losssurface.onnx.OnnxProtos.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.data.Examples;
import losssurface.api.ParameterBlock;

/**
 * Vectors are vectors whatever their rank, and batch norm that an exporter decomposed is normalisation: the graph Keras 3's
 * {@code model.export(..., format="onnx")} writes for Conv-BatchNorm-Dense on channels-last data, built here with the
 * ONNX protobuf API (as the onnx package's helper would): {@code Transpose, Conv, Transpose, Sub(mean), Mul(scale),
 * Add(beta), Relu, Flatten, MatMul, Add(bias)}, with the batch norm's vectors of shape {@code [1, 1, 1, 8]}.
 */
class VectorsTest {

    @TempDir
    Path tmp;

    static Onnx.TensorProto tensor(String name, Random r, double scale, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) (scale * r.nextGaussian()));
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static Onnx.NodeProto node(String op, String name, List<String> in, String out, Onnx.AttributeProto... attributes) {
        return Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out)
                .addAllAttribute(List.of(attributes)).build();
    }

    /** The Keras-style model: input [batch, 6, 6, 3] channels-last, 4 classes, written to {@code file}. */
    static Path kerasStyle(Path file) throws Exception {
        Random r = new Random(4);
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("keras")
                .addInput(value("inputs", -1, 6, 6, 3))
                .addOutput(value("logits", -1, 4))
                .addInitializer(tensor("conv/kernel", r, 0.3, 8, 3, 3, 3))
                .addInitializer(tensor("conv/bias", r, 0.1, 8))
                .addInitializer(tensor("bn/moving_mean", r, 0.5, 1, 1, 1, 8))
                .addInitializer(tensor("bn/folded_scale", r, 3.0, 1, 1, 1, 8))
                .addInitializer(tensor("bn/beta", r, 0.2, 1, 1, 1, 8))
                .addInitializer(tensor("dense/kernel", r, 0.2, 128, 4))
                .addInitializer(tensor("dense/bias", r, 0.1, 1, 4))
                .addNode(node("Transpose", "to_nchw", List.of("inputs"), "x1", ints("perm", 0, 3, 1, 2)))
                .addNode(node("Conv", "conv", List.of("x1", "conv/kernel", "conv/bias"), "x2", ints("kernel_shape", 3, 3)))
                .addNode(node("Transpose", "to_nhwc", List.of("x2"), "x3", ints("perm", 0, 2, 3, 1)))
                .addNode(node("Sub", "bn/sub", List.of("x3", "bn/moving_mean"), "x4"))
                .addNode(node("Mul", "bn/mul", List.of("x4", "bn/folded_scale"), "x5"))
                .addNode(node("Add", "bn/add", List.of("x5", "bn/beta"), "x6"))
                .addNode(node("Relu", "relu", List.of("x6"), "x7"))
                .addNode(node("Flatten", "flatten", List.of("x7"), "x8"))
                .addNode(node("MatMul", "dense/matmul", List.of("x8", "dense/kernel"), "x9"))
                .addNode(node("Add", "dense/add", List.of("x9", "dense/bias"), "logits"))
                .build();
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("test (Keras-style)")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
        Files.write(file, m.toByteArray());
        return file;
    }

    static ParameterBlock block(OnnxModel m, String name) {
        return m.layout().blocks().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDecomposedBatchNormIsNormalisationAndVectorsOfAnyRankAreBiases() throws Exception {
        OnnxModel m = OnnxModel.load(kerasStyle(tmp.resolve("keras.onnx")));
        assertThat(block(m, "conv/kernel").kind()).isEqualTo(ParameterBlock.Kind.WEIGHT);
        assertThat(block(m, "conv/kernel").axisNote()).contains("Conv weight");
        assertThat(block(m, "conv/bias").kind()).isEqualTo(ParameterBlock.Kind.BIAS);
        ParameterBlock mean = block(m, "bn/moving_mean");
        assertThat(mean.kind()).isEqualTo(ParameterBlock.Kind.STATE);
        assertThat(mean.axisNote()).isEqualTo("normalisation: the running mean of a batch norm the exporter decomposed (Sub after"
                + " Conv 'conv'): state, which no direction moves");
        ParameterBlock scale = block(m, "bn/folded_scale");
        assertThat(scale.kind()).isEqualTo(ParameterBlock.Kind.BIAS);
        assertThat(scale.outputAxis()).as("its one long axis").isEqualTo(3);
        assertThat(scale.axisNote()).startsWith("normalisation: the folded scale gamma / sqrt(var + eps) of a batch norm the"
                + " exporter decomposed");
        assertThat(block(m, "bn/beta").kind()).isEqualTo(ParameterBlock.Kind.BIAS);
        assertThat(block(m, "bn/beta").axisNote()).startsWith("normalisation: the shift beta");
        assertThat(block(m, "dense/kernel").kind()).isEqualTo(ParameterBlock.Kind.WEIGHT);
        ParameterBlock bias = block(m, "dense/bias");
        assertThat(bias.kind()).isEqualTo(ParameterBlock.Kind.BIAS);
        assertThat(bias.axisNote()).startsWith("a vector of shape [1, 4] (at most one axis longer than 1), so a bias");

        // the centre is ONNX Runtime's own output, with the loss computed from it here
        Random r = new Random(9);
        int n = 10;
        float[] x = new float[n * 6 * 6 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
        }
        Examples data = new Examples(x, new int[] {6, 6, 3}, y, new int[] {n}, true, "random");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double want = 0;
        try (OrtSession s = env.createSession(tmp.resolve("keras.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, 6, 6, 3});
             OrtSession.Result out = s.run(Map.of("inputs", in))) {
            float[][] z = (float[][]) out.get(0).getValue();
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : z[i]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (float v : z[i]) {
                    sum += Math.exp(v - max);
                }
                want += -(z[i][(int) y[i]] - max - Math.log(sum)) / n;
            }
        }
        try (OnnxObjective o = OnnxObjective.of(m, data, OnnxLoss.AUTO, 3, "random")) {
            assertThat(o.evaluate(m.parameters())[0]).isCloseTo(want, within(1e-6 * want));
        }
    }

    @Test
    void aDenseLayerToOneOutputKeepsItsWeightThoughItIsShapedLikeAVector() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder()
                .addNode(node("MatMul", "dense", List.of("x", "w"), "y"))
                .addNode(node("Add", "bias", List.of("y", "b"), "z"))
                .build();
        assertThat(OnnxModel.consumedAsWeight(g, "w")).isTrue();
        assertThat(OnnxModel.consumedAsWeight(g, "b")).isFalse();
        assertThat(OnnxModel.isVector(new int[] {64, 1})).isTrue();
        assertThat(OnnxModel.isVector(new int[] {1, 8, 1, 1})).isTrue();
        assertThat(OnnxModel.isVector(new int[] {2, 8})).isFalse();
    }
}
