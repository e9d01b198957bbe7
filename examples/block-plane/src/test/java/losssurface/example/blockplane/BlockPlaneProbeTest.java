package losssurface.example.blockplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.SurfacePlan;

class BlockPlaneProbeTest {

    /** A 3-2 dense layer (6 weights, 2 biases) and a 2-1 layer (2 weights, 1 bias). */
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(ParameterBlock.denseWeights(0, 3, 2, 0, "relu"),
            ParameterBlock.bias(0, 2, 6, "relu"), ParameterBlock.denseWeights(1, 2, 1, 8, "identity"),
            ParameterBlock.bias(1, 1, 10, "identity")));
    static final Objective SUM = Objective.of(LAYOUT, "loss", p -> {
        double s = 0;
        for (float v : p) {
            s += v * v;
        }
        return s;
    });

    static SurfacePlan plan(Map<String, String> settings) {
        float[] theta = new float[11];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = i - 4.5f;
        }
        return new BlockPlaneProvider().create(Settings.of(settings)).plan(new ProbeInput(SUM, theta, List.of(), RunContext.quiet(5)));
    }

    @Test
    void theDirectionsLieInTheBlockWithItsNorm() {
        SurfacePlan p = plan(Map.of("block-plane.block", "1_W", "block-plane.grid", "5"));
        assertThat(p.points()).isEqualTo(25);
        assertThat(p.info()).containsEntry("block", "1_W").containsEntry("direction-seed", 5L);
        float[] d1 = p.directions().get(0).values();
        for (int k = 0; k < d1.length; k++) {
            assertThat(d1[k] != 0).as("entry %d", k).isEqualTo(k == 8 || k == 9);
        }
        double norm = Math.sqrt(d1[8] * d1[8] + d1[9] * d1[9]);
        assertThat(norm).isCloseTo(Math.sqrt(3.5 * 3.5 + 4.5 * 4.5), org.assertj.core.api.Assertions.within(1e-5));
        assertThat(plan(Map.of()).info()).as("the first weight block by default").containsEntry("block", "0_W");
    }

    @Test
    void badSettingsSayWhatIsWrong() {
        assertThatThrownBy(() -> plan(Map.of("block-plane.block", "2_W"))).isInstanceOf(LossSurfaceException.class)
                .hasMessage("block-plane.block is '2_W', but the model has no such parameter block. Its blocks: [0_W, 0_b, 1_W, 1_b].");
        assertThatThrownBy(() -> plan(Map.of("block-plane.grid", "1"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("block-plane.grid");
    }
}
