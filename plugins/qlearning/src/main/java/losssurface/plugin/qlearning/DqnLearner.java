package losssurface.plugin.qlearning;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DQN (Mnih et al. 2015): transitions go into a replay memory (a ring buffer); every
 * {@code train-every} steps, once {@code learning-starts} steps are collected, a minibatch drawn
 * uniformly from it makes one Adam step on the TD error towards
 * r + gamma (1 - terminated) max_a' Q_T(s', a') of a target network T, which is a copy of the
 * network refreshed every {@code target-sync} steps.
 *
 * <p>Huber loss: ND4J 1.0.0-M2.1 has no Huber ILossFunction, so the TD error is clipped to [-1, 1]
 * in the regression target and the network's MSE loss is fitted to it. The gradient of
 * (Q + clip(delta) - Q)^2 is 2 clip(delta) dQ, which is the gradient of the Huber loss with
 * delta 1 up to a constant factor (Adam is invariant to that scale).
 */
final class DqnLearner implements Learner {

    private final MultiLayerNetwork net;
    private final MultiLayerNetwork target;
    private final double gamma;
    private final DqnSettings settings;
    private final int obs;
    private final int actions;
    private final SplittableRandom random;
    // the replay memory, a ring buffer
    private final float[] states;
    private final int[] taken;
    private final double[] rewards;
    private final float[] nextStates;
    private final boolean[] terminal;
    private int size;
    private int head;
    private long steps;
    private long updates;
    // minibatch buffers, reused
    private final float[] batchStates;
    private final float[] batchNext;
    private final int[] batchIndex;

    DqnLearner(MultiLayerNetwork net, double gamma, DqnSettings settings, int observations, int actions, long seed) {
        this.net = net;
        this.target = net.clone();
        this.gamma = gamma;
        this.settings = settings;
        this.obs = observations;
        this.actions = actions;
        this.random = new SplittableRandom(seed);
        int capacity = settings.replay();
        this.states = new float[capacity * observations];
        this.taken = new int[capacity];
        this.rewards = new double[capacity];
        this.nextStates = new float[capacity * observations];
        this.terminal = new boolean[capacity];
        int b = settings.batchSize();
        this.batchStates = new float[b * observations];
        this.batchNext = new float[b * observations];
        this.batchIndex = new int[b];
    }

    /** Gradient steps made so far. */
    long updates() {
        return updates;
    }

    @Override
    public double learn(float[] state, int action, double reward, float[] next, boolean terminated) {
        System.arraycopy(state, 0, states, head * obs, obs);
        System.arraycopy(next, 0, nextStates, head * obs, obs);
        taken[head] = action;
        rewards[head] = reward;
        terminal[head] = terminated;
        head = (head + 1) % taken.length;
        size = Math.min(size + 1, taken.length);
        steps++;
        double loss = Double.NaN;
        if (steps >= settings.learningStarts() && size >= settings.batchSize() && steps % settings.trainEvery() == 0) {
            loss = update();
        }
        if (steps % settings.targetSync() == 0) {
            target.params().assign(net.params());
        }
        return loss;
    }

    private double update() {
        int b = settings.batchSize();
        for (int i = 0; i < b; i++) {
            int k = random.nextInt(size);
            batchIndex[i] = k;
            System.arraycopy(states, k * obs, batchStates, i * obs, obs);
            System.arraycopy(nextStates, k * obs, batchNext, i * obs, obs);
        }
        INDArray s = Nd4j.create(batchStates, new long[] {b, obs}, DataType.FLOAT);
        INDArray s2 = Nd4j.create(batchNext, new long[] {b, obs}, DataType.FLOAT);
        INDArray qNextArr = target.output(s2, false);
        float[] qNext = qNextArr.dup('c').data().asFloat();
        INDArray qArr = net.output(s, false);
        float[] q = qArr.dup('c').data().asFloat();
        qNextArr.close();
        qArr.close();
        s2.close();
        boolean huber = DqnSettings.HUBER.equals(settings.loss());
        double sum = 0;
        for (int i = 0; i < b; i++) {
            int k = batchIndex[i];
            double best = q(qNext, i, 0);
            for (int a = 1; a < actions; a++) {
                best = Math.max(best, q(qNext, i, a));
            }
            double y = rewards[k] + (terminal[k] ? 0 : gamma * best);
            int row = i * actions + taken[k];
            double delta = y - q[row];
            sum += delta * delta;
            q[row] = (float) (q[row] + (huber ? Math.max(-1, Math.min(1, delta)) : delta));
        }
        INDArray labels = Nd4j.create(q, new long[] {b, actions}, DataType.FLOAT);
        net.fit(s, labels);
        s.close();
        labels.close();
        updates++;
        return sum / b;
    }

    private float q(float[] values, int row, int action) {
        return values[row * actions + action];
    }
}
