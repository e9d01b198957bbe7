package losssurface.plugin.probes;

import java.util.Locale;
import java.util.Random;
import java.util.Set;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.Settings;

/**
 * Random directions in parameter space, normalised against theta* as in Li et al. 2018
 * ("Visualizing the Loss Landscape of Neural Nets", section 4).
 */
final class Directions {

    /** How a Gaussian direction is scaled against theta*. */
    enum Norm {
        /** Each output neuron's (filter's) slice of d gets the norm of the same slice of theta*. */
        FILTER,
        /** Each weight block of d gets the norm of the same block of theta*. */
        LAYER,
        /** The raw Gaussian. */
        NONE;

        static Norm read(Settings settings, String key) {
            return valueOf(settings.choice(key, "filter", Set.of("filter", "layer", "none")).toUpperCase(Locale.ROOT));
        }

        String label() {
            return switch (this) {
                case FILTER -> "filter-normalised";
                case LAYER -> "layer-normalised";
                case NONE -> "not normalised";
            };
        }
    }

    private Directions() {
    }

    /** A Gaussian direction of {@code n} entries, the next {@code n} draws of {@code random}. */
    static float[] gaussian(int n, Random random) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) random.nextGaussian();
        }
        return d;
    }

    /**
     * Scales {@code d} in place against {@code theta}. Bias blocks (and any other 1-D blocks marked
     * as biases) are zeroed unless {@code keepBiases}, in which case they take theta*'s values,
     * as loss-landscape's {@code normalize_directions_for_weights} does. State blocks (batch
     * normalisation's running statistics) are always zeroed.
     */
    static void normalise(float[] d, float[] theta, ParameterLayout layout, Norm norm, boolean keepBiases) {
        layout.clearState(d);
        for (ParameterBlock block : layout.blocks()) {
            if (block.kind() == ParameterBlock.Kind.STATE) {
                continue;
            }
            if (block.kind() == ParameterBlock.Kind.BIAS) {
                for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                    d[i] = keepBiases && norm != Norm.NONE ? theta[i] : keepBiases ? d[i] : 0f;
                }
                continue;
            }
            switch (norm) {
                case FILTER -> {
                    for (int j = 0; j < block.neurons(); j++) {
                        scale(d, theta, block.neuronIndices(j));
                    }
                }
                case LAYER -> {
                    int[] all = new int[block.length()];
                    for (int i = 0; i < all.length; i++) {
                        all[i] = block.offset() + i;
                    }
                    scale(d, theta, all);
                }
                case NONE -> {
                }
            }
        }
    }

    private static void scale(float[] d, float[] theta, int[] indices) {
        double dn = 0;
        double tn = 0;
        for (int i : indices) {
            dn += (double) d[i] * d[i];
            tn += (double) theta[i] * theta[i];
        }
        double factor = Math.sqrt(tn) / (Math.sqrt(dn) + 1e-10);
        for (int i : indices) {
            d[i] = (float) (d[i] * factor);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The cosine of the angle between {@code a} and {@code b} (0 when either is zero). */
    static double cosine(float[] a, float[] b) {
        double na = Math.sqrt(dot(a, a));
        double nb = Math.sqrt(dot(b, b));
        return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
    }

    /**
     * Removes from {@code d2} its component along {@code d1} (Gram-Schmidt), then rescales it to
     * its former length, so the grid's scale is unchanged.
     */
    static void orthogonalise(float[] d2, float[] d1) {
        double before = Math.sqrt(dot(d2, d2));
        double d11 = dot(d1, d1);
        if (d11 == 0) {
            return;
        }
        double k = dot(d2, d1) / d11;
        double[] r = new double[d2.length];
        double rn = 0;
        for (int i = 0; i < d2.length; i++) {
            r[i] = d2[i] - k * d1[i];
            rn += r[i] * r[i];
        }
        double factor = rn == 0 ? 0 : before / Math.sqrt(rn);
        for (int i = 0; i < d2.length; i++) {
            d2[i] = (float) (r[i] * factor);
        }
    }
}
