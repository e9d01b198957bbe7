package losssurface.nn.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each activation has one value and one derivative, and they agree. */
class ActivationTest {

    @Test
    void eachActivationsDerivativeMatchesFiniteDifferences() {
        float[] zs = {-1.5f, -0.2f, 0.3f, 2.0f};
        for (Activation f : Activation.values()) {
            float[] out = zs.clone();
            f.apply(out, out.length);
            float[] g = {1, 1, 1, 1};
            f.derivativeAtOutput(g, out, g.length);
            for (int k = 0; k < zs.length; k++) {
                double numeric = (f.apply(zs[k] + 1e-4) - f.apply(zs[k] - 1e-4)) / 2e-4;
                assertThat((double) g[k]).as("%s at %s", f, zs[k]).isCloseTo(numeric, within(1e-3));
            }
        }
    }
}
