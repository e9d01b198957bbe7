package losssurface.rl;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.Environment;
import losssurface.api.LossSurfaceException;
import losssurface.nn.dense.DenseNet;

/**
 * Greedy episodes of a Q-network: at every step the action with the largest Q value (the first
 * one on ties). Episode {@code i} of a batch starts from {@code reset(firstSeed + i)}, so the same
 * seed always plays the same episodes. The episodes of a batch run side by side, with one forward
 * pass per time step over all episodes still running.
 */
public final class Rollouts {
    private Rollouts() {
    }

    /**
     * Returns and lengths of a batch of greedy episodes.
     *
     * @param returns the undiscounted return of each episode
     * @param lengths the number of steps of each episode
     */
    public record Result(double[] returns, int[] lengths) {
        public Result {
            returns = returns.clone();
            lengths = lengths.clone();
            if (returns.length != lengths.length || returns.length == 0) {
                throw new IllegalArgumentException("need one length per return and at least one episode");
            }
        }

        @Override
        public double[] returns() {
            return returns.clone();
        }

        @Override
        public int[] lengths() {
            return lengths.clone();
        }

        public double meanReturn() {
            return Arrays.stream(returns).average().orElseThrow();
        }

        /** Population standard deviation of the returns. */
        public double stdReturn() {
            double mean = meanReturn();
            return Math.sqrt(Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).average().orElseThrow());
        }

        public double meanLength() {
            return Arrays.stream(lengths).average().orElseThrow();
        }

        /** The smallest return: the worst episode. */
        public double minReturn() {
            return Arrays.stream(returns).min().orElseThrow();
        }

        /** The metrics of a return surface, in {@link #METRICS}' order. */
        public double[] metrics() {
            return new double[] {meanReturn(), stdReturn(), minReturn(), meanLength()};
        }
    }

    /**
     * What a return surface measures at each point over its episodes: the mean return, the spread of
     * the episodes' returns about it (population standard deviation), the worst episode's return, and
     * the mean episode length. {@link Result#metrics()} gives them in this order.
     */
    public static final java.util.List<String> METRICS = java.util.List.of("return", "return-std", "return-min", "episode-length");

    /**
     * Plays {@code episodes} greedy episodes of {@code network} to their end (termination or
     * truncation; environments must end every episode, e.g. with a time limit).
     *
     * @param network      the Q-network (one output per action); its parameters are not changed
     * @param environments makes one environment per episode
     * @param firstSeed    episode i is reset with {@code firstSeed + i}
     * @param episodes     how many episodes, at least 1
     * @param maxSteps     a safety limit on the steps of one episode
     * @throws LossSurfaceException when an episode runs longer than {@code maxSteps}
     */
    public static Result greedy(MultiLayerNetwork network, Supplier<? extends Environment> environments, long firstSeed,
                                int episodes, int maxSteps) {
        Objects.requireNonNull(network, "network");
        // DL4J's own batched forward pass: the reference the plain return objective and the final
        // evaluation use (one library call per step for all running episodes is cheap enough there);
        // the return surfaces play the same episodes on the engine (onEngine).
        return greedy(byNetwork(network), environments, firstSeed, episodes, maxSteps);
    }

    /**
     * The greedy policy of the dense network {@code shape} with parameters {@code p}, on the
     * engine ({@link DenseNet#greedy}, plain Java, no library call per step). Where the top two
     * actions of an observation are within the float rounding bound, the whole batch goes to
     * {@code referee} (DL4J's own forward pass with the same parameters), so the actions are
     * exactly the library's.
     *
     * @param steps    counts the observations asked about
     * @param referred counts the observations the referee decided
     */
    static Policy onEngine(DenseNet shape, float[] p, Supplier<Policy> referee, LongAdder steps, LongAdder referred) {
        double[][] scratch = shape.scratch();
        return (observations, rows, size, actions) -> {
            steps.add(rows);
            for (int k = 0; k < rows; k++) {
                int a = shape.greedy(p, observations, k * size, scratch);
                if (a < 0) {
                    referee.get().act(observations, rows, size, actions);
                    referred.add(rows);
                    return;
                }
                actions[k] = a;
            }
        };
    }

    /** Picks the greedy action of each observation of a batch. */
    @FunctionalInterface
    interface Policy {
        /**
         * @param observations {@code rows} observations of {@code size} entries one after the other
         * @param actions      receives one action per row
         */
        void act(float[] observations, int rows, int size, int[] actions);
    }

    /** The greedy policy of {@code network}: one forward pass over the batch, then the arg-max of each row. */
    static Policy byNetwork(MultiLayerNetwork network) {
        return (observations, rows, size, actions) -> {
            INDArray in = Nd4j.create(Arrays.copyOf(observations, rows * size), new long[] {rows, size}, DataType.FLOAT);
            INDArray q = network.output(in, false);
            int outputs = (int) q.size(1);
            float[] qv = q.dup('c').data().asFloat();
            q.close();
            in.close();
            for (int k = 0; k < rows; k++) {
                actions[k] = argmax(qv, k * outputs, outputs);
            }
        };
    }

    /**
     * The episodes of {@link #greedy(MultiLayerNetwork, Supplier, long, int, int)} with any
     * policy: every step asks it for the actions of the episodes still running, in episode order.
     */
    static Result greedy(Policy policy, Supplier<? extends Environment> environments, long firstSeed, int episodes,
                         int maxSteps) {
        Objects.requireNonNull(policy, "policy");
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, was " + episodes);
        }
        Environment[] envs = new Environment[episodes];
        float[][] obs = new float[episodes][];
        for (int i = 0; i < episodes; i++) {
            envs[i] = environments.get();
            obs[i] = envs[i].reset(firstSeed + i);
        }
        int obsSize = envs[0].observationSize();
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        int[] running = new int[episodes];
        int[] chosen = new int[episodes];
        int live = episodes;
        for (int i = 0; i < episodes; i++) {
            running[i] = i;
        }
        float[] input = new float[episodes * obsSize];
        while (live > 0) {
            for (int k = 0; k < live; k++) {
                System.arraycopy(obs[running[k]], 0, input, k * obsSize, obsSize);
            }
            policy.act(input, live, obsSize, chosen);
            int kept = 0;
            for (int k = 0; k < live; k++) {
                int e = running[k];
                Environment.Step step = envs[e].step(chosen[k]);
                returns[e] += step.reward();
                lengths[e]++;
                obs[e] = step.observation();
                if (!step.done()) {
                    if (lengths[e] >= maxSteps) {
                        throw new LossSurfaceException("A greedy episode ran " + maxSteps + " steps without ending. "
                                + "Environments must end their episodes (e.g. with a time limit).");
                    }
                    running[kept++] = e;
                }
            }
            live = kept;
        }
        return new Result(returns, lengths);
    }

    /** Index of the largest of {@code values[from .. from + n)}, the first one on ties; NaN never wins over a number. */
    public static int argmax(float[] values, int from, int n) {
        int best = 0;
        float bestValue = values[from];
        for (int a = 1; a < n; a++) {
            float v = values[from + a];
            if (v > bestValue || Float.isNaN(bestValue) && !Float.isNaN(v)) {
                best = a;
                bestValue = v;
            }
        }
        return best;
    }
}
