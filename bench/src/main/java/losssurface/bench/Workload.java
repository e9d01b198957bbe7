package losssurface.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Task;
import losssurface.nn.SupervisedTask;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.FastMlpEvaluator;
import losssurface.rl.ReturnObjective;
import losssurface.rl.TdObjective;

/**
 * A workload of {@code bench}: what to train and probe, at what grid, and how to count the work
 * of one grid point (for the machine's limit, {@link MachineLimit}).
 *
 * @param objective the agent's objective by name, or empty for the task's own
 * @param peer      the peer's name for the objective: cross-entropy, td or return
 * @param about     one line on what it measures
 * @param onnx      an ONNX model shipped with bench (a resource of this package) probed instead of training one, on
 *                  the task's evaluation set; empty to train
 * @param work      how one grid point's work is counted
 * @param peerModel the peer's network of {@code bench/peers} (e.g. {@code mnist-cnn}) with its module names in the
 *                  order of our parameter blocks' layers, or empty for a multilayer perceptron the peer builds from
 *                  its layer sizes
 */
record Workload(String name, String task, String trainer, Map<String, String> settings, String objective, int grid,
                String peer, String about, String onnx, Counting work, String peerModel, List<String> peerModules) {

    /** The CNN's modules in {@code bench/peers/mnist_cnn.py}, in the order of its layers with parameters. */
    static final List<String> MNIST_CNN_MODULES = List.of("conv1", "conv2", "fc1", "fc2");

    /** Workloads whose peer builds a multilayer perceptron from its layer sizes. */
    Workload(String name, String task, String trainer, Map<String, String> settings, String objective, int grid,
             String peer, String about, String onnx, Counting work) {
        this(name, task, trainer, settings, objective, grid, peer, about, onnx, work, "", List.of());
    }

    /**
     * Our parameter layout as the peer's named model reads it: an ONNX model's as it is (its names are the PyTorch
     * module's); a DL4J network's renamed block by block to {@link #peerModules} ({@code 0_W} of the first layer with
     * parameters is {@code conv1.weight}), in DL4J's order, a dense {@code [in, out]} column-major weight given as
     * PyTorch's {@code [out, in]} row-major (the same numbers).
     */
    ParameterLayout peerLayout(ParameterLayout ours) {
        if (peerModules.isEmpty()) {
            return ours;
        }
        List<Integer> layers = ours.blocks().stream().map(ParameterBlock::layer).distinct().toList();
        if (layers.size() != peerModules.size()) {
            throw new IllegalStateException("The " + name + " network has " + layers.size() + " layers with parameters, the peer's "
                    + peerModel + " " + peerModules.size());
        }
        List<ParameterBlock> renamed = new java.util.ArrayList<>();
        for (ParameterBlock b : ours.blocks()) {
            String key = b.name().substring(b.name().indexOf('_') + 1);
            String module = peerModules.get(layers.indexOf(b.layer()));
            int[] shape = b.shape();
            if (b.order() == 'f' && shape.length == 2) {
                shape = new int[] {shape[1], shape[0]};
            }
            renamed.add(new ParameterBlock(module + "." + (key.equals("W") ? "weight" : "bias"), b.layer(), b.kind(), shape,
                    b.offset(), 'c', 0, ""));
        }
        return new ParameterLayout(renamed);
    }

    /** How one grid point's work is counted. */
    enum Counting {
        /** A multilayer perceptron over the examples (or transitions) of the objective. */
        EXAMPLES,
        /** A multilayer perceptron at every step of every greedy episode, the episodes of a step side by side. */
        EPISODE_STEPS,
        /** The shipped MNIST CNN over the evaluation set ({@link #CNN_FLOPS_PER_IMAGE}). */
        MNIST_CNN
    }

    /**
     * The shipped CNN's operations per 28x28 image, multiply-adds counted twice: conv1 5x5x1 to 24x24x8 (115,200
     * multiply-adds), conv2 5x5x8 to 8x8x16 (204,800), dense 256-64 (16,384) and 64-10 (640); pooling, ReLU and
     * biases are left out.
     */
    static final double CNN_FLOPS_PER_IMAGE = 2.0 * (24 * 24 * 8 * 25 + 8 * 8 * 16 * 200 + 256 * 64 + 64 * 10);

    /**
     * A large square product: the machine's best rate. A convolution is not bound to one product's shape: ONNX Runtime's
     * blocked (NCHWc) kernels ran bench's CNN at 1.3 times the rate of conv2 as {@code [positions, 5x5x8] x [5x5x8, 16]},
     * the shape this bound used before, so only the best-shaped product bounds what any evaluator can do.
     */
    static final MachineLimit.Shape CNN_SHAPE = new MachineLimit.Shape(512, 512, 512);

    static final List<Workload> STANDARD = List.of(
            new Workload("mnist", "mnist", "supervised", Map.of("supervised.epochs", "2"), "", 51, "cross-entropy",
                    "MNIST MLP 784-128-64-10, 10k test images (network trained 2 epochs; the second is timed)", "",
                    Counting.EXAMPLES),
            new Workload("td-frozen", "cartpole", "dqn", Map.of(), "td-frozen", 51, "td",
                    "CartPole DQN (default training), TD loss with frozen target over 10,000 transitions", "",
                    Counting.EXAMPLES),
            new Workload("return", "cartpole", "dqn", Map.of(), "return", 21, "return",
                    "CartPole DQN (default training), greedy return over 10 seeded episodes per point", "",
                    Counting.EPISODE_STEPS),
            new Workload("onnx-cnn", "mnist", "", Map.of(), "", 11, "cross-entropy",
                    "MNIST CNN exported from PyTorch (bench/peers/mnist_cnn.py; ONNX, 20,522 parameters), 10k test images;"
                            + " plain: one ONNX Runtime session, one point at a time; fast: one session per thread",
                    "mnist-cnn.onnx", Counting.MNIST_CNN, "mnist-cnn", List.of()),
            new Workload("dl4j-cnn", "mnist", "supervised", Map.of("mnist.network", "cnn", "supervised.epochs", "2"), "", 11,
                    "cross-entropy", "the built-in MNIST CNN (mnist.network=cnn, the same network; trained 2 epochs on our engine, the"
                            + " second timed), 10k test images; plain: DL4J's own forward pass, about 4 s a point; fast: dl4j-onnx", "",
                    Counting.MNIST_CNN, "mnist-cnn", MNIST_CNN_MODULES));

    /**
     * The work of one grid point of this workload.
     *
     * @param run    a run of it (the return workload counts the steps its episodes took)
     * @param runDir the folder of the run that trained the model, with the objective's artefacts (e.g. TD targets)
     * @param task   the workload's task (its evaluation set is what the supervised workloads score)
     */
    MachineLimit.Work work(RunResult run, Path runDir, Task task, RunContext context) {
        return switch (work) {
            case EXAMPLES -> {
                int rows = peer.equals("td") ? BenchSupport.artefacts(runDir, List.of(TdObjective.TARGETS)).get(TdObjective.TARGETS).shape()[0]
                        : ((SupervisedTask) task).evaluationSet(context).numExamples();
                yield MachineLimit.dense(DenseNet.of(run.model().layout()), rows, Math.min(rows, FastMlpEvaluator.BLOCK),
                        peer.equals("td") ? "transitions" : "examples");
            }
            case EPISODE_STEPS -> {
                int episodes = BenchSupport.artefacts(runDir, List.of(ReturnObjective.STARTS)).get(ReturnObjective.STARTS).shape()[0];
                double steps = mean(run.surface().grid("episode-length")) * episodes;
                yield MachineLimit.dense(DenseNet.of(run.model().layout()), steps, episodes,
                        "states (mean steps over the grid x " + episodes + " episodes)");
            }
            case MNIST_CNN -> {
                int images = ((SupervisedTask) task).evaluationSet(context).numExamples();
                yield new MachineLimit.Work(images * CNN_FLOPS_PER_IMAGE, CNN_SHAPE, String.format(java.util.Locale.ROOT,
                        "%,d images x %,.0f flops of the CNN's convolutions and dense layers", images, CNN_FLOPS_PER_IMAGE));
            }
        };
    }

    private static double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
