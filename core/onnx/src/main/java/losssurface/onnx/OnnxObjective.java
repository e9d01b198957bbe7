package losssurface.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import losssurface.api.GridRequest;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.RunContext;
import losssurface.api.io.Checksum;
import losssurface.data.Examples;
import losssurface.data.Losses;

/**
 * The loss of an {@link OnnxModel} over a fixed set of examples, as a function of its
 * parameters, run by ONNX Runtime.
 *
 * <p><b>Evaluation.</b> A session is built once, in which the parameters are graph inputs: a grid
 * point is a new set of input tensors, not a new session. The graph is ONNX Runtime's own optimised
 * one, with its weights in the layout its fastest kernels take, gathered from each point's parameters
 * ({@link RuntimeLayout}), once checked at theta* against the model as stored; else the model as stored
 * ({@link OnnxModel#evaluationModel()}). The examples are cut into batches once and kept as tensors.
 * How a grid's points share the threads is the {@link OnnxEvaluator}'s choice: one session per thread
 * (one intra-op thread each) taking the next point, or one session whose threads all work on each point.
 *
 * <p><b>Loss.</b> For cross-entropy, whether the output holds logits or probabilities is taken
 * from the operator that computes it ({@code Softmax}: probabilities; {@code LogSoftmax}:
 * log-probabilities, scored as logits, which gives the same value), and otherwise from the
 * output at the centre (every row in [0, 1] summing to 1 within 1e-3: probabilities), unless
 * stated with {@link OnnxLoss#CROSS_ENTROPY_LOGITS} or {@link OnnxLoss#CROSS_ENTROPY_PROBABILITIES}.
 * Cross-entropy is summed in double precision, with accuracy as the second metric.
 *
 * <p>Not thread-safe; {@link #close()} frees the sessions.
 */
public final class OnnxObjective implements Objective, AutoCloseable {

    /** How many examples one run of the session scores, unless told otherwise. */
    public static final int DEFAULT_BATCH = 1000;

    private enum Scoring { LOGITS, PROBABILITIES, MSE }

    private final OnnxModel model;
    private final Examples data;
    private final RuntimeLayout.Graph graph;
    private final String graphNote;
    private final long[] exampleShape;
    private final int batch;
    private final List<int[]> batches = new ArrayList<>(); // {first example, count}
    private final Scoring scoring;
    private final int columns;
    private final int[] classes;
    private final String description;
    private final String notes;
    private final List<Worker> workers = new ArrayList<>();
    private String identity;

    private OnnxObjective(OnnxModel model, Examples data, OnnxLoss loss, int batchSize, String dataName,
                          Function<OnnxModel, RuntimeLayout.Derived> layouts) {
        this.model = model;
        this.data = data;
        List<String> notes = new ArrayList<>();
        this.exampleShape = fit(model, data, notes);
        long fixedBatch = model.inputShape()[0];
        if (fixedBatch > 0) {
            if (data.count() % fixedBatch != 0) {
                throw new LossSurfaceException("ONNX model " + model.file() + " takes exactly " + fixedBatch + " examples per run "
                        + "(its input " + model.input() + " is " + OnnxModel.dims(model.inputShape()) + "), and " + data.count()
                        + " examples are not a whole number of such batches. Export the model with a dynamic batch axis "
                        + "(torch.onnx.export(..., dynamic_axes={'" + model.input() + "': {0: 'batch'}})) or give a multiple of "
                        + fixedBatch + " examples.");
            }
            batchSize = (int) fixedBatch;
        }
        this.batch = batchSize;
        for (int first = 0; first < data.count(); first += batch) {
            batches.add(new int[] {first, Math.min(batch, data.count() - first)});
        }
        float[] theta = model.parameters();
        RuntimeLayout.Graph stored = RuntimeLayout.Graph.asStored(model);
        RuntimeLayout.Derived derived = layouts.apply(model);
        String why = derived.reason();
        if (derived.graph() != null) {
            why = check(stored, derived.graph(), theta, fixedBatch > 0 ? batch : Math.min(CHECK_EXAMPLES, data.count()));
        }
        this.graph = why.isEmpty() ? derived.graph() : stored;
        this.graphNote = why.isEmpty() ? "parameters fed in ONNX Runtime's own layout (its optimised graph; "
                + graph.fed().stream().filter(f -> f.gather() != null).count() + " of its " + graph.fed().size()
                + " parameter inputs re-laid out)" : "parameters fed as stored (not in ONNX Runtime's own layout: " + why + ")";
        // One run at the centre learns the output's shape and, for cross-entropy, what it holds. A heavy model's session is
        // made as the evaluator will want it, with a thread per core, so that the grid finds it built and its memory grown.
        Worker first = model.layout().size() >= OnnxEvaluator.SHARED_FROM ? shared(RunContext.cores()) : worker(0);
        float[] z = first.output(theta, 0);
        int rows = batches.get(0)[1];
        if (z.length % rows != 0) {
            throw new LossSurfaceException("ONNX model " + model.file() + " gave " + z.length + " output values for " + rows
                    + " examples; its output " + model.output() + " must have one row per example.");
        }
        this.columns = z.length / rows;
        int[] ls = data.labelShape();
        boolean classLabels = ls.length == 1 && data.integerLabels();
        OnnxLoss chosen = loss == OnnxLoss.AUTO ? (classLabels && columns >= 2 ? OnnxLoss.CROSS_ENTROPY : OnnxLoss.MSE) : loss;
        if (loss == OnnxLoss.AUTO) {
            notes.add("loss " + chosen.key() + " (auto: " + (chosen == OnnxLoss.MSE ? "labels are not whole-number classes for an "
                    + "output of 2 or more columns" : "whole-number labels and " + columns + " output columns") + ")");
        }
        switch (chosen) {
            case MSE -> {
                this.scoring = Scoring.MSE;
                int perExample = ls.length == 1 ? 1 : ls[1];
                if (perExample != columns) {
                    throw new LossSurfaceException("The labels that go with " + data.source() + " have shape " + Arrays.toString(ls) + " but model "
                            + model.file() + " gives " + columns + " output values per example: for mse give y of shape ["
                            + data.count() + (columns == 1 ? "" : ", " + columns) + "].");
                }
                this.classes = null;
            }
            case CROSS_ENTROPY, CROSS_ENTROPY_LOGITS, CROSS_ENTROPY_PROBABILITIES -> {
                if (columns < 2) {
                    throw new LossSurfaceException("Cross-entropy needs one output per class, but model " + model.file()
                            + " gives " + columns + " value per example. Use --loss mse for a regressor.");
                }
                this.classes = classes(data, columns, model);
                this.scoring = chosen == OnnxLoss.CROSS_ENTROPY_LOGITS ? Scoring.LOGITS
                        : chosen == OnnxLoss.CROSS_ENTROPY_PROBABILITIES ? Scoring.PROBABILITIES
                        : detect(model, z, columns, notes);
            }
            default -> throw new IllegalStateException(chosen.toString());
        }
        this.description = switch (scoring) {
            case LOGITS -> "mean cross-entropy (natural log, from logits) and accuracy over " + dataName;
            case PROBABILITIES -> "mean cross-entropy (natural log, from probabilities clipped at " + Losses.PROBABILITY_CLIP_TEXT
                    + ") and accuracy over " + dataName;
            case MSE -> "mean squared error over " + dataName;
        };
        this.notes = String.join("; ", notes);
    }

    /**
     * The objective of {@code model} over {@code data}.
     *
     * @param loss      the loss; {@link OnnxLoss#AUTO} picks cross-entropy for class labels
     * @param batch     examples per session run (a model with a fixed batch size uses that)
     * @param dataName  how the description names the data
     * @throws LossSurfaceException when the data does not fit the model, naming both shapes
     */
    public static OnnxObjective of(OnnxModel model, Examples data, OnnxLoss loss, int batch, String dataName) {
        if (batch < 1) {
            throw new LossSurfaceException("--batch must be at least 1, was " + batch + ".");
        }
        return new OnnxObjective(model, data, loss, batch, dataName, RuntimeLayout::derive);
    }

    /** The objective, with ONNX Runtime's layout of the parameters taken from {@code layouts} (for tests: a wrong one). */
    static OnnxObjective of(OnnxModel model, Examples data, int batch, Function<OnnxModel, RuntimeLayout.Derived> layouts) {
        return new OnnxObjective(model, data, OnnxLoss.AUTO, batch, data.source(), layouts);
    }

    /** Examples on which ONNX Runtime's own layout is checked against the model as stored, before it is used. */
    static final int CHECK_EXAMPLES = 16;

    /**
     * Empty when {@code optimised} gives the outputs {@code stored} gives at {@code theta} on the first {@code count}
     * examples (within float rounding: the two run other kernels), else why it cannot be used.
     */
    private String check(RuntimeLayout.Graph stored, RuntimeLayout.Graph optimised, float[] theta, int count) {
        float[] expected;
        float[] actual;
        try (Worker a = new Worker(stored, 1, false); OnnxTensor x = a.examples(0, count)) {
            a.set(theta);
            expected = a.run(x);
            try (Worker b = new Worker(optimised, 1, false)) {
                b.set(theta);
                actual = b.run(x);
            }
        } catch (OrtException e) {
            throw new LossSurfaceException("ONNX Runtime cannot take the examples of " + data.source() + ": " + e.getMessage(), e);
        }
        double scale = 0;
        double worst = 0;
        for (int k = 0; k < expected.length; k++) {
            scale = Math.max(scale, Math.abs(expected[k]));
            worst = Math.max(worst, k < actual.length ? Math.abs(expected[k] - actual[k]) : Double.POSITIVE_INFINITY);
        }
        if (actual.length != expected.length || !(worst <= LAYOUT_TOLERANCE * (1 + scale))) {
            return String.format(java.util.Locale.ROOT, "its outputs at theta* differed from the model's as stored by up to %.3g", worst);
        }
        return "";
    }

    /** How far, relative to the outputs' size, the two graphs' outputs may differ: rounding is about 1e-7, a wrong layout about 1. */
    static final double LAYOUT_TOLERANCE = 1e-4;

    /** The graph the sessions run and its feeds. */
    RuntimeLayout.Graph graph() {
        return graph;
    }

    /** How the sessions get a point's parameters (ONNX Runtime's own layout, or as stored and why). */
    String feedingNote() {
        return graphNote;
    }

    /** What was inferred about the data and the loss (reshaping, logits or probabilities), or empty. */
    public String notes() {
        return notes;
    }

    /** Examples per session run. */
    public int batch() {
        return batch;
    }

    @Override
    public ParameterLayout layout() {
        return model.layout();
    }

    @Override
    public List<String> metrics() {
        return scoring == Scoring.MSE ? List.of("loss") : List.of("loss", "accuracy");
    }

    @Override
    public String description() {
        return description;
    }

    /** The description, the model file's checksum and the data's. */
    @Override
    public String identity() {
        if (identity == null) {
            identity = description + "; model sha256 " + model.sha256()
                    + (model.dataSha256().isEmpty() ? "" : "; external data " + model.dataSha256()) + "; data sha256 "
                    + new Checksum().add(data.features()).add(data.labels()).hex();
        }
        return identity;
    }

    @Override
    public double[] evaluate(float[] parameters) {
        model.layout().requireFits(parameters, "The parameter vector");
        return any().evaluate(parameters);
    }

    /** Frees every session and tensor. */
    @Override
    public void close() {
        workers.forEach(Worker::close);
        workers.clear();
    }

    /** Session {@code i} with one thread (made when first asked, or remade from one with more), for the {@link OnnxEvaluator}'s worker {@code i}. */
    synchronized Worker worker(int i) {
        while (workers.size() <= i) {
            workers.add(new Worker(graph, 1));
        }
        if (workers.get(i).threads() != 1) { // the session a heavy model was loaded with, and the run asks for one thread
            workers.get(i).close();
            workers.set(i, new Worker(graph, 1));
        }
        return workers.get(i);
    }

    /** A session, whatever its threads: the first one made, or a new one of one thread. */
    private synchronized Worker any() {
        return workers.isEmpty() ? worker(0) : workers.get(0);
    }

    /** The one session, with {@code threads} intra-op threads (remade when it has another count), for points run one at a time. */
    synchronized Worker shared(int threads) {
        if (!workers.isEmpty() && workers.get(0).threads() != threads) {
            workers.forEach(Worker::close);
            workers.clear();
        }
        if (workers.isEmpty()) {
            workers.add(new Worker(graph, threads));
        }
        return workers.get(0);
    }

    /** The example shape the model is fed: the data's, or the model's where the data is a flat row of as many values. */
    private static long[] fit(OnnxModel model, Examples data, List<String> notes) {
        long[] in = model.inputShape();
        int[] ex = data.exampleShape();
        String theirs = "Data " + data.source() + " has examples of shape " + Arrays.toString(ex) + " (" + Arrays.toString(data.featureShape())
                + " in all) but model " + model.file() + " takes input " + model.input() + " of shape " + OnnxModel.dims(in);
        if (in.length == 0) {
            return Arrays.stream(ex).asLongStream().toArray(); // the exporter did not record a shape: try the data's
        }
        if (in.length == ex.length + 1) {
            boolean same = true;
            for (int a = 0; a < ex.length; a++) {
                same &= in[a + 1] < 0 || in[a + 1] == ex[a];
            }
            if (same) {
                return Arrays.stream(ex).asLongStream().toArray();
            }
        }
        long[] wanted = Arrays.copyOfRange(in, 1, in.length);
        long count = Arrays.stream(wanted).reduce(1, (a, b) -> a * b);
        if (Arrays.stream(wanted).allMatch(d -> d > 0) && count == data.featuresPerExample()) {
            notes.add("each example's " + data.featuresPerExample() + " values reshaped from " + Arrays.toString(ex) + " to "
                    + Arrays.toString(wanted) + " (row-major)");
            return wanted;
        }
        throw new LossSurfaceException(theirs + ". Give examples of shape " + OnnxModel.dims(wanted) + " (x.npy of shape [examples, "
                + OnnxModel.dims(wanted).substring(1) + "), or a flat row of " + (count > 0 ? count : "as many") + " values.");
    }

    private static int[] classes(Examples data, int columns, OnnxModel model) {
        if (data.labelShape().length != 1) {
            throw new LossSurfaceException("The labels that go with " + data.source() + " have shape " + Arrays.toString(data.labelShape())
                    + "; cross-entropy takes one class index per example, shape [" + data.count() + "]. Use --loss mse for targets.");
        }
        int[] out = new int[data.count()];
        for (int i = 0; i < out.length; i++) {
            float y = data.labels()[i];
            if (y != Math.rint(y) || y < 0 || y >= columns) {
                throw new LossSurfaceException(data.where(i) + ": label " + y + " is not a class of model " + model.file()
                        + ", whose output has " + columns + " columns (classes 0 to " + (columns - 1) + ").");
            }
            out[i] = (int) y;
        }
        return out;
    }

    private static Scoring detect(OnnxModel model, float[] z, int columns, List<String> notes) {
        String op = model.lastOperator();
        if (op.equals("Softmax")) {
            notes.add("output read as probabilities (it comes from a Softmax)");
            return Scoring.PROBABILITIES;
        }
        if (op.equals("LogSoftmax")) {
            notes.add("output read as log-probabilities, scored as logits (it comes from a LogSoftmax)");
            return Scoring.LOGITS;
        }
        boolean probabilities = true;
        for (int r = 0; r < z.length / columns && probabilities; r++) {
            double sum = 0;
            for (int c = 0; c < columns; c++) {
                float v = z[r * columns + c];
                probabilities &= v >= 0 && v <= 1;
                sum += v;
            }
            probabilities &= Math.abs(sum - 1) <= 1e-3;
        }
        notes.add("output read as " + (probabilities ? "probabilities (every row at the centre is in [0, 1] and sums to 1)"
                : "logits (rows at the centre are not probabilities)") + "; state it with --loss cross-entropy-"
                + (probabilities ? "logits" : "probabilities") + " if that is wrong");
        return probabilities ? Scoring.PROBABILITIES : Scoring.LOGITS;
    }

    /**
     * How a worker gives a point's parameters to ONNX Runtime: as graph inputs of one session built once, in ONNX
     * Runtime's own layout ({@link RuntimeLayout}) where it could be learnt and checked, else as stored; or compiled into
     * the model as initializers, one session per point (ONNX Runtime may then fold and pre-pack them, at the price of
     * building a session each time). The evaluator feeds inputs: measured by {@code OnnxFeedingBench}, a session per
     * point was 2 to 3.3 times slower at every size tried (20 k to 10.5 M parameters, every optimisation level).
     */
    enum Feeding { INPUTS, STORED_INPUTS, COMPILED }

    /** A session that evaluates points with {@code feeding}, not one of the evaluator's (for measurements and tests). */
    Worker worker(Feeding feeding) {
        return switch (feeding) {
            case INPUTS -> new Worker(graph, 1);
            case STORED_INPUTS -> new Worker(RuntimeLayout.Graph.asStored(model), 1);
            case COMPILED -> new Worker(null, 1);
        };
    }

    /** Bytes of a direct buffer of {@code floats} floats whose first byte is 64-byte aligned, as ONNX Runtime's kernels load best. */
    private static FloatBuffer aligned(long floats) {
        long padded = (4 * floats + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; // alignedSlice rounds the end down to the alignment too
        return ByteBuffer.allocateDirect(Math.toIntExact(padded + ALIGNMENT)).alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder())
                .asFloatBuffer().limit(Math.toIntExact(floats)).slice();
    }

    /** Values per piece of the inputs that one thread fills. */
    private static final int FILL_CHUNK = 1 << 18;

    /** Alignment of the buffers fed: the vector width of AVX-512. Fed 16-byte aligned, a ResNet-18's convolutions ran 10% slower. */
    private static final int ALIGNMENT = 64;

    /** One session with its parameter and example tensors. */
    final class Worker implements AutoCloseable {
        private final RuntimeLayout.Graph graph; // null: compiled in, a session per point
        private final int threads;
        private OrtSession session;
        private final FloatBuffer[] parameters;
        private final Map<String, OnnxTensor> inputs = new HashMap<>();
        private final List<OnnxTensor> examples = new ArrayList<>();
        /** The inputs' values cut into pieces {tensor, from, to} that the session's threads fill side by side. */
        private final List<int[]> chunks = new ArrayList<>();
        private final java.util.concurrent.ForkJoinPool fillers;
        /** The grid point being evaluated, made when first asked. */
        private float[] point;

        Worker(RuntimeLayout.Graph graph, int threads) {
            this(graph, threads, true);
        }

        /** With the batches' example tensors, or none (for runs on other examples). */
        Worker(RuntimeLayout.Graph graph, int threads, boolean batched) {
            this.graph = graph;
            this.threads = threads;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<RuntimeLayout.Fed> fed = graph == null ? List.of() : graph.fed();
            this.parameters = new FloatBuffer[fed.size()];
            for (int b = 0; b < fed.size(); b++) {
                for (int from = 0, n = fed.get(b).length(); from < n; from += FILL_CHUNK) {
                    chunks.add(new int[] {b, from, Math.min(n, from + FILL_CHUNK)});
                }
            }
            // a heavy point's parameters are made and gathered by its threads too (a ResNet-18's: 23 ms a point on two)
            this.fillers = threads > 1 && chunks.size() > 1 ? new java.util.concurrent.ForkJoinPool(threads) : null;
            try {
                this.session = graph != null ? session(graph.model()) : null;
                for (int b = 0; b < parameters.length; b++) {
                    // A direct buffer backs its tensor without a copy: writing the buffer changes the input.
                    parameters[b] = aligned(fed.get(b).length());
                    inputs.put(fed.get(b).name(), OnnxTensor.createTensor(env, parameters[b], fed.get(b).shape()));
                }
                for (int[] b : batched ? batches : List.<int[]>of()) {
                    examples.add(examples(b[0], b[1]));
                }
            } catch (OrtException e) {
                close();
                throw new LossSurfaceException("ONNX Runtime cannot load model " + model.file() + ": " + e.getMessage(), e);
            }
        }

        /** Its intra-op threads. */
        int threads() {
            return threads;
        }

        /** A tensor of {@code count} examples from {@code first}, in an aligned buffer of its own. */
        OnnxTensor examples(int first, int count) throws OrtException {
            long[] shape = new long[exampleShape.length + 1];
            shape[0] = count;
            System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
            int per = data.featuresPerExample();
            FloatBuffer x = aligned((long) count * per);
            x.put(0, data.features(), first * per, count * per);
            return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), x, shape);
        }

        /** A session of {@code bytes}, its threads, every graph optimisation. */
        private OrtSession session(byte[] bytes) throws OrtException {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                // Without memory patterns the arena's blocks of the first run serve every later one. With them, the second
                // run also gets one block planned for the whole graph: on a ResNet-18, 130 MB more and a second slow run.
                options.setMemoryPatternOptimization(false);
                return OrtEnvironment.getEnvironment().createSession(bytes, options);
            }
        }

        /** The metrics at {@code p}, over every batch. */
        double[] evaluate(float[] p) {
            double loss = 0;
            double correct = 0;
            double[] sums = new double[2];
            for (int b = 0; b < batches.size(); b++) {
                if (b == 0) {
                    set(p);
                }
                float[] z = run(examples.get(b));
                int rows = batches.get(b)[1];
                int first = batches.get(b)[0];
                switch (scoring) {
                    case LOGITS -> {
                        sums[0] = 0;
                        sums[1] = 0;
                        Losses.crossEntropy(z, columns, columns, 1, Arrays.copyOfRange(classes, first, first + rows), 0, rows, sums);
                        loss += sums[0];
                        correct += sums[1];
                    }
                    case PROBABILITIES -> {
                        for (int r = 0; r < rows; r++) {
                            int arg = 0;
                            for (int c = 1; c < columns; c++) {
                                if (z[r * columns + c] > z[r * columns + arg]) {
                                    arg = c;
                                }
                            }
                            int label = classes[first + r];
                            loss += Losses.crossEntropyOfProbability(z[r * columns + label]);
                            correct += arg == label ? 1 : 0;
                        }
                    }
                    case MSE -> {
                        float[] y = data.labels();
                        for (int k = 0; k < z.length; k++) {
                            double d = (double) z[k] - y[first * columns + k];
                            loss += d * d;
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            int n = data.count();
            return scoring == Scoring.MSE ? new double[] {loss / ((double) n * columns)} : new double[] {loss / n, correct / n};
        }

        /** The model's output for batch {@code b} at the parameters {@code p}. */
        float[] output(float[] p, int b) {
            set(p);
            return run(examples.get(b));
        }

        /** Gives the session the parameters {@code p}: writes its inputs, or compiles a session with them. */
        void set(float[] p) {
            if (graph != null) {
                fill(p);
            } else {
                try {
                    if (session != null) {
                        session.close();
                    }
                    session = null;
                    session = session(model.withParameters(p));
                } catch (OrtException e) {
                    throw new LossSurfaceException("ONNX Runtime cannot load model " + model.file() + " with a point's parameters: "
                            + e.getMessage(), e);
                }
            }
        }

        /**
         * The metrics at point (i, j) of {@code grid}. Its parameters are made as one vector first, by the session's
         * threads side by side, and gathered from it: on a ResNet-18, 20 to 25 ms a point, where computing each value as it
         * was gathered (three vectors read out of order) took 35.
         */
        double[] evaluate(GridRequest grid, int i, int j) {
            int n = grid.centre().length;
            if (point == null || point.length != n) {
                point = new float[n];
            }
            float[] p = point;
            if (fillers == null) {
                grid.point(i, j, p);
            } else {
                int pieces = (n + FILL_CHUNK - 1) / FILL_CHUNK;
                fillers.submit(() -> java.util.stream.IntStream.range(0, pieces).parallel()
                        .forEach(c -> grid.point(i, j, p, c * FILL_CHUNK, Math.min(n, (c + 1) * FILL_CHUNK)))).join();
            }
            return evaluate(p);
        }

        /** Writes the parameters {@code p} into the session's inputs. */
        private void fill(float[] p) {
            if (fillers == null) {
                for (int[] c : chunks) {
                    graph.fed().get(c[0]).fill(p, parameters[c[0]], c[1], c[2]);
                }
            } else {
                fillers.submit(() -> chunks.parallelStream().forEach(c -> graph.fed().get(c[0]).fill(p, parameters[c[0]], c[1], c[2])))
                        .join();
            }
        }

        /** The model's output for the examples {@code x}, at the parameters last set. */
        float[] run(OnnxTensor x) {
            inputs.put(model.input(), x);
            try (OrtSession.Result result = session.run(inputs, Set.of(model.output()))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] z = new float[out.remaining()];
                out.get(z);
                return z;
            } catch (OrtException | ClassCastException e) {
                throw new LossSurfaceException("ONNX Runtime could not run model " + model.file() + " on " + data.source() + ": "
                        + e.getMessage() + ". Check that the examples have the shape and scaling the model was trained on.", e);
            } finally {
                inputs.remove(model.input());
            }
        }

        @Override
        public void close() {
            if (fillers != null) {
                fillers.shutdown();
            }
            inputs.values().forEach(OnnxTensor::close);
            examples.forEach(OnnxTensor::close);
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    // nothing left to free
                }
            }
        }
    }
}
