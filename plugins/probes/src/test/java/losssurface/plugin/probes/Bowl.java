package losssurface.plugin.probes;

import java.util.List;

import losssurface.api.Objective;
import losssurface.api.ParameterLayout;

/** f(theta) = 1/2 sum c_i (theta_i - m_i)^2 and a second metric, the squared distance to m. */
record Bowl(ParameterLayout layout, double[] c, double[] m) implements Objective {

    @Override
    public List<String> metrics() {
        return List.of("loss", "distance2");
    }

    @Override
    public double[] evaluate(float[] p) {
        double f = 0;
        double d = 0;
        for (int i = 0; i < p.length; i++) {
            double x = p[i] - m[i];
            f += 0.5 * c[i] * x * x;
            d += x * x;
        }
        return new double[] {f, d};
    }

    @Override
    public boolean hasGradient() {
        return true;
    }

    @Override
    public float[] gradient(float[] p) {
        float[] g = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = (float) (c[i] * (p[i] - m[i]));
        }
        return g;
    }

    /** The exact value of f at centre + a d1 + b d2, in double. */
    double exact(float[] centre, float[] d1, double a, float[] d2, double b) {
        double f = 0;
        for (int i = 0; i < centre.length; i++) {
            double x = centre[i] + a * d1[i] + (d2 == null ? 0 : b * d2[i]) - m[i];
            f += 0.5 * c[i] * x * x;
        }
        return f;
    }
}
