package losssurface.plugin.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Surface;

/**
 * State blocks (batch normalisation's running mean and variance) are never moved: every probe's
 * directions are zero on them, whatever {@code *.bias} says.
 */
class StateBlocksTest {

    /** A dense layer, then a batch normalisation: scale and shift (biases), running mean and variance (state). */
    static final ParameterLayout BN = new ParameterLayout(List.of(
            ParameterBlock.denseWeights(0, 3, 4, 0, "identity"),
            ParameterBlock.bias(0, 4, 12, "identity"),
            new ParameterBlock("1_gamma", 1, ParameterBlock.Kind.BIAS, new int[] {4}, 16, 'f', 0, ""),
            new ParameterBlock("1_beta", 1, ParameterBlock.Kind.BIAS, new int[] {4}, 20, 'f', 0, ""),
            new ParameterBlock("1_mean", 1, ParameterBlock.Kind.STATE, new int[] {4}, 24, 'f', 0, ""),
            new ParameterBlock("1_var", 1, ParameterBlock.Kind.STATE, new int[] {4}, 28, 'f', 0, "")));

    static void assertStateIsZero(Surface s, String what) {
        for (var d : s.directions()) {
            assertThat(Arrays.copyOfRange(d.values(), 24, 32)).as(what + ": " + d.name() + " on the running statistics")
                    .containsOnly(0f);
            assertThat(Arrays.copyOfRange(d.values(), 0, 12)).as(what + ": " + d.name() + " on the weights")
                    .isNotEqualTo(new float[12]);
        }
    }

    @Test
    void randomDirectionsNeverMoveStateWhateverTheBiasSettingSays() {
        Bowl bowl = RandomPlaneProbeTest.bowl(BN);
        float[] centre = RandomPlaneProbeTest.theta(BN.size(), 3);
        for (String bias : List.of("zero", "keep")) {
            for (String norm : List.of("filter", "layer", "none")) {
                Surface plane = RandomPlaneProbeTest.probe("random-plane",
                        Map.of("plane.grid", "3", "plane.bias", bias, "plane.norm", norm), bowl, centre);
                assertStateIsZero(plane, "random-plane, plane.bias=" + bias + ", plane.norm=" + norm);
                if (bias.equals("keep") && !norm.equals("none")) {
                    assertThat(Arrays.copyOfRange(plane.directions().get(0).values(), 16, 24))
                            .as("kept biases take theta*'s values").isEqualTo(Arrays.copyOfRange(centre, 16, 24));
                }
            }
        }
        assertStateIsZero(RandomPlaneProbeTest.probe("random-line", Map.of("line.points", "3", "line.bias", "keep"), bowl, centre),
                "random-line");
    }

    @Test
    void hessianEigenvectorsAndTrainingPathDirectionsLeaveStateAlone() {
        Bowl bowl = RandomPlaneProbeTest.bowl(BN);
        float[] centre = RandomPlaneProbeTest.theta(BN.size(), 4);
        assertStateIsZero(RandomPlaneProbeTest.probe("hessian", Map.of("hessian.grid", "3", "hessian.iterations", "20"), bowl, centre),
                "hessian");
        List<float[]> path = new ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        for (int c = 0; c < 5; c++) {
            float[] p = centre.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] += (float) (r.nextGaussian() * (5 - c)); // the running statistics change along the path too
            }
            path.add(p);
        }
        assertStateIsZero(Probes.run("trajectory-pca", Map.of("pca.grid", "3"), bowl, centre, path, 7), "trajectory-pca");
    }
}
