package losssurface.plugin.qlearning;

import losssurface.nn.dense.DenseTrainer;

/**
 * Online Q-learning with a network: every step one Adam step on the squared TD error of the
 * transition just taken, (r + gamma max_a' Q_theta(s', a') - Q_theta(s, a))^2, with the target
 * computed from the current parameters and held fixed for the step (the usual semi-gradient).
 * No replay memory, no target network.
 */
final class OnlineLearner implements Learner {

    private final DenseTrainer net;
    private final double gamma;
    private final int obs;
    private final int actions;
    private final float[] pair;
    private final int[] taken = new int[1];
    private final double[] dOut = new double[1];

    OnlineLearner(DenseTrainer net, double gamma) {
        this.net = net;
        this.gamma = gamma;
        this.obs = net.inputs();
        this.actions = net.outputs();
        this.pair = new float[2 * obs];
    }

    @Override
    public double learn(float[] state, int action, double reward, float[] next, boolean terminated) {
        System.arraycopy(state, 0, pair, 0, obs);
        System.arraycopy(next, 0, pair, obs, obs);
        float[] q = net.forward(pair, 2); // row 0: Q(s), row 1: Q(s')
        double best = q[actions];
        for (int a = 1; a < actions; a++) {
            best = Math.max(best, q[actions + a]);
        }
        double y = reward + (terminated ? 0 : gamma * best);
        double delta = y - q[action];
        taken[0] = action;
        dOut[0] = -2 * delta;
        net.backward(1, taken, dOut); // row 0 of the forward pass above
        net.adamStep();
        return delta * delta;
    }
}
