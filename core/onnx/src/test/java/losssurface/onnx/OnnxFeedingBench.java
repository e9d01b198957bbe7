package losssurface.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import losssurface.data.Examples;
import onnx.Onnx;

/**
 * A benchmark, not a test (surefire does not pick up {@code *Bench}): milliseconds per point of the two ways of
 * giving ONNX Runtime a point's parameters ({@link OnnxObjective.Feeding}), one single-threaded session each, on
 * bench's MNIST CNN and on generated multilayer perceptrons of 0.7 M and 10.5 M parameters. Run it with
 * {@code mvn -pl core/onnx test -Dtest=OnnxFeedingBench -Dsurefire.failIfNoSpecifiedTests=false}; it prints
 * {@code TIMING} lines. The README's ONNX section gives the figures and the choice they led to.
 */
class OnnxFeedingBench {

    static Path mlp(Path dir, int[] sizes) throws Exception {
        Random r = new Random(1);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("mlp");
        String prev = "x";
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            Onnx.TensorProto.Builder w = Onnx.TensorProto.newBuilder().setName("w" + l).setDataType(1).addDims(out).addDims(in);
            java.nio.ByteBuffer wb = java.nio.ByteBuffer.allocate(4 * in * out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < in * out; i++) {
                wb.putFloat((float) (r.nextGaussian() / Math.sqrt(in)));
            }
            w.setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(wb.array()));
            Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName("b" + l).setDataType(1).addDims(out);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4 * out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out; i++) {
                bb.putFloat(0.01f);
            }
            b.setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(bb.array()));
            g.addInitializer(w).addInitializer(b);
            String z = "z" + l;
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("Gemm").addInput(prev).addInput("w" + l).addInput("b" + l).addOutput(z)
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("transB").setType(Onnx.AttributeProto.AttributeType.INT).setI(1)));
            if (l + 2 < sizes.length) {
                g.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput(z).addOutput("h" + l));
                prev = "h" + l;
            } else {
                prev = z;
            }
        }
        g.addInput(vi("x", -1, sizes[0]));
        g.addOutput(vi(prev, -1, sizes[sizes.length - 1]));
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).build();
        Path file = dir.resolve("mlp-" + sizes.length + "-" + sizes[1] + ".onnx");
        Files.write(file, m.toByteArray());
        return file;
    }

    static Onnx.ValueInfoProto vi(String name, long rows, long cols) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(rows < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("n")
                        : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(rows))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(cols));
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static Examples random(int n, int[] shape, int classes) {
        Random r = new Random(2);
        int per = 1;
        for (int d : shape) {
            per *= d;
        }
        float[] x = new float[n * per];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new Examples(x, shape, y, new int[] {n}, true, "random");
    }

    static void time(String what, OnnxModel model, Examples data) {
        try (OnnxObjective o = OnnxObjective.of(model, data, OnnxLoss.CROSS_ENTROPY_LOGITS, 1000, "random")) {
            float[] c = model.parameters();
            for (OnnxObjective.Feeding f : OnnxObjective.Feeding.values()) {
                try (OnnxObjective.Worker w = o.worker(f)) {
                    w.evaluate(c);
                    int n = 5;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        float[] p = c.clone();
                        p[0] += 1e-3f * i;
                        w.evaluate(p);
                    }
                    System.out.printf("TIMING %s (%d parameters, %d examples) %s: %.1f ms/point%n", what, c.length, data.count(), f,
                            (System.nanoTime() - t0) / 1e6 / n);
                }
            }
        }
    }

    @Test
    void timings() throws Exception {
        Path dir = Files.createTempDirectory("feeding");
        time("bench mnist-cnn", OnnxModel.load(Path.of("../../bench/src/main/resources/losssurface/bench/mnist-cnn.onnx")),
                random(10000, new int[] {1, 28, 28}, 10));
        time("mlp 784-512-512-10", OnnxModel.load(mlp(dir, new int[] {784, 512, 512, 10})), random(2000, new int[] {784}, 10));
        time("mlp 1024-2048x3-10", OnnxModel.load(mlp(dir, new int[] {1024, 2048, 2048, 2048, 10})), random(256, new int[] {1024}, 10));
        time("mlp 1024-2048x3-10, 2000 examples", OnnxModel.load(mlp(dir, new int[] {1024, 2048, 2048, 2048, 10})),
                random(2000, new int[] {1024}, 10));
    }
}
