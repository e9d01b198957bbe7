package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParameterLayoutTest {

    @Test
    void neuronsOfAColumnMajorDenseBlockAreItsColumns() {
        ParameterBlock w = ParameterBlock.denseWeights(0, 3, 2, 10, "relu");
        assertThat(w.neurons()).isEqualTo(2);
        assertThat(w.neuronIndices(0)).containsExactly(10, 11, 12);
        assertThat(w.neuronIndices(1)).containsExactly(13, 14, 15);
    }

    @Test
    void neuronsOfARowMajorConvolutionBlockAreItsFilters() {
        // [nOut=2, nIn=2, kH=1, kW=2], c order: filter 0 is the first 4 values
        ParameterBlock conv = new ParameterBlock("0_W", 0, ParameterBlock.Kind.WEIGHT, new int[] {2, 2, 1, 2}, 0, 'c', 0, "relu");
        assertThat(conv.neuronIndices(0)).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(conv.neuronIndices(1)).containsExactlyInAnyOrder(4, 5, 6, 7);
    }

    @Test
    void blocksMustBeContiguousAndUniquelyNamed() {
        assertThatThrownBy(() -> new ParameterLayout(List.of(ParameterBlock.denseWeights(0, 2, 2, 0, ""),
                ParameterBlock.bias(0, 2, 5, "")))).hasMessageContaining("starts at 5 but the previous blocks end at 4");
        ParameterLayout ok = new ParameterLayout(List.of(ParameterBlock.denseWeights(0, 2, 2, 0, ""), ParameterBlock.bias(0, 2, 4, "")));
        assertThat(ok.size()).isEqualTo(6);
        assertThatThrownBy(() -> ok.requireFits(new float[5], "theta")).hasMessage("theta has 5 parameters but the layout has 6");
    }
}
