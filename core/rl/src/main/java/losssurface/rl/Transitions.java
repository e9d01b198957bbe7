package losssurface.rl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.NamedArray;

/**
 * A fixed set D of transitions (s, a, r, s', terminated), the data a TD objective is computed
 * over. {@code terminated} is true only at terminal states; a step cut by a time limit is not
 * terminal, so its s' is bootstrapped from.
 *
 * @param states     s, one row per transition
 * @param actions    a
 * @param rewards    r
 * @param nextStates s'
 * @param terminated whether s' is terminal
 */
public record Transitions(float[][] states, int[] actions, double[] rewards, float[][] nextStates, boolean[] terminated) {

    /** Names of the arrays {@link #toArtefacts()} returns, in its order. */
    public static final String STATES = "transitions-states";
    public static final String ACTIONS = "transitions-actions";
    public static final String REWARDS = "transitions-rewards";
    public static final String NEXT_STATES = "transitions-next-states";
    public static final String TERMINATED = "transitions-terminated";

    public Transitions {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(nextStates, "nextStates");
        Objects.requireNonNull(terminated, "terminated");
        int n = states.length;
        if (n == 0) {
            throw new IllegalArgumentException("a transition set needs at least one transition");
        }
        if (actions.length != n || rewards.length != n || nextStates.length != n || terminated.length != n) {
            throw new IllegalArgumentException("every field needs one entry per transition: states " + n + ", actions "
                    + actions.length + ", rewards " + rewards.length + ", next states " + nextStates.length
                    + ", terminated " + terminated.length);
        }
        int size = states[0].length;
        if (size == 0) {
            throw new IllegalArgumentException("observations must have at least one entry");
        }
        float[][] s = new float[n][];
        float[][] s2 = new float[n][];
        for (int i = 0; i < n; i++) {
            if (states[i].length != size || nextStates[i].length != size) {
                throw new IllegalArgumentException("transition " + i + " has observations of " + states[i].length + " and "
                        + nextStates[i].length + " entries, the first has " + size);
            }
            if (actions[i] < 0) {
                throw new IllegalArgumentException("transition " + i + " has a negative action " + actions[i]);
            }
            s[i] = states[i].clone();
            s2[i] = nextStates[i].clone();
        }
        states = s;
        nextStates = s2;
        actions = actions.clone();
        rewards = rewards.clone();
        terminated = terminated.clone();
    }

    /**
     * Collects {@code n} transitions by running the epsilon-greedy policy of {@code network} in
     * {@code environment}: with probability {@code epsilon} a uniformly random action, else the
     * action of largest Q. Episodes are played to their end (the last one is cut at {@code n});
     * episode k starts from {@code reset(seed + k)} and the exploration draws come from a generator
     * seeded with {@code seed}, so the same arguments give the same D.
     *
     * @param network the Q-network whose policy acts; its parameters are not changed
     */
    public static Transitions collect(MultiLayerNetwork network, Environment environment, int n, double epsilon, long seed) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(environment, "environment");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be between 0 and 1, was " + epsilon);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int actions = environment.actionCount();
        int size = environment.observationSize();
        float[][] states = new float[n][];
        int[] taken = new int[n];
        double[] rewards = new double[n];
        float[][] next = new float[n][];
        boolean[] terminated = new boolean[n];
        long episode = 0;
        float[] obs = environment.reset(seed + episode);
        INDArray in = Nd4j.create(DataType.FLOAT, 1, size);
        for (int i = 0; i < n; i++) {
            int action;
            if (random.nextDouble() < epsilon) {
                action = random.nextInt(actions);
            } else {
                for (int j = 0; j < size; j++) {
                    in.putScalar(0, j, obs[j]);
                }
                INDArray q = network.output(in, false);
                action = Rollouts.argmax(q.toFloatVector(), 0, actions);
                q.close();
            }
            Environment.Step step = environment.step(action);
            states[i] = obs;
            taken[i] = action;
            rewards[i] = step.reward();
            next[i] = step.observation();
            terminated[i] = step.terminated();
            if (step.done()) {
                episode++;
                obs = environment.reset(seed + episode);
            } else {
                obs = next[i];
            }
        }
        in.close();
        return new Transitions(states, taken, rewards, next, terminated);
    }

    /** Number of transitions. */
    public int size() {
        return actions.length;
    }

    /** Length of each observation. */
    public int observationSize() {
        return states[0].length;
    }

    /** Number of transitions whose s' is terminal. */
    public int terminalCount() {
        int c = 0;
        for (boolean t : terminated) {
            c += t ? 1 : 0;
        }
        return c;
    }

    @Override
    public float[][] states() {
        return copy(states);
    }

    @Override
    public int[] actions() {
        return actions.clone();
    }

    @Override
    public double[] rewards() {
        return rewards.clone();
    }

    @Override
    public float[][] nextStates() {
        return copy(nextStates);
    }

    @Override
    public boolean[] terminated() {
        return terminated.clone();
    }

    /** States as a {@code [n, observationSize]} float matrix. */
    INDArray stateMatrix() {
        return Nd4j.create(flatten(states), new long[] {size(), observationSize()}, DataType.FLOAT);
    }

    /** Next states as a {@code [n, observationSize]} float matrix. */
    INDArray nextStateMatrix() {
        return Nd4j.create(flatten(nextStates), new long[] {size(), observationSize()}, DataType.FLOAT);
    }

    /**
     * The arrays to save with a run, so that anyone can recompute a TD surface from the files:
     * {@value #STATES} {@code [n, obs]} float32, {@value #ACTIONS} {@code [n]} int32,
     * {@value #REWARDS} {@code [n]} float64, {@value #NEXT_STATES} {@code [n, obs]} float32 and
     * {@value #TERMINATED} {@code [n]} bool.
     */
    public Map<String, NamedArray> toArtefacts() {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        int[] matrix = {size(), observationSize()};
        out.put(STATES, new NamedArray(matrix, flatten(states)));
        out.put(ACTIONS, new NamedArray(new int[] {size()}, actions.clone()));
        out.put(REWARDS, new NamedArray(new int[] {size()}, rewards.clone()));
        out.put(NEXT_STATES, new NamedArray(matrix, flatten(nextStates)));
        out.put(TERMINATED, new NamedArray(new int[] {size()}, terminated.clone()));
        return out;
    }

    private static float[] flatten(float[][] rows) {
        int size = rows[0].length;
        float[] flat = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * size, size);
        }
        return flat;
    }

    private static float[][] copy(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transitions t && java.util.Arrays.deepEquals(states, t.states)
                && java.util.Arrays.equals(actions, t.actions) && java.util.Arrays.equals(rewards, t.rewards)
                && java.util.Arrays.deepEquals(nextStates, t.nextStates) && java.util.Arrays.equals(terminated, t.terminated);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(states) * 31 + java.util.Arrays.hashCode(actions);
    }

    @Override
    public String toString() {
        return "Transitions[" + size() + " x " + observationSize() + ", " + terminalCount() + " terminal]";
    }
}
