package losssurface.nn.dense;

/**
 * Adam as DL4J's {@code AdamUpdater} computes it, over a flat parameter vector: beta1 0.9, beta2
 * 0.999, epsilon 1e-8 (DL4J's defaults), the step size {@code lr sqrt(1 - beta2^t) / (1 - beta1^t)}
 * in double and the moments in float. Not thread-safe.
 */
final class Adam {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final double learningRate;
    private final float[] m;
    private final float[] v;
    private long t;

    Adam(double learningRate, int parameters) {
        this.learningRate = learningRate;
        this.m = new float[parameters];
        this.v = new float[parameters];
    }

    double learningRate() {
        return learningRate;
    }

    /** One step of {@code params} along {@code grad} (both of the length given at construction). */
    void step(float[] params, float[] grad) {
        t++;
        double alpha = learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        for (int k = 0; k < params.length; k++) {
            float g = grad[k];
            float mk = b1 * m[k] + (1 - b1) * g;
            float vk = b2 * v[k] + (1 - b2) * g * g;
            m[k] = mk;
            v[k] = vk;
            params[k] -= (float) (alpha * mk / (Math.sqrt(vk) + EPSILON));
        }
    }
}
