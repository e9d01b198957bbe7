package losssurface.plugin.probes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.Settings;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;

/**
 * Li et al. 2018, section 7: the displacements of the training checkpoints from theta*, their two
 * principal components (PCA with mean removal, as loss-landscape does with scikit-learn) as unit
 * directions, and the training path projected onto them as the surface's trajectory. Axis
 * labels carry each component's share of the variance.
 */
final class TrajectoryPcaProbe implements SurfaceProbe {

    /**
     * @param grid   {@code pca.grid}, default 51x51
     * @param xRange {@code pca.x-range}: min:max, or empty for auto (the path's extent plus the margin)
     * @param yRange {@code pca.y-range}: likewise
     * @param margin {@code pca.margin}: how far past the path the auto range reaches, as a fraction (default 0.3)
     */
    record Config(GridSpec grid, Optional<Settings.Range> xRange, Optional<Settings.Range> yRange, double margin) {
    }

    private final Config config;

    TrajectoryPcaProbe(Config config) {
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
        List<float[]> checkpoints = input.checkpoints();
        if (checkpoints.size() < 3) {
            throw new LossSurfaceException("trajectory-pca needs at least 3 training checkpoints, this model has "
                    + checkpoints.size() + ". Train for more epochs (or steps), or use random-plane.");
        }
        int n = checkpoints.size();
        int p = theta.length;
        double[][] disp = new double[n][p];
        double[] mean = new double[p];
        // state (batch normalisation's running statistics) is not a parameter: its changes are left out
        float[] moves = objective.layout().clearState(filled(p));
        for (int i = 0; i < n; i++) {
            float[] c = checkpoints.get(i);
            for (int j = 0; j < p; j++) {
                disp[i][j] = moves[j] * ((double) c[j] - theta[j]);
                mean[j] += disp[i][j] / n;
            }
        }
        double[][] gram = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    s += (disp[a][j] - mean[j]) * (disp[b][j] - mean[j]);
                }
                gram[a][b] = s;
                gram[b][a] = s;
            }
        }
        SymmetricEigen eigen = new SymmetricEigen(gram);
        double total = 0;
        for (double v : eigen.values) {
            total += Math.max(0, v);
        }
        if (!(eigen.values[1] > 1e-12 * Math.max(1, eigen.values[0]))) {
            throw new LossSurfaceException("trajectory-pca: the training path spans fewer than two dimensions "
                    + "(the checkpoints lie on a line). Use random-plane or interpolate.");
        }
        float[][] directions = new float[2][p];
        for (int k = 0; k < 2; k++) {
            double[] u = eigen.vectors[k];
            double[] dir = new double[p];
            double norm = 0;
            for (int j = 0; j < p; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += u[i] * (disp[i][j] - mean[j]);
                }
                dir[j] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < p; j++) {
                directions[k][j] = (float) (dir[j] / norm);
            }
        }
        List<double[]> path = new ArrayList<>();
        double maxA = 0;
        double maxB = 0;
        for (int i = 0; i < n; i++) {
            double a = 0;
            double b = 0;
            for (int j = 0; j < p; j++) {
                a += disp[i][j] * directions[0][j];
                b += disp[i][j] * directions[1][j];
            }
            path.add(new double[] {a, b});
            maxA = Math.max(maxA, Math.abs(a));
            maxB = Math.max(maxB, Math.abs(b));
        }
        final double extentA = maxA;
        final double extentB = maxB;
        Settings.Range xr = config.xRange().orElseGet(() -> auto(extentA));
        Settings.Range yr = config.yRange().orElseGet(() -> auto(extentB));
        double[] alphas = xr.linspace(config.grid().xPoints());
        double[] betas = yr.linspace(config.grid().yPoints());
        Map<String, Object> info = new LinkedHashMap<>();

        double r1 = eigen.values[0] / total;
        double r2 = eigen.values[1] / total;
        info.put("method", "trajectory-pca");
        info.put("checkpoints", n);
        info.put("explained-variance", List.of(r1, r2));
        info.put("pca-centered", true);
        info.put("grid", config.grid().toString());
        info.put("x-range", xr.toString());
        info.put("y-range", yr.toString());
        info.put("direction-cosine", Directions.cosine(directions[0], directions[1]));
        return new SurfacePlan(theta, List.of(new Axis("alpha", String.format(Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * r1), alphas),
                        new Axis("beta", String.format(Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * r2), betas)),
                List.of(new Direction("direction-1", directions[0]), new Direction("direction-2", directions[1])), path, info);
    }

    private Settings.Range auto(double extent) {
        double r = extent > 0 ? extent * (1 + config.margin()) : 1;
        return new Settings.Range(-r, r);
    }

    /** {@code n} ones. */
    private static float[] filled(int n) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }
}
