package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Progress;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;

/**
 * The two eigenvectors of the Hessian at theta* with the largest eigenvalues, found by power
 * iteration on Hessian-vector products (the second with the first deflated away), used as the
 * plane's unit directions. A Hessian-vector product is a central difference of gradients:
 * {@code H v ~ (g(theta + h v) - g(theta - h v)) / 2h}, exact for quadratics.
 *
 * <p>Power iteration converges to the eigenvalue of largest magnitude; at a minimum these are
 * the largest positive ones, the sharpest directions.
 */
final class HessianProbe implements SurfaceProbe {

    /**
     * @param grid       {@code hessian.grid}, default 51x51
     * @param xRange     {@code hessian.x-range}, default -1:1 (along the unit eigenvector 1)
     * @param yRange     {@code hessian.y-range}, default -1:1
     * @param iterations {@code hessian.iterations}: at most this many power steps per eigenvector (default 30)
     * @param tolerance  {@code hessian.tolerance}: stop when the eigenvalue changes by less than this, relatively (1e-4)
     * @param step       {@code hessian.step}: h of the finite difference, along a unit vector (default 0.01)
     * @param seed       {@code hessian.seed}: start vectors; default the run seed
     */
    record Config(GridSpec grid, Settings.Range xRange, Settings.Range yRange, int iterations, double tolerance,
                  double step, OptionalLong seed) {
    }

    private final Config config;

    HessianProbe(Config config) {
        this.config = config;
    }

    @Override
    public java.util.Optional<SurfaceSize> size() {
        return java.util.Optional.of(config.grid().size());
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        if (!objective.hasGradient()) {
            throw new LossSurfaceException("The hessian probe needs gradients, and this objective (" + objective.description()
                    + ") has none. Use random-plane, or an objective of a DL4J network.");
        }
        float[] theta = input.centre();
        long seed = config.seed().orElse(input.context().seed());
        Random random = new Random(seed);
        int[] used = new int[2];
        boolean[] converged = new boolean[2];
        double[] lambdas = new double[2];
        float[][] vectors = new float[2][];
        try (Progress.Meter meter = input.context().progress().meter("Hessian eigenvectors", 2L * config.iterations(), "iterations")) {
            for (int k = 0; k < 2; k++) {
                // the Hessian over the parameters: state (running statistics) is never moved
                float[] v = unit(objective.layout().clearState(Directions.gaussian(theta.length, random)));
                double lambda = Double.NaN;
                int it = 0;
                while (it < config.iterations()) {
                    if (k == 1) {
                        deflate(v, vectors[0]);
                    }
                    float[] hv = objective.layout().clearState(hessianVector(objective, theta, v));
                    double next = Directions.dot(v, hv);
                    it++;
                    meter.update((long) k * config.iterations() + it, String.format(Locale.ROOT, "lambda%d %.6g", k + 1, next));
                    float[] nv = unit(hv);
                    boolean settled = Math.abs(next - lambda) <= config.tolerance() * Math.abs(next);
                    lambda = next;
                    if (nv == null) {
                        break;
                    }
                    v = nv;
                    if (settled) {
                        converged[k] = true;
                        break;
                    }
                }
                if (k == 1) {
                    deflate(v, vectors[0]);
                    v = unit(v);
                }
                vectors[k] = v;
                lambdas[k] = lambda;
                used[k] = it;
            }
        }
        double[] alphas = config.xRange().linspace(config.grid().xPoints());
        double[] betas = config.yRange().linspace(config.grid().yPoints());
        Map<String, Object> info = new LinkedHashMap<>();

        info.put("method", "hessian");
        info.put("algorithm", "power iteration with deflation on finite-difference Hessian-vector products");
        info.put("eigenvalues", List.of(lambdas[0], lambdas[1]));
        info.put("iterations", List.of(used[0], used[1]));
        info.put("converged", List.of(converged[0], converged[1]));
        info.put("finite-difference-step", config.step());
        info.put("tolerance", config.tolerance());
        info.put("seed", seed);
        info.put("grid", config.grid().toString());
        info.put("x-range", config.xRange().toString());
        info.put("y-range", config.yRange().toString());
        info.put("direction-cosine", Directions.cosine(vectors[0], vectors[1]));
        return new SurfacePlan(theta, List.of(new Axis("alpha", String.format(Locale.ROOT, "Hessian eigenvector 1 (lambda %.4g)", lambdas[0]), alphas),
                        new Axis("beta", String.format(Locale.ROOT, "Hessian eigenvector 2 (lambda %.4g)", lambdas[1]), betas)),
                List.of(new Direction("direction-1", vectors[0]), new Direction("direction-2", vectors[1])), List.of(), info);
    }

    private float[] hessianVector(Objective objective, float[] theta, float[] v) {
        double h = config.step();
        float[] plus = new float[theta.length];
        float[] minus = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            plus[i] = (float) (theta[i] + h * v[i]);
            minus[i] = (float) (theta[i] - h * v[i]);
        }
        float[] gp = objective.gradient(plus);
        float[] gm = objective.gradient(minus);
        float[] out = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            out[i] = (float) ((gp[i] - (double) gm[i]) / (2 * h));
        }
        return out;
    }

    private static void deflate(float[] v, float[] against) {
        double k = Directions.dot(v, against);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] - k * against[i]);
        }
    }

    /** v scaled to unit length, or null when v is zero. */
    private static float[] unit(float[] v) {
        double n = Math.sqrt(Directions.dot(v, v));
        if (n == 0 || !Double.isFinite(n)) {
            return null;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }
}
