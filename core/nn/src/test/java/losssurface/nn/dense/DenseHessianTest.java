package losssurface.nn.dense;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import losssurface.api.curvature.Hutchinson;
import losssurface.api.curvature.Lanczos;

/**
 * The dense engine's exact Hessian-vector products against PyTorch autograd's (committed values of
 * {@code core/nn/make_hessian_reference.py}, in float64) and against central differences of its
 * own gradient; Lanczos and Hutchinson on it against autograd's full Hessian.
 */
class DenseHessianTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> reference() throws IOException {
        try (InputStream in = DenseHessianTest.class.getResourceAsStream("hessian-reference.json")) {
            return new ObjectMapper().readValue(in, Map.class);
        }
    }

    static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    static float[] floats(Object list) {
        double[] d = doubles(list);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static double relative(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }

    /** The reference network as DL4J builds it: tanh, sigmoid, softmax with MCXENT. */
    static MultiLayerNetwork referenceNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** The reference network's exact products at the reference parameters, over the reference examples, in double. */
    static DenseHessian referenceHessian(Map<String, Object> ref) {
        return referenceHessian(ref, DenseHessian.Precision.DOUBLE);
    }

    static DenseHessian referenceHessian(Map<String, Object> ref, DenseHessian.Precision precision) {
        MultiLayerNetwork net = referenceNetwork();
        float[] x = floats(ref.get("x"));
        return new DenseHessian(DenseNet.of(net), doubles(ref.get("params")), x, floats(ref.get("y")), x.length / 6, true, precision);
    }

    @Test
    void productsAreAutogradsDoubleBackward() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian h = referenceHessian(ref);
        assertThat(h.loss()).isCloseTo(((Number) ref.get("loss")).doubleValue(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(relative(h.gradient(), doubles(ref.get("gradient")))).isLessThan(1e-10);
        double[] hv = new double[h.dimension()];
        h.apply(doubles(ref.get("v")), hv);
        assertThat(relative(hv, doubles(ref.get("hv")))).isLessThan(1e-10); // 1e-5 asked; both are float64 of the same point
    }

    @Test
    void aNetworkObjectiveOffersTheExactProducts() throws IOException {
        Map<String, Object> ref = reference();
        MultiLayerNetwork net = referenceNetwork();
        float[] x = floats(ref.get("x"));
        float[] y = floats(ref.get("y"));
        int n = x.length / 6;
        losssurface.nn.NetworkObjective objective = losssurface.nn.NetworkObjective.of(net,
                new org.nd4j.linalg.dataset.DataSet(Nd4j.create(x, new long[] {n, 6}, 'c'), Nd4j.create(y, new long[] {n, 3}, 'c')),
                "the reference examples");
        losssurface.api.curvature.HessianOperator h = objective.hessian(floats(ref.get("params"))).orElseThrow();
        double[] hv = new double[h.dimension()];
        h.apply(doubles(ref.get("v")), hv);
        // the objective's products are float32 (as PyTorch's): the 1e-5 the issue asks; the double ones above meet 1e-10
        assertThat(relative(hv, doubles(ref.get("hv")))).isLessThan(1e-5);
        assertThat(h.method()).startsWith("exact").contains("float32");
    }

    @Test
    void productsAreCentralDifferencesOfTheGradient() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian h = referenceHessian(ref);
        double[] theta = doubles(ref.get("params"));
        float[] x = floats(ref.get("x"));
        float[] y = floats(ref.get("y"));
        double[] v = doubles(ref.get("v"));
        double step = 1e-5;
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        for (int i = 0; i < theta.length; i++) {
            plus[i] += step * v[i];
            minus[i] -= step * v[i];
        }
        DenseNet shape = h.shape();
        double[] gp = new DenseHessian(shape, plus, x, y, x.length / 6, true, DenseHessian.Precision.DOUBLE).gradient();
        double[] gm = new DenseHessian(shape, minus, x, y, x.length / 6, true, DenseHessian.Precision.DOUBLE).gradient();
        double[] fd = new double[theta.length];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (gp[i] - gm[i]) / (2 * step);
        }
        double[] hv = new double[h.dimension()];
        h.apply(v, hv);
        assertThat(relative(hv, fd)).isLessThan(1e-7);
    }

    @Test
    void lanczosAndHutchinsonMatchTheFullHessian() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian h = referenceHessian(ref);
        double[] exact = doubles(ref.get("eigenvalues"));
        Lanczos.Top top = Lanczos.top(h, 5, 40, 3);
        for (int k = 0; k < 5; k++) {
            assertThat(top.values()[k]).isCloseTo(exact[k], org.assertj.core.data.Offset.offset(1e-4 * Math.abs(exact[0])));
            // an eigenvector: H x = lambda x
            double[] hx = new double[h.dimension()];
            h.apply(top.vectors()[k], hx);
            double[] lx = top.vectors()[k].clone();
            for (int i = 0; i < lx.length; i++) {
                lx[i] *= top.values()[k];
            }
            assertThat(relative(hx, lx)).isLessThan(1e-3);
        }
        double trace = ((Number) ref.get("trace")).doubleValue();
        Hutchinson.Estimate estimate = Hutchinson.trace(h, new int[][] {{0, 35}, {35, 59}, {59, 74}}, 0.01, 10, 2000, 11);
        assertThat(Math.abs(estimate.trace() - trace)).isLessThan(3 * estimate.stderr());
        assertThat(estimate.blockTrace()[0] + estimate.blockTrace()[1] + estimate.blockTrace()[2])
                .isCloseTo(estimate.trace(), org.assertj.core.data.Offset.offset(1e-9 * Math.abs(trace)));
    }

    @Test
    void float32ProductsMeetAutogradTo1e5() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian h = referenceHessian(ref, DenseHessian.Precision.FLOAT);
        double[] hv = new double[h.dimension()];
        h.apply(doubles(ref.get("v")), hv);
        assertThat(relative(hv, doubles(ref.get("hv")))).isLessThan(1e-5);
        assertThat(relative(h.gradient(), doubles(ref.get("gradient")))).isLessThan(1e-5);
        Lanczos.Top top = Lanczos.top(h, 3, 40, 3);
        double[] exact = doubles(ref.get("eigenvalues"));
        for (int k = 0; k < 3; k++) {
            assertThat(top.values()[k]).isCloseTo(exact[k], org.assertj.core.data.Offset.offset(1e-4 * Math.abs(exact[0])));
        }
    }

    @Test
    void blocksOfExamplesAddUpToTheWholeSet() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian whole = referenceHessian(ref);
        float[] x = floats(ref.get("x"));
        DenseHessian blocks = new DenseHessian(whole.shape(), doubles(ref.get("params")), x, floats(ref.get("y")), x.length / 6, true, 7,
                DenseHessian.Precision.DOUBLE);
        double[] v = doubles(ref.get("v"));
        double[] a = new double[v.length];
        double[] b = new double[v.length];
        whole.apply(v, a);
        blocks.apply(v, b);
        assertThat(relative(b, a)).isLessThan(1e-13);
        assertThat(relative(blocks.gradient(), whole.gradient())).isLessThan(1e-13);
        assertThat(blocks.loss()).isCloseTo(whole.loss(), org.assertj.core.data.Offset.offset(1e-13));
    }

    @Test
    void squaredErrorOfAReluNetworkMatchesCentralDifferences() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        java.util.Random random = new java.util.Random(3);
        int n = 9;
        float[] x = new float[n * 4];
        float[] y = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian();
        }
        DenseNet shape = DenseNet.of(net);
        double[] theta = widen(net.params().toFloatVector());
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        DenseHessian h = new DenseHessian(shape, theta, x, y, n, false, 4, DenseHessian.Precision.DOUBLE);
        double step = 1e-6;
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        for (int i = 0; i < theta.length; i++) {
            plus[i] += step * v[i];
            minus[i] -= step * v[i];
        }
        double[] gp = new DenseHessian(shape, plus, x, y, n, false, DenseHessian.Precision.DOUBLE).gradient();
        double[] gm = new DenseHessian(shape, minus, x, y, n, false, DenseHessian.Precision.DOUBLE).gradient();
        double[] fd = new double[theta.length];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (gp[i] - gm[i]) / (2 * step);
        }
        double[] hv = new double[theta.length];
        h.apply(v, hv);
        assertThat(relative(hv, fd)).isLessThan(1e-6);
        // DL4J's own MSE gradient at the point (summed over examples: divided here)
        net.setInput(Nd4j.create(x, new long[] {n, 4}, 'c'));
        net.setLabels(Nd4j.create(y, new long[] {n, 2}, 'c'));
        net.computeGradientAndScore();
        double[] dl4j = widen(net.gradient().gradient().toFloatVector());
        for (int i = 0; i < dl4j.length; i++) {
            dl4j[i] /= n;
        }
        assertThat(relative(h.gradient(), dl4j)).isLessThan(1e-5);
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void theDensitysFirstTwoMomentsAreTheExactSpectrums() throws IOException {
        Map<String, Object> ref = reference();
        DenseHessian h = referenceHessian(ref);
        double[] exact = doubles(ref.get("eigenvalues"));
        int n = exact.length;
        double mean = java.util.Arrays.stream(exact).sum() / n;
        double square = java.util.Arrays.stream(exact).map(x -> x * x).sum() / n;
        // per start vector, the quadrature's moments are v^T H v / n and v^T H^2 v / n (Lanczos reproduces them from 2 steps):
        // unbiased estimates of the spectrum's; their mean over 300 vectors lies within 3 standard errors
        List<Lanczos.Quadrature> runs = Hutchinson.quadratures(h, 300, 8, 5);
        double[][] m = new double[2][runs.size()];
        for (int s = 0; s < runs.size(); s++) {
            Lanczos.Quadrature q = runs.get(s);
            for (int j = 0; j < q.nodes().length; j++) {
                m[0][s] += q.weights()[j] * q.nodes()[j];
                m[1][s] += q.weights()[j] * q.nodes()[j] * q.nodes()[j];
            }
        }
        double[] expected = {mean, square};
        for (int k = 0; k < 2; k++) {
            double avg = java.util.Arrays.stream(m[k]).average().orElseThrow();
            double var = java.util.Arrays.stream(m[k]).map(x -> (x - avg) * (x - avg)).sum() / (runs.size() - 1);
            assertThat(Math.abs(avg - expected[k])).isLessThan(3 * Math.sqrt(var / runs.size()));
        }
    }
}
