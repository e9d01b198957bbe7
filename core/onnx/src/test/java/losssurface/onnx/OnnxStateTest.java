package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import onnx.Onnx;

/** Which initializers of an ONNX graph are state (batch normalisation's running statistics), never moved by a direction. */
class OnnxStateTest {

    static Onnx.NodeProto node(String op, String... inputs) {
        return Onnx.NodeProto.newBuilder().setOpType(op).addAllInput(java.util.List.of(inputs)).addOutput(op + "-out").build();
    }

    @Test
    void aBatchNormalisationsRunningMeanAndVarianceAreStateAndItsScaleAndShiftAreNot() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder()
                .addNode(node("Conv", "x", "conv.weight", "conv.bias"))
                .addNode(node("BatchNormalization", "Conv-out", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"))
                .build();
        assertThat(OnnxModel.isState(g, "bn.running_mean")).isTrue();
        assertThat(OnnxModel.isState(g, "bn.running_var")).isTrue();
        assertThat(OnnxModel.isState(g, "bn.weight")).isFalse();
        assertThat(OnnxModel.isState(g, "bn.bias")).isFalse();
        assertThat(OnnxModel.isState(g, "conv.weight")).isFalse();
        assertThat(OnnxModel.isState(g, "unused")).as("used by nothing").isFalse();
    }

    @Test
    void aTensorThatAnotherOperatorAlsoReadsIsAParameter() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder()
                .addNode(node("BatchNormalization", "x", "s", "b", "shared", "v"))
                .addNode(node("Add", "BatchNormalization-out", "shared"))
                .build();
        assertThat(OnnxModel.isState(g, "shared")).isFalse();
        assertThat(OnnxModel.isState(g, "v")).isTrue();
    }
}
