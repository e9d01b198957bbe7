package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.nn.dense.Layouts;

/** What bench hands the PyTorch peer for the built-in MNIST CNN: PyTorch's names and shapes, in DL4J's order. */
class WorkloadTest {

    @Test
    void theDl4jCnnsBlocksAreTheMnistCnnModulesParametersInDl4jsOrder() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        Workload dl4jCnn = Workload.STANDARD.stream().filter(w -> w.name().equals("dl4j-cnn")).findFirst().orElseThrow();
        ParameterLayout ours = Layouts.of(net);
        ParameterLayout peer = dl4jCnn.peerLayout(ours);
        assertThat(peer.blocks()).extracting(ParameterBlock::name).containsExactly("conv1.bias", "conv1.weight", "conv2.bias",
                "conv2.weight", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(peer.blocks()).extracting(b -> List.of(java.util.Arrays.stream(b.shape()).boxed().toArray()))
                .containsExactly(List.of(8), List.of(8, 1, 5, 5), List.of(16), List.of(16, 8, 5, 5), List.of(64, 256), List.of(64),
                        List.of(10, 64), List.of(10));
        assertThat(peer.size()).isEqualTo(ours.size()).isEqualTo(20_522);
        for (int i = 0; i < ours.blocks().size(); i++) {
            assertThat(peer.blocks().get(i).offset()).isEqualTo(ours.blocks().get(i).offset());
        }
        Workload onnx = Workload.STANDARD.stream().filter(w -> w.name().equals("onnx-cnn")).findFirst().orElseThrow();
        assertThat(onnx.peerLayout(ours)).as("an ONNX model's names are already the module's").isSameAs(ours);
    }
}
