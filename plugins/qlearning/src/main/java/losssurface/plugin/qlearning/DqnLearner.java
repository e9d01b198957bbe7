package losssurface.plugin.qlearning;

import losssurface.nn.dense.DenseTrainer;

import java.util.SplittableRandom;

/**
 * DQN (Mnih et al. 2015): transitions go into a replay memory (a ring buffer); every
 * {@code train-every} steps, once {@code learning-starts} steps are collected, a minibatch drawn
 * uniformly from it makes one Adam step on the mean TD loss towards
 * r + gamma (1 - terminated) max_a' Q_T(s', a') of a target network T, a copy of the network
 * refreshed every {@code target-sync} steps. The loss is the Huber loss (delta 1) of the TD error
 * or its square.
 */
final class DqnLearner implements Learner {

    private final DenseTrainer net;
    private final DenseTrainer target;
    private final double gamma;
    private final DqnSettings settings;
    private final boolean huber;
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
    // minibatch buffers, reused
    private final float[] batchStates;
    private final float[] batchNext;
    private final int[] batchIndex;
    private final int[] batchActions;
    private final double[] dOut;
    private final double[] y;
    private final int[] nextChoice;

    DqnLearner(DenseTrainer net, DenseTrainer target, double gamma, DqnSettings settings, long seed) {
        this.net = net;
        this.target = target;
        net.copyTo(target);
        this.gamma = gamma;
        this.settings = settings;
        this.huber = DqnSettings.HUBER.equals(settings.loss());
        this.obs = net.inputs();
        this.actions = net.outputs();
        this.random = new SplittableRandom(seed);
        int capacity = settings.replay();
        this.states = new float[capacity * obs];
        this.taken = new int[capacity];
        this.rewards = new double[capacity];
        this.nextStates = new float[capacity * obs];
        this.terminal = new boolean[capacity];
        int b = settings.batchSize();
        this.batchStates = new float[b * obs];
        this.batchNext = new float[b * obs];
        this.batchIndex = new int[b];
        this.batchActions = new int[b];
        this.dOut = new double[b];
        this.y = new double[b];
        this.nextChoice = new int[b];
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
            loss = 0;
            for (int g = 0; g < settings.gradientSteps(); g++) {
                loss += update();
            }
            loss /= settings.gradientSteps();
        }
        if (steps % settings.targetSync() == 0) {
            net.copyTo(target);
        }
        return loss;
    }

    private double update() {
        int b = settings.batchSize();
        for (int i = 0; i < b; i++) {
            int k = random.nextInt(size);
            batchIndex[i] = k;
            batchActions[i] = taken[k];
            System.arraycopy(states, k * obs, batchStates, i * obs, obs);
            System.arraycopy(nextStates, k * obs, batchNext, i * obs, obs);
        }
        if (settings.doubleQ()) {
            float[] online = net.forward(batchNext, b);
            for (int i = 0; i < b; i++) {
                nextChoice[i] = losssurface.rl.Rollouts.argmax(online, i * actions, actions);
            }
        }
        float[] qNext = target.forward(batchNext, b);
        for (int i = 0; i < b; i++) {
            int k = batchIndex[i];
            double best;
            if (settings.doubleQ()) {
                best = qNext[i * actions + nextChoice[i]];
            } else {
                best = qNext[i * actions];
                for (int a = 1; a < actions; a++) {
                    best = Math.max(best, qNext[i * actions + a]);
                }
            }
            y[i] = rewards[k] + (terminal[k] ? 0 : gamma * best);
        }
        float[] q = net.forward(batchStates, b); // the last forward of net before backward
        double sum = 0;
        for (int i = 0; i < b; i++) {
            double error = q[i * actions + batchActions[i]] - y[i]; // Q - target
            sum += error * error;
            dOut[i] = (huber ? Math.max(-1, Math.min(1, error)) : 2 * error) / b;
        }
        net.backward(b, batchActions, dOut);
        net.adamStep();
        return sum / b;
    }
}
