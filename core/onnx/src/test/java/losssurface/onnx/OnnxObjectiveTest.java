package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.GridRequest;
import losssurface.api.GridValues;
import losssurface.api.LossSurfaceException;
import losssurface.api.ParameterBlock;
import losssurface.api.Progress;
import losssurface.data.DataFiles;
import losssurface.data.Examples;

/**
 * ONNX models written by {@code make_test_models.py} from PyTorch: the loss at the centre against
 * PyTorch's, a point off the centre against a hand computation on a model with those weights
 * written into its initializers, the layout's output axes, and the models and data the probe must
 * refuse.
 */
class OnnxObjectiveTest {

    static final Path MODELS = Path.of("src/test/resources/models");

    @TempDir
    Path tmp;

    static JsonNode expected(String model) throws Exception {
        return new ObjectMapper().readTree(MODELS.resolve("expected.json").toFile()).get("models").get(model);
    }

    static Examples data(String path) {
        return DataFiles.examples(MODELS.resolve(path), "label", DataFiles.NonFinite.REFUSE).examples();
    }

    static OnnxObjective objective(String model, String data, OnnxLoss loss) {
        return OnnxObjective.of(OnnxModel.load(MODELS.resolve(model + ".onnx")), data(data), loss, 7, data);
    }

    @Test
    void theLossAtTheCentreIsPyTorchs() throws Exception {
        for (String[] c : new String[][] {{"mlp", "mlp"}, {"mlp-softmax", "mlp"}, {"cnn", "cnn.npz"}, {"regressor", "regressor-x.npy"}}) {
            try (OnnxObjective o = objective(c[0], c[1], OnnxLoss.AUTO)) {
                double[] v = o.evaluate(OnnxModel.load(MODELS.resolve(c[0] + ".onnx")).parameters());
                JsonNode want = expected(c[0]);
                // PyTorch summed in float32; here the sum is in double.
                assertThat(v[0]).as(c[0] + " loss").isCloseTo(want.get("loss").asDouble(), within(2e-6 * want.get("loss").asDouble()));
                if (want.has("accuracy")) {
                    assertThat(v[1]).as(c[0] + " accuracy").isEqualTo(want.get("accuracy").asDouble());
                } else {
                    assertThat(o.metrics()).containsExactly("loss");
                }
            }
        }
    }

    @Test
    void logitsAndProbabilitiesAreDetectedAndCanBeStated() {
        try (OnnxObjective logits = objective("mlp", "mlp", OnnxLoss.CROSS_ENTROPY);
             OnnxObjective probs = objective("mlp-softmax", "mlp", OnnxLoss.CROSS_ENTROPY)) {
            assertThat(logits.notes()).contains("logits");
            assertThat(logits.description()).contains("from logits");
            assertThat(probs.notes()).contains("probabilities (it comes from a Softmax)");
        }
        try (OnnxObjective wrong = objective("mlp-softmax", "mlp", OnnxLoss.CROSS_ENTROPY_LOGITS)) {
            // Softmax outputs scored as logits: a different, larger-entropy number, as stated.
            assertThat(wrong.description()).contains("from logits");
            assertThat(wrong.notes()).isEmpty();
        }
    }

    /** A point off the centre: the same weights written into the file's initializers, run as an ordinary model. */
    @Test
    void anOffCentrePointMatchesTheModelWithThoseWeightsWrittenIn() throws Exception {
        for (String[] c : new String[][] {{"mlp", "mlp"}, {"cnn", "cnn.npz"}}) {
            OnnxModel model = OnnxModel.load(MODELS.resolve(c[0] + ".onnx"));
            float[] theta = model.parameters();
            Random r = new Random(3);
            float[] p = new float[theta.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (theta[i] + 0.4 * r.nextGaussian() * Math.abs(theta[i]) - 0.1 * r.nextGaussian());
            }
            Examples data = data(c[1]);
            double[] ours;
            try (OnnxObjective o = OnnxObjective.of(model, data, OnnxLoss.AUTO, 5, c[1])) {
                ours = o.evaluate(p);
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            long[] shape = data.featureShape().length == 2 ? new long[] {data.count(), data.featuresPerExample()}
                    : java.util.Arrays.stream(data.featureShape()).asLongStream().toArray();
            double loss = 0;
            int correct = 0;
            try (OrtSession s = env.createSession(model.withParameters(p), new OrtSession.SessionOptions());
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data.features()), shape);
                 OrtSession.Result out = s.run(Map.of(model.input(), x))) {
                float[][] z = (float[][]) out.get(0).getValue();
                for (int i = 0; i < z.length; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int k = 0; k < z[i].length; k++) {
                        if (z[i][k] > max) {
                            max = z[i][k];
                            arg = k;
                        }
                    }
                    double sum = 0;
                    for (float v : z[i]) {
                        sum += Math.exp(v - max);
                    }
                    int y = (int) data.labels()[i];
                    loss += max + Math.log(sum) - z[i][y];
                    correct += arg == y ? 1 : 0;
                }
            }
            assertThat(ours[0]).as(c[0]).isCloseTo(loss / data.count(), within(1e-6));
            assertThat(ours[1]).as(c[0]).isEqualTo((double) correct / data.count());
            assertThat(ours[0]).as(c[0] + ": the point is off the centre").isNotCloseTo(
                    expected(c[0]).get("loss").asDouble(), within(1e-3));
        }
    }

    @Test
    void aHeavyModelRunsEachPointOnOneSessionWithEveryThreadOrOnOneThreadWhenTheRunHasOne(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        OnnxModel model = OnnxModel.load(OnnxFeedingBench.mlp(tmp, new int[] {1000, 1000, 10})); // 1,011,010 parameters
        assertThat(model.layout().size()).isGreaterThanOrEqualTo(OnnxEvaluator.SHARED_FROM);
        try (OnnxObjective o = OnnxObjective.of(model, OnnxFeedingBench.random(64, new int[] {1000}, 10), OnnxLoss.AUTO, 32, "random")) {
            float[] theta = model.parameters();
            float[] d = new float[theta.length];
            Random r = new Random(4);
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (0.01 * r.nextGaussian());
            }
            losssurface.runs.SurfaceJob job = new losssurface.runs.SurfaceJob(java.util.List.of(new OnnxEvaluatorProvider()),
                    losssurface.runs.SurfaceJob.Config.DEFAULT);
            GridRequest two = GridRequest.line(theta, d, new double[] {-1, 0, 1}).withThreads(2);
            GridValues shared = job.evaluate(o, two, Progress.silent());
            assertThat(shared.note()).startsWith("one ONNX Runtime session with 2 threads on each point in turn (a model of 1,011,010"
                    + " parameters, at least 1,000,000)");
            GridValues single = job.evaluate(o, two.withThreads(1), Progress.silent());
            assertThat(single.note()).startsWith("1 ONNX Runtime session (one per thread, one point each)");
            assertThat(o.worker(0).threads()).as("the run's one thread, not the session the model was loaded with").isEqualTo(1);
            float[] p = new float[theta.length];
            for (int i = 0; i < 3; i++) {
                two.point(i, 0, p);
                double expected = o.evaluate(p)[0];
                assertThat(shared.values()[0][i]).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
                assertThat(single.values()[0][i]).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            }
        }
    }

    @Test
    void aGridOnTwoSessionsGivesThePointsOneByOne() {
        try (OnnxObjective o = objective("cnn", "cnn.npz", OnnxLoss.AUTO)) {
            float[] theta = OnnxModel.load(MODELS.resolve("cnn.onnx")).parameters();
            Random r = new Random(1);
            float[] d1 = new float[theta.length];
            float[] d2 = new float[theta.length];
            for (int i = 0; i < theta.length; i++) {
                d1[i] = (float) r.nextGaussian();
                d2[i] = (float) r.nextGaussian();
            }
            GridRequest request = new GridRequest(theta, d1, new double[] {-1, 0, 0.5}, d2, new double[] {-0.5, 0, 1}, 2);
            GridValues grid = new losssurface.runs.SurfaceJob(java.util.List.of(new OnnxEvaluatorProvider()),
                    losssurface.runs.SurfaceJob.Config.DEFAULT).evaluate(o, request, Progress.silent());
            assertThat(grid.evaluator()).isEqualTo("onnx");
            assertThat(grid.note()).contains("2 ONNX Runtime sessions");
            float[] p = new float[theta.length];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    request.point(i, j, p);
                    double[] v = o.evaluate(p);
                    assertThat(grid.values()[0][i * 3 + j]).isEqualTo(v[0]);
                    assertThat(grid.values()[1][i * 3 + j]).isEqualTo(v[1]);
                }
            }
        }
    }

    @Test
    void outputAxesComeFromTheConsumingOperator() {
        OnnxModel cnn = OnnxModel.load(MODELS.resolve("cnn.onnx"));
        assertThat(cnn.parameterNames()).containsExactlyInAnyOrder("0.weight", "0.bias", "3.weight", "3.bias");
        ParameterBlock conv = block(cnn, "0.weight");
        assertThat(conv.shape()).containsExactly(3, 1, 3, 3);
        assertThat(conv.outputAxis()).isZero();
        assertThat(conv.order()).isEqualTo('c');
        assertThat(conv.axisNote()).contains("Conv weight");
        // filter j is the contiguous block of in_channels * kh * kw values starting at j * 9
        int o = conv.offset();
        assertThat(conv.neuronIndices(2)).containsExactlyInAnyOrder(o + 18, o + 19, o + 20, o + 21, o + 22, o + 23, o + 24, o + 25, o + 26);
        ParameterBlock gemm = block(cnn, "3.weight");
        assertThat(gemm.outputAxis()).isZero();
        assertThat(gemm.axisNote()).contains("transB=1");
        assertThat(block(cnn, "0.bias").kind()).isEqualTo(ParameterBlock.Kind.BIAS);
        assertThat(cnn.inputShape()).containsExactly(-1, 1, 6, 6);
    }

    static ParameterBlock block(OnnxModel model, String name) {
        return model.layout().blocks().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void modelsThatCannotBeProbedAreRefusedNamingWhatWasFound() throws Exception {
        assertThatThrownBy(() -> OnnxModel.load(MODELS.resolve("two-outputs.onnx"))).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("gives 2 outputs (logits [?, 3] float32, total [?] float32)");
        assertThatThrownBy(() -> OnnxModel.load(MODELS.resolve("two-inputs.onnx")))
                .hasMessageContaining("takes 2 inputs (x [?, 6] float32, z [?, 6] float32)");
        assertThatThrownBy(() -> OnnxModel.load(MODELS.resolve("no-parameters.onnx")))
                .hasMessageContaining("has no float weights to perturb: it has no initializers at all");
        Path text = Files.writeString(tmp.resolve("notes.onnx"), "not a model at all\n");
        assertThatThrownBy(() -> OnnxModel.load(text)).hasMessageContaining(text + " is not an ONNX model");
        assertThatThrownBy(() -> OnnxModel.load(tmp.resolve("gone.onnx"))).hasMessageContaining("gone.onnx does not exist");
    }

    @Test
    void dataThatDoesNotFitIsRefusedNamingBothShapes() {
        OnnxModel cnn = OnnxModel.load(MODELS.resolve("cnn.onnx"));
        assertThatThrownBy(() -> OnnxObjective.of(cnn, data("mlp"), OnnxLoss.AUTO, 10, "mlp"))
                .hasMessageContaining("has examples of shape [6] ([20, 6] in all) but model")
                .hasMessageContaining("takes input x of shape [?, 1, 6, 6]");
        OnnxModel mlp = OnnxModel.load(MODELS.resolve("mlp.onnx"));
        // 3 output columns, labels 0..2 in mlp; cnn's labels reach 3
        Examples flat = new Examples(new float[16 * 6], new int[] {6}, data("cnn.npz").labels(), new int[] {16}, true, "flat.npy");
        assertThatThrownBy(() -> OnnxObjective.of(mlp, flat, OnnxLoss.AUTO, 10, "flat"))
                .hasMessageContaining("is not a class of model").hasMessageContaining("3 columns (classes 0 to 2)");
        assertThatThrownBy(() -> OnnxObjective.of(mlp, data("regressor-x.npy"), OnnxLoss.AUTO, 10, "r"))
                .hasMessageContaining("has examples of shape [3]");
        OnnxModel reg = OnnxModel.load(MODELS.resolve("regressor.onnx"));
        assertThatThrownBy(() -> OnnxObjective.of(reg, data("regressor-x.npy"), OnnxLoss.CROSS_ENTROPY, 10, "r"))
                .hasMessageContaining("cross-entropy takes one class index per example");
        assertThatThrownBy(() -> OnnxLoss.parse("hinge")).hasMessageContaining("Choose one of: auto, cross-entropy");
    }

    /** A CNN fed flat rows (e.g. from a CSV) gets them reshaped when the counts agree, and says so. */
    @Test
    void flatRowsAreReshapedToTheModelsInput() {
        Examples images = data("cnn.npz");
        Examples flat = new Examples(images.features(), new int[] {36}, images.labels(), images.labelShape(), true, "flat");
        OnnxModel cnn = OnnxModel.load(MODELS.resolve("cnn.onnx"));
        try (OnnxObjective o = OnnxObjective.of(cnn, flat, OnnxLoss.AUTO, 4, "flat");
             OnnxObjective shaped = OnnxObjective.of(cnn, images, OnnxLoss.AUTO, 16, "images")) {
            assertThat(o.notes()).contains("reshaped from [36] to [1, 6, 6]");
            assertThat(o.evaluate(cnn.parameters())[0]).isCloseTo(shaped.evaluate(cnn.parameters())[0], within(1e-12));
        }
    }
}
