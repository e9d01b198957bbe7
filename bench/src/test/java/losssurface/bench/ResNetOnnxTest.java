package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.ParameterBlock;
import losssurface.onnx.OnnxModel;

/** The onnx-resnet workload's model: a ResNet-18 for CIFAR with its weights in external data, read as the probe reads it. */
class ResNetOnnxTest {

    @TempDir
    Path tmp;

    @Test
    void theModelIsAResNet18ForCifarWithItsWeightsBesideIt() throws Exception {
        ResNetOnnx.Written written = ResNetOnnx.write(tmp, 42);
        // 3x3 convolutions of ResNet-18 for CIFAR, the three 1x1 projections, the dense layer, and a bias per convolution
        long convs = 3 * 64 * 9 + 4 * 64 * 64 * 9 + (64 * 128 * 9 + 3 * 128 * 128 * 9) + (128 * 256 * 9 + 3 * 256 * 256 * 9)
                + (256 * 512 * 9 + 3 * 512 * 512 * 9) + 64 * 128 + 128 * 256 + 256 * 512;
        long biases = 64 + 4 * 64 + 4 * 128 + 128 + 4 * 256 + 256 + 4 * 512 + 512;
        assertThat(written.parameters()).isEqualTo(convs + biases + 512 * 10 + 10).isEqualTo(11_169_162);
        assertThat(Files.size(tmp.resolve(ResNetOnnx.FILE + ".data"))).isGreaterThanOrEqualTo(4 * written.parameters());

        OnnxModel model = OnnxModel.load(written.file());
        assertThat(model.layout().size()).isEqualTo(written.parameters());
        assertThat(model.layout().blocks()).allMatch(b -> b.source().startsWith("external data resnet18-cifar.onnx.data"));
        assertThat(model.layout().blocks()).filteredOn(b -> b.kind() == ParameterBlock.Kind.WEIGHT).hasSize(17 + 3 + 1);
        assertThat(model.layout().blocks()).filteredOn(b -> b.kind() == ParameterBlock.Kind.BIAS).hasSize(17 + 3 + 1);
        assertThat(model.inputShape()).containsExactly(-1, 3, 32, 32);
        assertThat(ResNetOnnx.write(tmp.resolve("again"), 42).parameters()).isEqualTo(written.parameters());
        assertThat(Files.readAllBytes(tmp.resolve("again").resolve(ResNetOnnx.FILE + ".data")))
                .as("made from the seed").isEqualTo(Files.readAllBytes(tmp.resolve(ResNetOnnx.FILE + ".data")));
    }
}
