package losssurface.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The two ways of giving ONNX Runtime a point's parameters, graph inputs of one session and initializers of a
 * session per point ({@link OnnxObjective.Feeding}), score the same points alike.
 */
class OnnxFeedingTest {

    @Test
    void parametersFedAsInputsOrCompiledInScoreTheSamePoints() {
        for (String[] c : new String[][] {{"mlp", "mlp"}, {"cnn", "cnn.npz"}, {"regressor", "regressor-x.npy"}}) {
            try (OnnxObjective o = OnnxObjectiveTest.objective(c[0], c[1], OnnxLoss.AUTO);
                 OnnxObjective.Worker inputs = o.worker(OnnxObjective.Feeding.INPUTS);
                 OnnxObjective.Worker compiled = o.worker(OnnxObjective.Feeding.COMPILED)) {
                float[] centre = OnnxModel.load(OnnxObjectiveTest.MODELS.resolve(c[0] + ".onnx")).parameters();
                java.util.Random random = new java.util.Random(3);
                for (int point = 0; point < 3; point++) {
                    float[] p = centre.clone();
                    for (int i = 0; i < p.length; i++) {
                        p[i] += (float) (0.1 * point * random.nextGaussian() * Math.abs(p[i]));
                    }
                    double[] a = inputs.evaluate(p);
                    double[] b = compiled.evaluate(p);
                    for (int m = 0; m < a.length; m++) {
                        assertThat(b[m]).as(c[0] + " point " + point + " metric " + m).isCloseTo(a[m], within(1e-6 * Math.max(1, Math.abs(a[m]))));
                    }
                }
            }
        }
    }
}
