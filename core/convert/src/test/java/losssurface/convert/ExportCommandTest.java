package losssurface.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.nn.NetworkObjective;
import losssurface.onnx.OnnxLoss;
import losssurface.onnx.OnnxModel;
import losssurface.onnx.OnnxObjective;
import losssurface.runner.testing.InProcess;

/** {@code losssurface export --onnx}: the file it writes scores as the DL4J network does, and what it refuses. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theExportedModelGivesTheNetworksLossAtTheCentre() throws Exception {
        MultiLayerNetwork net = Dl4jOnnxEvaluatorTest.cnn(true, 16, 7);
        DataSet train = Dl4jOnnxEvaluatorTest.images(200, 16, 8);
        for (int i = 0; i < 3; i++) {
            net.fit(train);
        }
        Path zip = tmp.resolve("cnn.zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        Path onnx = tmp.resolve("out/cnn.onnx");
        InProcess.Result r = InProcess.run("export", "--onnx", zip.toString(), onnx.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote " + onnx.toAbsolutePath()).contains(net.numParams() + " parameters")
                .contains("logits: the softmax is left out");

        DataSet test = Dl4jOnnxEvaluatorTest.images(100, 16, 9);
        OnnxModel model = OnnxModel.load(onnx);
        assertThat(model.parameters()).containsExactly(net.params().toFloatVector());
        try (OnnxObjective exported = OnnxObjective.of(model, Dl4jOnnxEvaluator.examples(test, true), OnnxLoss.AUTO, 1000, "test")) {
            double[] ours = exported.evaluate(model.parameters());
            double[] dl4j = NetworkObjective.of(net, test, "test").evaluate(net.params().toFloatVector());
            assertThat(exported.notes()).contains("logits");
            assertThat(ours[0]).isCloseTo(dl4j[0], within(1e-5 * dl4j[0]));
            assertThat(ours[1]).isEqualTo(dl4j[1]);
        }

        InProcess.Result again = InProcess.run("export", "--onnx", zip.toString(), onnx.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains(onnx + " exists. Name another file, or give --force to replace it.");
        assertThat(InProcess.run("export", "--onnx", zip.toString(), onnx.toString(), "--force").status()).isZero();
    }

    @Test
    void aComputationGraphThatIsAChainOfLayersIsExportedToo() throws Exception {
        org.deeplearning4j.nn.graph.ComputationGraph graph = Dl4jOnnxEvaluatorTest.graph(0, 3);
        graph.fit(Dl4jOnnxEvaluatorTest.images(100, 16, 4));
        Path zip = tmp.resolve("graph.zip");
        ModelSerializer.writeModel(graph, zip.toFile(), false);
        Path onnx = tmp.resolve("graph.onnx");
        InProcess.Result r = InProcess.run("export", "--onnx", zip.toString(), onnx.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("the ComputationGraph of " + zip);
        assertThat(OnnxModel.load(onnx).parameters()).containsExactly(graph.params().toFloatVector());
    }

    @Test
    void aLayerTheConversionDoesNotCoverIsNamed() throws Exception {
        MultiLayerNetwork lstm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(4).nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        lstm.init();
        Path zip = tmp.resolve("lstm.zip");
        ModelSerializer.writeModel(lstm, zip.toFile(), false);
        Path onnx = tmp.resolve("lstm.onnx");
        InProcess.Result r = InProcess.run("export", "--onnx", zip.toString(), onnx.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Cannot export " + zip + ": layer 0 is a LSTM").contains("losssurface probe --model");
        assertThat(onnx).doesNotExist();
        InProcess.Result missing = InProcess.run("export", "--onnx", tmp.resolve("nothing.zip").toString(), onnx.toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }
}
