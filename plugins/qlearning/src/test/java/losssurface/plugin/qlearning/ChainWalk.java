package losssurface.plugin.qlearning;

import java.util.OptionalDouble;
import java.util.SplittableRandom;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;

/**
 * A second, tiny discrete-action environment: a walk on a chain of 5 states 0..4, observed as a
 * one-hot vector. Action 0 steps left (bounded at 0), action 1 steps right; reaching state 4 ends
 * the episode (terminated) with reward +1, every other step gives -0.01; episodes are truncated
 * after 20 steps. Resets start at state 0 or 1, chosen by the seed. The optimal policy walks right
 * and earns 1 - 0.01 * (steps - 1).
 */
final class ChainWalk implements Environment {

    static final int STATES = 5;
    static final int LIMIT = 20;

    private int position;
    private int elapsed;
    private boolean running;

    @Override
    public int observationSize() {
        return STATES;
    }

    @Override
    public int actionCount() {
        return 2;
    }

    @Override
    public float[] reset(long seed) {
        position = new SplittableRandom(seed).nextInt(2);
        elapsed = 0;
        running = true;
        return observation();
    }

    @Override
    public Step step(int action) {
        if (action < 0 || action > 1) {
            throw new IllegalArgumentException("ChainWalk actions are 0 (left) and 1 (right), was " + action + ".");
        }
        if (!running) {
            throw new IllegalStateException("The episode has ended. Call reset(seed) first.");
        }
        position = Math.max(0, position + (action == 1 ? 1 : -1));
        elapsed++;
        boolean terminated = position == STATES - 1;
        boolean truncated = elapsed >= LIMIT;
        running = !(terminated || truncated);
        return new Step(observation(), terminated ? 1.0 : -0.01, terminated, truncated);
    }

    private float[] observation() {
        float[] o = new float[STATES];
        o[position] = 1;
        return o;
    }

    /** The chain as a task, with the RL objectives like any environment task. */
    static final class Task implements EnvironmentTask {

        @Override
        public Environment newEnvironment() {
            return new ChainWalk();
        }

        @Override
        public OptionalDouble solvedReturn() {
            return OptionalDouble.of(0.96);
        }
    }
}
