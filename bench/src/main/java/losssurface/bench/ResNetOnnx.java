package losssurface.bench;

import static losssurface.onnx.OnnxProtos.entry;
import static losssurface.onnx.OnnxProtos.ints;
import static losssurface.onnx.OnnxProtos.value;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import onnx.Onnx;

import losssurface.api.NamedArray;


/**
 * A ResNet-18 for CIFAR-10 (11.2 M parameters) as PyTorch's default exporter writes it in eval mode: each batch norm
 * folded into its convolution's weight and bias, the weights in an external data file beside the model. Made from a
 * seed when bench runs (45 MB is too much to ship): He-normal weights, the second convolution of each residual block
 * scaled by 0.2 so that the residual sums stay of order one, biases small.
 *
 * <p>Layers: a 3x3 convolution to 64 channels, four stages of two basic blocks (64, 128, 256, 512 channels; stride 2
 * and a 1x1 projection where a stage begins), global average pooling and a dense layer to 10 classes. Input {@code x}
 * {@code [batch, 3, 32, 32]}, output {@code logits} {@code [batch, 10]}.
 */
final class ResNetOnnx {

    private ResNetOnnx() {
    }

    /** The model file's name; its data file is this name with {@code .data} added. */
    static final String FILE = "resnet18-cifar.onnx";

    private static final class Builder {
        final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("resnet18-cifar");
        final Random random;
        final ByteBuffer data;
        final String dataName;
        long parameters;
        int nodes;

        Builder(long seed, String dataName) {
            this.random = new Random(seed);
            this.data = ByteBuffer.allocate(46_000_000).order(ByteOrder.LITTLE_ENDIAN);
            this.dataName = dataName;
        }

        /** An initializer of {@code dims} drawn from N(0, std^2), its bytes in the data file at a 64-byte boundary. */
        String tensor(String name, double std, long... dims) {
            int n = 1;
            for (long d : dims) {
                n *= (int) d;
            }
            while (data.position() % 64 != 0) {
                data.put((byte) 0);
            }
            long offset = data.position();
            for (int i = 0; i < n; i++) {
                data.putFloat((float) (std * random.nextGaussian()));
            }
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1)
                    .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", dataName)).addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(4L * n)));
            for (long d : dims) {
                t.addDims(d);
            }
            graph.addInitializer(t);
            parameters += n;
            return name;
        }

        String node(String op, List<String> inputs, Onnx.AttributeProto... attributes) {
            String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + nodes++;
            graph.addNode(Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out)
                    .addAllAttribute(List.of(attributes)));
            return out;
        }

        /** A k x k convolution of {@code in} channels to {@code out} (batch norm folded in: a bias), stride s, same padding. */
        String conv(String x, String name, int in, int out, int k, int s, double scale) {
            String w = tensor(name + ".weight", scale * Math.sqrt(2.0 / (in * k * k)), out, in, k, k);
            String b = tensor(name + ".bias", 0.01, out);
            int pad = k / 2;
            return node("Conv", List.of(x, w, b), ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pad, pad, pad, pad));
        }
    }

    /** Writes the model and its data file into {@code dir}; returns the model file and its parameter count. */
    static Written write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Builder b = new Builder(seed, FILE + ".data");
        b.graph.addInput(value("x", -1, 3, 32, 32)).addOutput(value("logits", -1, 10));
        String x = b.node("Relu", List.of(b.conv("x", "conv", 3, 64, 3, 1, 1)));
        int in = 64;
        int[][] stages = {{64, 1}, {128, 2}, {256, 2}, {512, 2}};
        int block = 0;
        for (int[] stage : stages) {
            for (int k = 0; k < 2; k++, block++) {
                int out = stage[0];
                int stride = k == 0 ? stage[1] : 1;
                String name = "layers." + block;
                String y = b.node("Relu", List.of(b.conv(x, name + ".c1", in, out, 3, stride, 1)));
                y = b.conv(y, name + ".c2", out, out, 3, 1, 0.2);
                String shortcut = stride == 1 && in == out ? x : b.conv(x, name + ".sc", in, out, 1, stride, 1);
                x = b.node("Relu", List.of(b.node("Add", List.of(y, shortcut))));
                in = out;
            }
        }
        String pooled = b.node("Flatten", List.of(b.node("GlobalAveragePool", List.of(x))));
        String w = b.tensor("fc.weight", Math.sqrt(1.0 / 512), 10, 512);
        String bias = b.tensor("fc.bias", 0.01, 10);
        Onnx.NodeProto.Builder gemm = Onnx.NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput(pooled).addInput(w)
                .addInput(bias).addOutput("logits").addAttribute(Onnx.AttributeProto.newBuilder().setName("transB")
                        .setType(Onnx.AttributeProto.AttributeType.INT).setI(1));
        b.graph.addNode(gemm);
        Onnx.ModelProto model = Onnx.ModelProto.newBuilder().setIrVersion(10).setProducerName("losssurface bench (ResNet-18 for CIFAR)")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(18)).setGraph(b.graph).build();
        Path file = dir.resolve(FILE);
        Files.write(file, model.toByteArray());
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE + ".data"))) {
            out.write(b.data.array(), 0, b.data.position());
        }
        return new Written(file, b.parameters);
    }

    /** The model file written, and its parameters. */
    record Written(Path file, long parameters) {
    }

    /** {@code n} CIFAR-shaped examples drawn from N(0, 1), labels {@code i mod 10}: x {@code [n, 3, 32, 32]} and y {@code [n]}. */
    static Data examples(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return new Data(new NamedArray(new int[] {n, 3, 32, 32}, x), new NamedArray(new int[] {n}, y));
    }

    /** Examples and their classes. */
    record Data(NamedArray x, NamedArray y) {
    }
}
