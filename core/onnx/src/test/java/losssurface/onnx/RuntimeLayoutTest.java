package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import losssurface.data.Examples;
import onnx.Onnx;

/**
 * ONNX Runtime's own layout of the parameters ({@link RuntimeLayout}): learnt from the graph it optimises, used only
 * when it gives the model's outputs, and then scoring every point as the parameters fed as stored do.
 */
class RuntimeLayoutTest {

    static Onnx.NodeProto.Builder node(String op, String output, String... inputs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        return n;
    }

    /**
     * Two 3x3 convolutions of 32 channels over 16 x 8 x 8 inputs, a global average and a dense layer to 10 classes;
     * with {@code scaled}, the first convolution's output multiplied by a per-channel vector that is itself a parameter.
     */
    static OnnxModel convolutional(boolean scaled) {
        Random r = new Random(5);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("conv32");
        g.addInitializer(VectorsTest.tensor("w1", r, 0.1, 32, 16, 3, 3)).addInitializer(VectorsTest.tensor("b1", r, 0.1, 32))
                .addInitializer(VectorsTest.tensor("w2", r, 0.06, 32, 32, 3, 3)).addInitializer(VectorsTest.tensor("b2", r, 0.1, 32))
                .addInitializer(VectorsTest.tensor("w3", r, 0.2, 10, 32)).addInitializer(VectorsTest.tensor("b3", r, 0.1, 10));
        g.addNode(node("Conv", "c1", "x", "w1", "b1").addAttribute(OnnxProtos.ints("pads", 1, 1, 1, 1))
                .addAttribute(OnnxProtos.ints("kernel_shape", 3, 3)));
        String first = "c1";
        if (scaled) {
            g.addInitializer(VectorsTest.tensor("s", r, 1, 32, 1, 1));
            g.addNode(node("Mul", "m1", "c1", "s"));
            first = "m1";
        }
        g.addNode(node("Relu", "r1", first));
        g.addNode(node("Conv", "c2", "r1", "w2", "b2").addAttribute(OnnxProtos.ints("pads", 1, 1, 1, 1))
                .addAttribute(OnnxProtos.ints("kernel_shape", 3, 3)));
        g.addNode(node("Relu", "r2", "c2"));
        g.addNode(node("GlobalAveragePool", "p", "r2"));
        g.addNode(node("Flatten", "f", "p"));
        g.addNode(node("Gemm", "logits", "f", "w3", "b3").addAttribute(Onnx.AttributeProto.newBuilder().setName("transB")
                .setType(Onnx.AttributeProto.AttributeType.INT).setI(1)));
        g.addInput(OnnxProtos.value("x", -1, 16, 8, 8)).addOutput(OnnxProtos.value("logits", -1, 10));
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).build();
        return OnnxModel.of(m.toByteArray(), Path.of("conv32" + (scaled ? "-scaled" : "") + ".onnx"));
    }

    static Examples examples(int n) {
        Random r = new Random(9);
        float[] x = new float[n * 16 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        return new Examples(x, new int[] {16, 8, 8}, y, new int[] {n}, true, "random examples");
    }

    /** Points around {@code centre}: the centre, then each parameter moved by up to {@code 0.2 k} of itself. */
    static List<float[]> points(float[] centre, int count) {
        Random random = new Random(3);
        List<float[]> out = new ArrayList<>();
        for (int point = 0; point < count; point++) {
            float[] p = centre.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] += (float) (0.1 * point * random.nextGaussian() * Math.abs(p[i]));
            }
            out.add(p);
        }
        return out;
    }

    /** Every metric of {@code o}'s sessions at each point, against the parameters fed as stored. */
    static void scoresAsStored(OnnxObjective o, float[] centre) {
        try (OnnxObjective.Worker stored = o.worker(OnnxObjective.Feeding.STORED_INPUTS);
             OnnxObjective.Worker used = o.worker(OnnxObjective.Feeding.INPUTS)) {
            int n = 0;
            for (float[] p : points(centre, 3)) {
                double[] a = stored.evaluate(p);
                double[] b = used.evaluate(p);
                for (int m = 0; m < a.length; m++) {
                    assertThat(b[m]).as("point " + n + " metric " + m).isCloseTo(a[m], within(1e-6 * Math.max(1, Math.abs(a[m]))));
                }
                n++;
            }
        }
    }

    @Test
    void convolutionsAreFedReLaidOutAsOnnxRuntimeRunsThemAndScoreAsStored() {
        OnnxModel model = convolutional(false);
        try (OnnxObjective o = OnnxObjective.of(model, examples(40), OnnxLoss.AUTO, 16, "random examples")) {
            assertThat(o.graph().optimised()).as(o.feedingNote()).isTrue();
            assertThat(o.feedingNote()).startsWith("parameters fed in ONNX Runtime's own layout (its optimised graph; ");
            List<RuntimeLayout.Fed> gathered = o.graph().fed().stream().filter(f -> f.gather() != null).toList();
            if (System.getProperty("os.arch").equals("amd64")) { // MLAS's blocked (NCHWc) convolutions exist on x86-64 only
                assertThat(gathered).as("weights ONNX Runtime re-laid out for its blocked convolutions").isNotEmpty();
                for (RuntimeLayout.Fed f : gathered) {
                    int[] seen = new int[model.layout().size()];
                    for (int from : f.gather()) {
                        if (from >= 0) {
                            seen[from]++;
                        }
                    }
                    assertThat(java.util.Arrays.stream(seen).max().orElse(0)).as(f.name() + ": each parameter at most once").isLessThanOrEqualTo(1);
                }
            }
            scoresAsStored(o, model.parameters());
        }
    }

    @Test
    void indicesBeyondWhatOnePassNumbersAreLearntInAThird() {
        // a pass numbers 2^24 - 1 parameters (codes exact in a float); numbering 1,000 a pass here, the 14,218 parameters
        // of the convolutional model need the third pass's high part, as a model of over 16.7 M parameters does
        OnnxModel model = convolutional(false);
        RuntimeLayout.Derived few = RuntimeLayout.derive(model, 1000);
        RuntimeLayout.Derived all = RuntimeLayout.derive(model);
        assertThat(few.graph()).as(few.reason()).isNotNull();
        assertThat(few.graph().fed()).hasSameSizeAs(all.graph().fed());
        for (int f = 0; f < all.graph().fed().size(); f++) {
            RuntimeLayout.Fed a = all.graph().fed().get(f);
            RuntimeLayout.Fed b = few.graph().fed().get(f);
            assertThat(b.gather()).isEqualTo(a.gather());
            assertThat(b.offset()).isEqualTo(a.offset());
        }
    }

    @Test
    void everyCommittedModelScoresAsStored() {
        Path m = OnnxObjectiveTest.MODELS;
        Path e = ExportedModelsTest.EXPORTED;
        for (Path[] c : new Path[][] {{m.resolve("mlp.onnx"), m.resolve("mlp")}, {m.resolve("cnn.onnx"), m.resolve("cnn.npz")},
                {m.resolve("regressor.onnx"), m.resolve("regressor-x.npy")}, {e.resolve("keras.onnx"), e.resolve("keras.npz")},
                {e.resolve("torch-default.onnx"), e.resolve("torch-default.npz")}}) {
            OnnxModel model = OnnxModel.load(c[0]);
            Examples data = losssurface.data.DataFiles.examples(c[1], "label", losssurface.data.DataFiles.NonFinite.REFUSE).examples();
            try (OnnxObjective o = OnnxObjective.of(model, data, OnnxLoss.AUTO, 7, c[1].getFileName().toString())) {
                assertThat(o.graph().optimised()).as(c[0] + ": " + o.feedingNote()).isTrue();
                scoresAsStored(o, model.parameters());
            }
        }
    }

    @Test
    void theLayoutIsLearntEveryTimeThoughOnnxRuntimeNamesItsNodesDifferently() {
        // ONNX Runtime names the nodes it adds from a count that runs on across sessions ("ReorderOutput", then
        // "ReorderOutput_token_5"), so two passes' graphs differ in their nodes' names alone
        // bench's MNIST CNN (two convolutions of 8 and 16 channels) shows it; the reactor's folders are fixed
        OnnxModel model = OnnxModel.load(Path.of("../../bench/src/main/resources/losssurface/bench/mnist-cnn.onnx"));
        for (int i = 0; i < 3; i++) {
            RuntimeLayout.Derived d = RuntimeLayout.derive(model);
            assertThat(d.graph()).as("derivation " + i + ": " + d.reason()).isNotNull();
        }
    }

    @Test
    void parametersOnnxRuntimeFoldsTogetherAreFedAsStored() {
        OnnxModel model = convolutional(true);
        RuntimeLayout.Derived derived = RuntimeLayout.derive(model);
        assertThat(derived.graph()).isNull();
        assertThat(derived.reason()).startsWith("ONNX Runtime folds parameters together into ");
        try (OnnxObjective o = OnnxObjective.of(model, examples(20), OnnxLoss.AUTO, 16, "random examples")) {
            assertThat(o.graph().optimised()).isFalse();
            assertThat(o.feedingNote()).isEqualTo("parameters fed as stored (not in ONNX Runtime's own layout: " + derived.reason() + ")");
        }
    }

    @Test
    void aLayoutThatGivesOtherOutputsIsNotUsed() {
        OnnxModel model = convolutional(false);
        // ONNX Runtime's layout with two values of its first gathered tensor swapped
        java.util.function.Function<OnnxModel, RuntimeLayout.Derived> wrong = m -> {
            RuntimeLayout.Graph right = RuntimeLayout.derive(m).graph();
            List<RuntimeLayout.Fed> fed = new ArrayList<>();
            boolean swapped = false;
            for (RuntimeLayout.Fed f : right.fed()) {
                int[] from = f.gather() != null ? f.gather().clone() : java.util.stream.IntStream.range(0, f.length()).map(k -> f.offset() + k).toArray();
                if (!swapped && from.length > 1) {
                    int t = from[0];
                    from[0] = from[1];
                    from[1] = t;
                    swapped = true;
                }
                fed.add(new RuntimeLayout.Fed(f.name(), f.shape(), -1, from));
            }
            return new RuntimeLayout.Derived(new RuntimeLayout.Graph(right.model(), fed, true), "");
        };
        Examples data = examples(20);
        try (OnnxObjective o = OnnxObjective.of(model, data, 16, wrong);
             OnnxObjective right = OnnxObjective.of(model, data, OnnxLoss.AUTO, 16, "random examples")) {
            assertThat(o.graph().optimised()).isFalse();
            assertThat(o.feedingNote()).matches("parameters fed as stored \\(not in ONNX Runtime's own layout: its outputs at theta\\*"
                    + " differed from the model's as stored by up to [0-9.e-]+\\)");
            assertThat(o.evaluate(model.parameters())[0]).isCloseTo(right.evaluate(model.parameters())[0], within(1e-6));
        }
    }
}
