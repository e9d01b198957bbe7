package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;
import losssurface.api.Curvature;

/**
 * The curvature at theta* ({@link Curvature}: the Hessian's top eigenvalues and eigenvectors by
 * Lanczos with full reorthogonalisation, its trace and each parameter block's by Hutchinson's
 * estimator, its spectral density), and the loss on the plane of the two top eigenvectors (unit
 * directions). The measurement goes into the surface's info under {@link Surface#CURVATURE}, for
 * the run's analysis stage to write ({@code surface.json}'s {@code "curvature"}, {@code eigenvectors.npy},
 * {@code esd.npy}).
 */
final class HessianProbe implements SurfaceProbe {

    /**
     * @param grid      {@code hessian.grid}, default 51x51
     * @param xRange    {@code hessian.x-range}, default -1:1 (along the unit eigenvector 1)
     * @param yRange    {@code hessian.y-range}, default -1:1
     * @param curvature {@code hessian.iterations}, {@code .k}, {@code .trace-samples}, {@code .trace-tolerance},
     *                  {@code .density}, {@code .step}, {@code .products}, {@code .seed} ({@link Curvature.Config#read})
     */
    record Config(GridSpec grid, Settings.Range xRange, Settings.Range yRange, Curvature.Config curvature) {
        Config {
            if (curvature.k() < 2) {
                throw new losssurface.api.SettingsException("hessian.k must be at least 2 (the plane takes the top two"
                        + " eigenvectors), was " + curvature.k() + ".");
            }
        }
    }

    /** The setting prefix of the measurement. */
    static final String PREFIX = "hessian";

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
        float[] theta = input.centre();
        int n = theta.length;
        Curvature.Result measured = Curvature.measure(objective, theta, config.curvature(), input.context().seed(),
                input.context().progress(), PREFIX + ".products");
        float[][] vectors = new float[2][];
        for (int j = 0; j < 2; j++) {
            vectors[j] = new float[n];
            if (j < measured.eigenvalues().length) {
                for (int i = 0; i < n; i++) {
                    vectors[j][i] = (float) measured.eigenvectors()[j][i];
                }
            }
        }
        double[] values = measured.eigenvalues();
        double[] lambdas = {values[0], values.length > 1 ? values[1] : Double.NaN};
        double[] alphas = config.xRange().linspace(config.grid().xPoints());
        double[] betas = config.yRange().linspace(config.grid().yPoints());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", "hessian");
        info.put("algorithm", "Lanczos with full reorthogonalisation (" + measured.steps() + " steps)"
                + (measured.trace() != null ? "; Hutchinson's trace with Rademacher vectors" : ""));
        info.put("eigenvalues", List.of(lambdas[0], lambdas[1]));
        info.put(Surface.CURVATURE, measured);
        info.put("products", measured.method().startsWith("exact") ? "exact" : "differences");
        if (!measured.method().startsWith("exact")) {
            info.put("finite-difference-step", config.curvature().step());
        }
        info.put("seed", config.curvature().seed().orElse(input.context().seed()));
        info.put("grid", config.grid().toString());
        info.put("x-range", config.xRange().toString());
        info.put("y-range", config.yRange().toString());
        info.put("direction-cosine", Directions.cosine(vectors[0], vectors[1]));
        return new SurfacePlan(theta, List.of(new Axis("alpha", String.format(Locale.ROOT, "Hessian eigenvector 1 (lambda %.4g)", lambdas[0]), alphas),
                        new Axis("beta", String.format(Locale.ROOT, "Hessian eigenvector 2 (lambda %.4g)", lambdas[1]), betas)),
                List.of(new Direction("direction-1", vectors[0]), new Direction("direction-2", vectors[1])), List.of(), info);
    }
}
