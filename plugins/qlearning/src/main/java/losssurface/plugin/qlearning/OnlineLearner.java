package losssurface.plugin.qlearning;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Online Q-learning with a network: every step one gradient step on the squared TD error of the
 * transition just taken, towards r + gamma max_a' Q_theta(s', a') computed with the current
 * parameters. No replay memory, no target network.
 */
final class OnlineLearner implements Learner {

    private final MultiLayerNetwork net;
    private final double gamma;
    private final int obs;
    private final int actions;
    private final float[] pair;
    private final float[] target;

    OnlineLearner(MultiLayerNetwork net, double gamma, int observations, int actions) {
        this.net = net;
        this.gamma = gamma;
        this.obs = observations;
        this.actions = actions;
        this.pair = new float[2 * observations];
        this.target = new float[actions];
    }

    @Override
    public double learn(float[] state, int action, double reward, float[] next, boolean terminated) {
        System.arraycopy(state, 0, pair, 0, obs);
        System.arraycopy(next, 0, pair, obs, obs);
        INDArray in = Nd4j.create(pair, new long[] {2, obs}, DataType.FLOAT);
        INDArray out = net.output(in, false);
        float[] q = out.dup('c').data().asFloat();
        out.close();
        double best = q[actions];
        for (int a = 1; a < actions; a++) {
            best = Math.max(best, q[actions + a]);
        }
        double y = reward + (terminated ? 0 : gamma * best);
        double delta = y - q[action];
        System.arraycopy(q, 0, target, 0, actions);
        target[action] = (float) y;
        INDArray s = in.getRow(0, true).dup();
        INDArray labels = Nd4j.create(target, new long[] {1, actions}, DataType.FLOAT);
        net.fit(s, labels);
        in.close();
        s.close();
        labels.close();
        return delta * delta;
    }
}
