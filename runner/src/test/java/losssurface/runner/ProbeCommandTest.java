package losssurface.runner;

import losssurface.runner.testing.InProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.NamedArray;
import losssurface.api.io.Npy;

/** {@code losssurface probe} on networks trained and saved here, as a user's own would be. */
class ProbeCommandTest {

    @TempDir
    static Path tmp;

    static Path mlnFile;
    static Path graphFile;
    static Path csv;
    static Path npyDir;

    /** Three Gaussian blobs in 4 dimensions: a 3-class problem. */
    static DataSet blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        float[][] y = new float[n][3];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.5 + (j == c ? 2 : 0));
            }
            y[i][c] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    @BeforeAll
    static void trainAndSave() throws Exception {
        DataSet data = blobs(90, 1);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        mlnFile = tmp.resolve("blobs-mlp.zip");
        ModelSerializer.writeModel(net, mlnFile.toFile(), false);

        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(0.05))
                .graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build());
        graph.init();
        for (int i = 0; i < 30; i++) {
            graph.fit(data);
        }
        graphFile = tmp.resolve("blobs-graph.zip");
        ModelSerializer.writeModel(graph, graphFile.toFile(), false);

        DataSet test = blobs(60, 2);
        StringBuilder text = new StringBuilder("f1,f2,label,f3,f4\n");
        float[][] x = test.getFeatures().toFloatMatrix();
        int[] labels = new int[60];
        for (int i = 0; i < 60; i++) {
            labels[i] = test.getLabels().getRow(i).argMax().getInt(0);
            text.append(x[i][0]).append(',').append(x[i][1]).append(',').append(labels[i]).append(',')
                    .append(x[i][2]).append(',').append(x[i][3]).append('\n');
        }
        csv = Files.writeString(tmp.resolve("test.csv"), text);
        npyDir = Files.createDirectories(tmp.resolve("npy"));
        float[] flat = new float[60 * 4];
        for (int i = 0; i < 60; i++) {
            System.arraycopy(x[i], 0, flat, i * 4, 4);
        }
        Npy.write(npyDir.resolve("x.npy"), new NamedArray(new int[] {60, 4}, flat));
        Npy.write(npyDir.resolve("y.npy"), new NamedArray(new int[] {60}, labels));
    }

    @Test
    void probesASavedMultiLayerNetworkOnACsvFile() throws Exception {
        Path out = tmp.resolve("out-mln");
        InProcess.Result r = MainTest.run("probe", "--model", mlnFile.toString(), "--data", csv.toString(),
                "--set", "plane.grid=7", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("Loaded MultiLayerNetwork").contains("60 examples").contains("fast-mlp");
        assertThat(r.out()).contains("Results: " + out.resolve("blobs-mlp_random-plane_")).contains("model-type: MultiLayerNetwork");
        Path run = Files.list(out).filter(Files::isDirectory).findFirst().orElseThrow();
        double[] loss = (double[]) Npy.read(run.resolve("loss.npy")).values();
        double[] accuracy = (double[]) Npy.read(run.resolve("accuracy.npy")).values();
        assertThat(loss).hasSize(49);
        assertThat(accuracy[24]).as("the trained network separates the blobs").isGreaterThan(0.9);
        assertThat(loss[24]).isLessThan(loss[0]);
        assertThat(run.resolve("provenance.json")).content().contains("\"task\" : \"saved-model\"").contains("blobs-mlp.zip");
    }

    @Test
    void probesASavedComputationGraphOnNumpyFilesWithAnyProbe() throws Exception {
        Path out = tmp.resolve("out-graph");
        InProcess.Result r = MainTest.run("probe", "--model", graphFile.toString(), "--data", npyDir.toString(),
                "--probe", "hessian", "--set", "hessian.grid=5", "--set", "hessian.iterations=10", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("model-type: ComputationGraph");
        Path run = Files.list(out).filter(Files::isDirectory).findFirst().orElseThrow();
        assertThat(run.resolve("surface.json")).content().contains("\"eigenvalues\"").contains("Hessian eigenvector 1");
        assertThat(run.resolve("layout.json")).content().contains("\"hidden_W\"").contains("\"out_b\"");
    }

    @Test
    void batchNormalisationStatisticsAreStateThatNoDirectionMoves() throws Exception {
        DataSet data = blobs(90, 3);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        for (int i = 0; i < 10; i++) {
            net.fit(data); // the running statistics move away from their initial 0 and 1
        }
        Path file = tmp.resolve("blobs-bn.zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        for (String bias : new String[] {"zero", "keep"}) {
            Path out = tmp.resolve("out-bn-" + bias);
            InProcess.Result r = MainTest.run("probe", "--model", file.toString(), "--data", csv.toString(),
                    "--set", "plane.grid=3", "--set", "plane.bias=" + bias, "--out", out.toString());
            assertThat(r.status()).as(r.err()).isZero();
            Path run = Files.list(out).filter(Files::isDirectory).findFirst().orElseThrow();
            losssurface.api.ParameterLayout layout = losssurface.runs.RunFolder.read(run).model().layout();
            List<String> state = layout.blocks().stream().filter(b -> b.kind() == losssurface.api.ParameterBlock.Kind.STATE)
                    .map(losssurface.api.ParameterBlock::name).toList();
            assertThat(state).as("blocks marked state").containsExactlyInAnyOrder("1_mean", "1_log10stdev"); // DL4J keeps log10 of the running standard deviation by default
            assertThat(run.resolve("layout.json")).content().contains("\"kind\" : \"state\"");
            float[] theta = (float[]) Npy.read(run.resolve("theta.npy")).values();
            for (String d : new String[] {"direction-1", "direction-2"}) {
                float[] direction = (float[]) Npy.read(run.resolve(d + ".npy")).values();
                for (losssurface.api.ParameterBlock b : layout.blocks()) {
                    float[] slice = java.util.Arrays.copyOfRange(direction, b.offset(), b.offset() + b.length());
                    switch (b.kind()) {
                        case STATE -> assertThat(slice).as(d + " " + b.name() + " with plane.bias=" + bias).containsOnly(0f);
                        case BIAS -> assertThat(slice).as(d + " " + b.name()).isEqualTo(bias.equals("keep")
                                ? java.util.Arrays.copyOfRange(theta, b.offset(), b.offset() + b.length()) : new float[b.length()]);
                        case WEIGHT -> assertThat(slice).as(d + " " + b.name()).isNotEqualTo(new float[b.length()]);
                    }
                }
            }
            assertThat(java.util.Arrays.copyOfRange(theta, layout.blocks().stream().filter(b -> b.name().equals("1_log10stdev"))
                    .findFirst().orElseThrow().offset(), layout.size())).as("the trained running statistics").isNotEqualTo(new float[6]);
        }
    }

    /** The ONNX models of the onnx module's tests, written from PyTorch by core/onnx/make_test_models.py. */
    static final Path ONNX = Path.of("../core/onnx/src/test/resources/models");

    @Test
    void probesAnOnnxCnnWithFilterNormalisedDirections() throws Exception {
        Path out = tmp.resolve("out-onnx");
        InProcess.Result r = MainTest.run("probe", "--model", ONNX.resolve("cnn.onnx").toString(), "--data",
                ONNX.resolve("cnn.npz").toString(), "--set", "plane.grid=5", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("Loaded ONNX model").contains("16 examples of shape [1, 6, 6]")
                .contains("loss cross-entropy (auto: whole-number labels and 4 output columns)").contains("onnx evaluator");
        assertThat(r.out()).contains("model-type: ONNX").contains("producer: pytorch");
        Path run = Files.list(out).filter(Files::isDirectory).findFirst().orElseThrow();
        double[] loss = (double[]) Npy.read(run.resolve("loss.npy")).values();
        double expected = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ONNX.resolve("expected.json").toFile())
                .get("models").get("cnn").get("loss").asDouble();
        assertThat(loss[12]).as("the centre of a 5 x 5 grid").isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(run.resolve("layout.json")).content().contains("\"0.weight\"").contains("\"output-axis-note\" : \"Conv weight");
        // filter-normalised: each conv filter of each direction has the norm of theta*'s filter; biases are zero
        float[] theta = (float[]) Npy.read(run.resolve("theta.npy")).values();
        var layout = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("layout.json").toFile());
        int offset = -1;
        for (var b : layout) {
            if (b.get("name").asText().equals("0.weight")) {
                offset = b.get("offset").asInt();
            }
        }
        for (String d : new String[] {"direction-1.npy", "direction-2.npy"}) {
            float[] v = (float[]) Npy.read(run.resolve(d)).values();
            for (int f = 0; f < 3; f++) {
                double nt = 0;
                double nd = 0;
                for (int k = offset + 9 * f; k < offset + 9 * (f + 1); k++) {
                    nt += theta[k] * theta[k];
                    nd += v[k] * v[k];
                }
                assertThat(Math.sqrt(nd)).as(d + " filter " + f).isCloseTo(Math.sqrt(nt), org.assertj.core.api.Assertions.within(1e-5));
            }
        }
    }

    @Test
    void onnxMistakesAreNamed() throws Exception {
        String cnn = ONNX.resolve("cnn.onnx").toString();
        InProcess.Result twoOut = MainTest.run("probe", "--model", ONNX.resolve("two-outputs.onnx").toString(), "--data",
                ONNX.resolve("mlp").toString(), "--out", tmp.resolve("x").toString());
        assertThat(twoOut.status()).isNotZero();
        assertThat(twoOut.err()).contains("gives 2 outputs (logits [?, 3] float32, total [?] float32)").doesNotContain("Exception");
        assertThat(MainTest.run("probe", "--model", cnn, "--data", ONNX.resolve("mlp").toString()).err())
                .contains("has examples of shape [6] ([20, 6] in all) but model").contains("of shape [?, 1, 6, 6]");
        assertThat(MainTest.run("probe", "--model", cnn, "--data", ONNX.resolve("cnn.npz").toString(), "--loss", "hinge").err())
                .contains("--loss hinge is not a loss. Choose one of: auto, cross-entropy");
        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", csv.toString(), "--loss", "mse").err())
                .contains("--loss applies to ONNX models");
        assertThat(MainTest.run("probe", "--model", cnn, "--data", ONNX.resolve("cnn.npz").toString(), "--non-finite", "keep").err())
                .contains("--non-finite keep is not a choice. Give refuse (the default) or drop.");
        Path nan = Files.writeString(tmp.resolve("nan.csv"), "f1,f2,label,f3,f4\n1,2,0,3,4\n1,NaN,1,3,4\n");
        InProcess.Result refused = MainTest.run("probe", "--model", mlnFile.toString(), "--data", nan.toString(),
                "--out", tmp.resolve("nan-out").toString());
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("Data file " + nan + ", line 3: column 'f2' is NaN.");
        assertThat(tmp.resolve("nan-out")).doesNotExist();
        InProcess.Result dropped = MainTest.run("probe", "--model", mlnFile.toString(), "--data", nan.toString(), "--non-finite", "drop",
                "--set", "plane.grid=3", "--out", tmp.resolve("nan-out").toString());
        assertThat(dropped.status()).as(dropped.err()).isZero();
        assertThat(dropped.err()).contains("Left out 1 of 2 examples that hold a NaN or infinity (--non-finite drop); the first: "
                + nan + ", line 3: column 'f2' is NaN");
    }

    @Test
    void badFilesAreNamedWithTheMismatch() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        assertThat(MainTest.run("probe", "--model", text.toString(), "--data", csv.toString()).err())
                .contains("error: Model file " + text + " is not a DL4J model");
        Path zip = tmp.resolve("empty.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write(1);
        }
        assertThat(MainTest.run("probe", "--model", zip.toString(), "--data", csv.toString()).err())
                .contains("is a zip but not a DL4J model: it lacks configuration.json or coefficients.bin");
        assertThat(MainTest.run("probe", "--model", tmp.resolve("nope.zip").toString(), "--data", csv.toString()).err())
                .contains("nope.zip does not exist");

        Path narrow = Files.writeString(tmp.resolve("narrow.csv"), "a,b,label\n1,2,0\n");
        InProcess.Result r = MainTest.run("probe", "--model", mlnFile.toString(), "--data", narrow.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Data file " + narrow + " has 2 feature columns (all but 'label') but the network's input layer takes 4.");

        Path badLabel = Files.writeString(tmp.resolve("badlabel.csv"), "a,b,c,d,label\n1,2,3,4,0\n1,2,3,4,7\n");
        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", badLabel.toString()).err())
                .contains(badLabel + ", line 3: label 7.0 is not a class of this network (0 to 2).");

        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", empty.toString()).err())
                .contains("Data file " + empty + " is empty.");

        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", csv.toString(), "--label-column", "class").err())
                .contains("has no column 'class'. Its columns: f1, f2, label, f3, f4. Name the label column with --label-column.");

        Path wide = Files.createDirectories(tmp.resolve("wide"));
        Npy.write(wide.resolve("x.npy"), new NamedArray(new int[] {2, 5}, new float[10]));
        Npy.write(wide.resolve("y.npy"), new NamedArray(new int[] {2}, new int[] {0, 1}));
        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", wide.toString()).err())
                .contains("x.npy has 5 features per example but the network's input layer takes 4.");
        assertThat(MainTest.run("probe", "--model", mlnFile.toString(), "--data", wide.resolve("x.npy").toString()).err())
                .doesNotContain("\tat ");
    }
}
