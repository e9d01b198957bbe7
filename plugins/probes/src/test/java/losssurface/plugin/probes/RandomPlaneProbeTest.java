package losssurface.plugin.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.SettingsException;
import losssurface.api.Surface;

class RandomPlaneProbeTest {

    /** A two-layer network shape: W0 [3 x 4] f-order, b0 [4], W1 [4 x 2], b1 [2]. */
    static final ParameterLayout NET = new ParameterLayout(List.of(
            ParameterBlock.denseWeights(0, 3, 4, 0, "relu"),
            ParameterBlock.bias(0, 4, 12, "relu"),
            ParameterBlock.denseWeights(1, 4, 2, 16, "softmax"),
            ParameterBlock.bias(1, 2, 24, "softmax")));

    static float[] theta(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) (r.nextGaussian() * (1 + i % 3));
        }
        return t;
    }

    static Bowl bowl(ParameterLayout layout) {
        int n = layout.size();
        double[] c = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 1 + i % 5;
            m[i] = 0.1 * (i % 7) - 0.3;
        }
        return new Bowl(layout, c, m);
    }

    static Surface probe(String name, Map<String, String> settings, Bowl bowl, float[] centre) {
        return Probes.run(name, settings, bowl, centre, List.of(), 7);
    }

    @Test
    void everyCellEqualsTheBowlInClosedFormAtItsCoordinates() {
        Bowl bowl = bowl(NET);
        float[] centre = theta(NET.size(), 1);
        Surface s = probe("random-plane", Map.of("plane.grid", "7x5", "plane.x-range", "-2:1", "plane.y-range", "-1:3"), bowl, centre);

        double[] alphas = s.axes().get(0).values();
        double[] betas = s.axes().get(1).values();
        assertThat(alphas).hasSize(7).startsWith(-2.0).endsWith(1.0);
        assertThat(betas).hasSize(5).containsExactly(-1, 0, 1, 2, 3);
        float[] d1 = s.directions().get(0).values();
        float[] d2 = s.directions().get(1).values();
        for (int i = 0; i < alphas.length; i++) {
            for (int j = 0; j < betas.length; j++) {
                double exact = bowl.exact(centre, d1, alphas[i], d2, betas[j]);
                assertThat(s.value("loss", i, j)).as("cell %d,%d", i, j).isCloseTo(exact, within(1e-5 * (1 + exact)));
                assertThat(s.grid("loss")[i * betas.length + j]).isEqualTo(s.value("loss", i, j));
            }
        }
        assertThat(s.metrics()).containsExactly("loss", "distance2");
    }

    @Test
    void alongUnnormalisedDirectionsTheSurfaceIsTheKnownQuadratic() {
        // f(theta) = 1/2 |theta|^2 around theta* = 0 ... shifted: centre c, f(c + a d1 + b d2) expands to
        // f(c) + a g.d1 + b g.d2 + 1/2 (a^2 |d1|^2 + 2ab d1.d2 + b^2 |d2|^2) with g = c for the unit bowl.
        int n = 40;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        Bowl unit = new Bowl(ParameterLayout.flat(n), ones, new double[n]);
        float[] c = theta(n, 3);
        Surface s = probe("random-plane", Map.of("plane.grid", "5", "plane.norm", "none"), unit, c);
        float[] d1 = s.directions().get(0).values();
        float[] d2 = s.directions().get(1).values();
        double cc = Directions.dot(c, c);
        double c1 = Directions.dot(c, d1);
        double c2 = Directions.dot(c, d2);
        double d11 = Directions.dot(d1, d1);
        double d22 = Directions.dot(d2, d2);
        double d12 = Directions.dot(d1, d2);
        double[] as = s.axes().get(0).values();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double a = as[i];
                double b = as[j];
                double expected = 0.5 * cc + a * c1 + b * c2 + 0.5 * (a * a * d11 + 2 * a * b * d12 + b * b * d22);
                assertThat(s.value("loss", i, j)).isCloseTo(expected, within(1e-4));
            }
        }
        // raw Gaussian directions of 40 entries: squared norm near 40
        assertThat(d11).isBetween(15.0, 70.0);
    }

    @Test
    void filterNormalisationGivesEachNeuronTheNormOfItsWeightsInThetaStar() {
        float[] centre = theta(NET.size(), 2);
        Surface s = probe("random-plane", Map.of("plane.grid", "3"), bowl(NET), centre);
        for (float[] d : List.of(s.directions().get(0).values(), s.directions().get(1).values())) {
            for (ParameterBlock block : NET.blocks()) {
                if (block.kind() == ParameterBlock.Kind.BIAS) {
                    for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                        assertThat(d[i]).as("bias entries are zeroed by default").isZero();
                    }
                    continue;
                }
                for (int j = 0; j < block.neurons(); j++) {
                    double dn = 0;
                    double tn = 0;
                    for (int idx : block.neuronIndices(j)) {
                        dn += d[idx] * d[idx];
                        tn += centre[idx] * centre[idx];
                    }
                    assertThat(Math.sqrt(dn)).as("neuron %d of %s", j, block.name()).isCloseTo(Math.sqrt(tn), within(1e-5));
                }
            }
        }
        // neuron j of a [nIn, nOut] f-order block is the contiguous column j
        assertThat(NET.blocks().get(0).neuronIndices(2)).containsExactly(6, 7, 8);
    }

    @Test
    void layerNormalisationAndKeptBiases() {
        float[] centre = theta(NET.size(), 4);
        Surface s = probe("random-plane", Map.of("plane.grid", "3", "plane.norm", "layer", "plane.bias", "keep"), bowl(NET), centre);
        float[] d = s.directions().get(0).values();
        for (ParameterBlock block : NET.blocks()) {
            double dn = 0;
            double tn = 0;
            for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                dn += d[i] * d[i];
                tn += centre[i] * centre[i];
                if (block.kind() == ParameterBlock.Kind.BIAS) {
                    assertThat(d[i]).isEqualTo(centre[i]);
                }
            }
            assertThat(Math.sqrt(dn)).isCloseTo(Math.sqrt(tn), within(1e-5));
        }
    }

    @Test
    void reportsTheCosineAndOrthogonalisesOnRequest() {
        float[] centre = theta(NET.size(), 5);
        Surface plain = probe("random-plane", Map.of("plane.grid", "3"), bowl(NET), centre);
        double cos = (double) plain.info().get("direction-cosine");
        assertThat(cos).isCloseTo(Directions.cosine(plain.directions().get(0).values(), plain.directions().get(1).values()), within(1e-12));
        assertThat(Math.abs(cos)).isGreaterThan(1e-6);

        Surface orth = probe("random-plane", Map.of("plane.grid", "3", "plane.orthogonalize", "true"), bowl(NET), centre);
        assertThat((double) orth.info().get("direction-cosine")).isCloseTo(0, within(1e-6));
        assertThat(orth.info().get("direction-cosine-before-orthogonalization")).isEqualTo(cos);
        float[] d2 = orth.directions().get(1).values();
        float[] d2plain = plain.directions().get(1).values();
        assertThat(Directions.dot(d2, d2)).isCloseTo(Directions.dot(d2plain, d2plain), within(1e-3));
    }

    @Test
    void sameSeedSameSurfaceOtherSeedOtherDirections() {
        float[] centre = theta(NET.size(), 6);
        Surface a = probe("random-plane", Map.of("plane.grid", "4"), bowl(NET), centre);
        Surface b = probe("random-plane", Map.of("plane.grid", "4"), bowl(NET), centre);
        Surface c = probe("random-plane", Map.of("plane.grid", "4", "plane.seed", "99"), bowl(NET), centre);
        assertThat(a).isEqualTo(b);
        assertThat(c.directions().get(0).values()).isNotEqualTo(a.directions().get(0).values());
        assertThat(c.info().get("direction-seed")).isEqualTo(99L);
        assertThat(a.info().get("direction-seed")).isEqualTo(7L);
    }

    @Test
    void defaultGridIs51By51OverMinusOneToOne() {
        float[] centre = theta(NET.size(), 8);
        Surface s = probe("random-plane", Map.of(), bowl(NET), centre);
        assertThat(s.axes().get(0).values()).hasSize(51).startsWith(-1.0).endsWith(1.0);
        assertThat(s.axes().get(1).values()).hasSize(51);
        assertThat(s.value("loss", 25, 25)).isCloseTo(bowl(NET).evaluate(centre)[0], within(1e-9));
    }

    @Test
    void badSettingsNameTheSettingAndTheAllowedRange() {
        Bowl bowl = bowl(NET);
        float[] c = theta(NET.size(), 9);
        assertThatThrownBy(() -> probe("random-plane", Map.of("plane.grid", "0"), bowl, c))
                .isInstanceOf(SettingsException.class).hasMessage("plane.grid points per axis must be between 2 and 10001, was 0.");
        assertThatThrownBy(() -> probe("random-plane", Map.of("plane.grid", "ten"), bowl, c))
                .hasMessageContaining("plane.grid must be N or NxM");
        assertThatThrownBy(() -> probe("random-plane", Map.of("plane.x-range", "NaN:1"), bowl, c))
                .hasMessageContaining("plane.x-range bounds must be finite");
        assertThatThrownBy(() -> probe("random-plane", Map.of("plane.y-range", "1:-1"), bowl, c))
                .hasMessageContaining("plane.y-range must have min < max");
        assertThatThrownBy(() -> probe("random-plane", Map.of("plane.norm", "filtr"), bowl, c))
                .hasMessageContaining("plane.norm must be one of filter, layer, none");
        assertThatThrownBy(() -> probe("random-line", Map.of("line.points", "1"), bowl, c))
                .hasMessageContaining("line.points must be between 2");
    }

    @Test
    void theEvaluatorIsChosenBySettingAndRecorded() {
        float[] centre = theta(NET.size(), 11);
        Surface fast = probe("random-plane", Map.of("plane.grid", "3"), bowl(NET), centre);
        Surface plain = probe("random-plane", Map.of("plane.grid", "3", "surface.evaluator", "plain"), bowl(NET), centre);
        // no evaluator installed here is made for the bowl: the fastest that applies is the plain one
        assertThat(fast.info()).containsEntry("evaluator", "plain").doesNotContainKey("evaluator-note");
        assertThat(plain.grid("loss")).isEqualTo(fast.grid("loss"));
        assertThatThrownBy(() -> probe("random-plane", Map.of("surface.evaluator", "turbo"), bowl(NET), centre))
                .hasMessage("surface.evaluator must be fast (the fastest that applies), or one of [plain], was 'turbo'.");
    }

    @Test
    void theLineFollowsTheFirstPlaneDirection() {
        Bowl bowl = bowl(NET);
        float[] centre = theta(NET.size(), 10);
        Surface line = probe("random-line", Map.of("line.points", "11", "line.range", "-0.5:0.5"), bowl, centre);
        Surface plane = probe("random-plane", Map.of("plane.grid", "3"), bowl, centre);
        assertThat(line.axes()).hasSize(1);
        assertThat(line.directions().get(0).values()).isEqualTo(plane.directions().get(0).values());
        float[] d = line.directions().get(0).values();
        double[] as = line.axes().get(0).values();
        assertThat(as).hasSize(11);
        for (int i = 0; i < as.length; i++) {
            double exact = bowl.exact(centre, d, as[i], null, 0);
            assertThat(line.value("loss", i, 0)).isCloseTo(exact, within(1e-5 * (1 + exact)));
        }
    }
}
