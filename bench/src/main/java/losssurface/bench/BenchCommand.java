package losssurface.bench;

import jakarta.inject.Inject;
import jakarta.inject.Provider;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

import losssurface.api.LossSurfaceException;
import losssurface.api.ModelSource;
import losssurface.api.NamedArray;
import losssurface.api.io.Npy;
import losssurface.data.Losses;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.TrainedModel;
import losssurface.api.TrainerProvider;
import losssurface.nn.SupervisedTask;
import losssurface.nn.dense.DenseNet;
import losssurface.rl.ReturnObjective;
import losssurface.rl.TdObjective;
import losssurface.rl.Transitions;
import losssurface.runner.Pipeline;
import losssurface.runs.Analysis;
import losssurface.runner.PluginOptions;
import losssurface.runner.ProbeSavedRequest;
import losssurface.runner.RunOutcome;
import losssurface.runner.RunRequest;
import losssurface.runner.RuntimeInfo;
import losssurface.runner.Streams;
import losssurface.runner.UsageException;
import losssurface.runs.RunFolder;
import losssurface.runs.SurfaceJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code losssurface bench}: the plain and the fast surface evaluators on the same workloads, in
 * one process and one run, beside the machine's limit ({@link MachineLimit}: the sgemm rate at each
 * workload's decisive shape over the operations one point needs) and the PyTorch peer
 * ({@link TorchPeer}) on the same model, directions, data and threads when python3 with PyTorch is
 * present. Each surface is a request to the run pipeline ({@link Pipeline}: {@code run} with
 * {@code surface.evaluator} plain or fast, the model trained once and drawn again with
 * {@code --from}; {@code probe --model} for the shipped ONNX model), so bench measures the path
 * {@code run} takes. Prints grid points per second (the points over the seconds they took, the evaluator prepared and
 * the directions' drawing left out), the speed-ups, the largest relative difference between the two surfaces, one MNIST training epoch against
 * PyTorch's, and peak memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the plain and the fast surface evaluators on the standard workloads, against the machine's limit and PyTorch.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

    @Option(names = "--workloads", split = ",", defaultValue = "mnist,td-frozen,return,onnx-cnn", paramLabel = "NAME",
            description = "Workloads to run (default: ${DEFAULT-VALUE}; also dl4j-cnn, about 7 minutes; curvature, about 2"
                    + " minutes: the MNIST MLP's top-5 eigenvalues and trace against PyTorch's double backward; and onnx-resnet,"
                    + " about 2 minutes: a ResNet-18 for CIFAR against ONNX Runtime with its weights compiled in).")
    List<String> workloads;

    @Option(names = "--grid", paramLabel = "N", description = "Override every workload's grid size (N x N).")
    Integer grid;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cache", paramLabel = "DIR", description = "Download cache (as for run).")
    Path cache;

    @Option(names = "--no-peer", description = "Do not run the PyTorch peer.")
    boolean noPeer;

    @Option(names = "--python", defaultValue = "python3", paramLabel = "CMD",
            description = "Python with PyTorch for the peer (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-seconds", defaultValue = "10", paramLabel = "S",
            description = "Seconds the peer spends on grid points per workload (default: ${DEFAULT-VALUE}).")
    double peerSeconds;

    /** The renderer bench's runs use: the numbers alone. */
    static final String RENDERER = "data";

    /** Seconds the machine's sgemm rate is measured for, per workload. */
    static final double LIMIT_SECONDS = 2;

    private final Provider<Map<String, TaskProvider>> taskProviders;
    private final Provider<Map<String, TrainerProvider>> trainerProviders;
    private final Pipeline pipeline;
    private final Progress progress;
    private final RuntimeInfo runtime;
    private final Streams streams;

    @Inject
    public BenchCommand(PluginOptions pluginOptions, Provider<Map<String, TaskProvider>> taskProviders,
                        Provider<Map<String, TrainerProvider>> trainerProviders, Pipeline pipeline, Progress progress,
                        RuntimeInfo runtime, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.taskProviders = taskProviders;
        this.trainerProviders = trainerProviders;
        this.pipeline = pipeline;
        this.progress = progress;
        this.runtime = runtime;
        this.streams = streams;
    }

    @Override
    public Integer call() {
        Map<String, TaskProvider> tasks = taskProviders.get();
        Map<String, TrainerProvider> trainers = trainerProviders.get();
        PrintStream out = streams.out();

        // Check every argument before training anything.
        if (grid != null && (grid < 2 || grid > 10_001)) {
            throw new UsageException("--grid must be between 2 and 10001 points per axis, was " + grid + ".");
        }
        List<Workload> chosen = new ArrayList<>();
        boolean curvature = workloads.contains(CURVATURE);
        boolean resnet = workloads.contains(RESNET);
        for (String name : workloads.stream().filter(w -> !w.equals(CURVATURE) && !w.equals(RESNET)).toList()) {
            chosen.add(Workload.STANDARD.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new UsageException("Unknown workload '" + name + "'. Available: "
                            + String.join(", ", Workload.STANDARD.stream().map(Workload::name).toList()) + ", " + CURVATURE + ", "
                            + RESNET + ".")));
        }
        if (!(peerSeconds > 0 && peerSeconds <= 3600)) {
            throw new UsageException("--peer-seconds must be more than 0 and at most 3600, was " + peerSeconds + ".");
        }
        int threads = RunContext.cores();
        TorchPeer peer = noPeer ? null : new TorchPeer(TorchPeer.locate(), python, threads);
        List<String> rows = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Path> trainedIn = new LinkedHashMap<>();
        List<String> epochLines = new ArrayList<>();
        List<String> extraLines = new ArrayList<>();
        Path work = BenchSupport.temporaryFolder();
        try {
            for (Workload w : chosen) {
                if (!tasks.containsKey(w.task()) || (w.onnx().isEmpty() && !trainers.containsKey(w.trainer()))) {
                    missing.add(w.name() + " (needs task '" + w.task() + "' and trainer '" + w.trainer() + "', not installed)");
                    continue;
                }
                int n = grid != null ? grid : w.grid();
                progress.info("Workload " + w.name() + ": " + w.about() + ", grid " + n + "x" + n);
                RunContext context = new RunContext(seed, progress, cache != null ? cache : RunContext.defaultCache(), threads);
                Task task = tasks.get(w.task()).create(Settings.of(w.settings())); // for the peer's data and the limit's count
                Path examples = w.onnx().isEmpty() ? null : BenchSupport.evaluationFiles((SupervisedTask) task, context, work);
                // one trained model per task, trainer and settings: the RL workloads draw two objectives of one agent
                String key = w.task() + " " + w.trainer() + " " + w.settings();
                Map<String, RunResult> runs = new LinkedHashMap<>();
                Map<String, Path> dirs = new LinkedHashMap<>();
                Map<String, Double> rates = new LinkedHashMap<>();
                for (String evaluator : List.of("plain", "fast")) {
                    // a request to the pipeline run takes: tiles saved in a run folder as they finish
                    Map<String, String> settings = new LinkedHashMap<>(w.settings());
                    settings.put("plane.grid", String.valueOf(n));
                    settings.put(SurfaceJob.EVALUATOR, evaluator);
                    settings.put(Analysis.SHARPNESS, "off"); // bench times the surface stage
                    if (!w.objective().isEmpty()) {
                        settings.put("rl.objective", w.objective());
                    }
                    RunOutcome outcome;
                    if (w.onnx().isEmpty()) {
                        RunRequest request = new RunRequest(w.task(), w.trainer(), "random-plane", List.of(RENDERER),
                                Settings.of(settings), work, seed, context.cacheDir());
                        outcome = pipeline.run(trainedIn.containsKey(key) ? request.trainedIn(trainedIn.get(key)) : request).get(0);
                        trainedIn.putIfAbsent(key, outcome.runDir());
                    } else {
                        settings.keySet().removeAll(w.settings().keySet());
                        outcome = pipeline.probe(new ProbeSavedRequest(BenchSupport.onnx(w.onnx(), work), examples,
                                new ModelSource.Options("label", ModelSource.Options.AUTO, 0, false), "random-plane",
                                List.of(RENDERER), Settings.of(settings), work, seed, context.cacheDir()));
                    }
                    runs.put(evaluator, RunFolder.read(outcome.runDir()));
                    dirs.put(evaluator, outcome.runDir());
                    rates.put(evaluator, BenchSupport.pointsPerSecond(runs.get(evaluator)));
                    progress.info("  " + evaluator + " evaluator done; resident memory now " + BenchSupport.resident("VmRSS:"));
                }
                RunResult plainRun = runs.get("plain");
                Surface plain = plainRun.surface();
                Surface fast = runs.get("fast").surface();
                Path runDir = dirs.get("plain"); // the objective's artefacts, and the trained model every run keeps
                OptionalDouble torch = OptionalDouble.empty();
                if (peer != null && peer.available()) {
                    progress.info("  PyTorch peer (plain method, " + threads + " threads, up to " + peerSeconds + " s)...");
                    Map<String, NamedArray> data = w.peer().equals("cross-entropy")
                            ? BenchSupport.classification(((SupervisedTask) task).evaluationSet(context))
                            : BenchSupport.artefacts(runDir, w.peer().equals("td")
                            ? List.of(Transitions.STATES, Transitions.ACTIONS, TdObjective.TARGETS) : List.of(ReturnObjective.STARTS));
                    DenseNet shape = w.peerModel().isEmpty() ? DenseNet.of(plainRun.model().layout()) : null;
                    Optional<TorchPeer.Result> r = shape == null
                            ? peer.surface(w.name(), w.peerModel(), w.peerLayout(plainRun.model().layout()), plain, data, peerSeconds)
                            : peer.surface(w.name(), w.peer(), shape, plain, data, peerSeconds);
                    if (r.isPresent()) {
                        torch = r.get().perSecond();
                        double ours = plain.value(plain.lossMetric(), n / 2, n / 2);
                        r.get().centre().ifPresent(c -> checks.add(String.format(Locale.ROOT,
                                "%s: %s at theta* ours %.6g, PyTorch %.6g (%d PyTorch points in %.1f s, torch %s)", w.name(),
                                plain.lossMetric(), ours, c, r.get().points(), r.get().seconds(), r.get().torch())));
                    }
                    if (w.peer().equals("cross-entropy") && w.onnx().isEmpty()
                            && plainRun.model().summary().get("last-epoch-seconds") instanceof Number ours) {
                        TrainedModel trained = RunFolder.readTrained(runDir).orElseThrow();
                        epochLines.add(trainingEpoch(peer, w, (SupervisedTask) task, context, shape, plainRun.model().layout(), trained,
                                ours.doubleValue()));
                    }
                }
                StringBuilder others = new StringBuilder();
                for (String metric : plain.metrics().subList(1, plain.metrics().size())) {
                    others.append(String.format(Locale.ROOT, "%s max |diff| %.1e; ", metric,
                            BenchSupport.maxAbsoluteDifference(plain, fast, metric)));
                }
                double fastRate = rates.get("fast");
                MachineLimit.Bound bound = MachineLimit.Bound.measure(w.work(plainRun, runDir, task, context), threads, LIMIT_SECONDS);
                limits.add(w.name() + ": " + bound.describe());
                rows.add(String.format(Locale.ROOT, "%-10s %5s %12.1f %12.1f %9.2fx %12.1f %10.2f %12s %10s %14.2e  %s%s",
                        w.name(), n + "x" + n, rates.get("plain"), fastRate, fastRate / rates.get("plain"),
                        bound.pointsPerSecond(), fastRate / bound.pointsPerSecond(),
                        torch.isPresent() ? String.format(Locale.ROOT, "%.1f", torch.getAsDouble()) : "-",
                        torch.isPresent() ? String.format(Locale.ROOT, "%.2fx", fastRate / torch.getAsDouble()) : "-",
                        BenchSupport.maxRelativeDifference(plain, fast, plain.lossMetric()), others,
                        fast.info().getOrDefault("evaluator", "?")
                                + (fast.info().containsKey("evaluator-note") ? " (" + fast.info().get("evaluator-note") + ")" : "")));
            }
            if (curvature) {
                extraLines.addAll(curvature(tasks, trainers, peer, work, threads, trainedIn));
            }
            if (resnet) {
                extraLines.addAll(resnet(peer, work, threads));
            }
        } finally {
            RunFolder.deleteQuietly(work);
        }
        out.println();
        if (!rows.isEmpty()) {
            out.println(String.format(Locale.ROOT, "%-10s %5s %12s %12s %10s %12s %10s %12s %10s %14s  %s",
                    "workload", "grid", "plain pts/s", "fast pts/s", "fast/plain", "limit pts/s", "fast/limit", "torch pts/s",
                    "fast/torch", "loss rel diff", "other metrics; fast evaluator"));
        }
        rows.forEach(out::println);
        epochLines.forEach(out::println);
        extraLines.forEach(out::println);
        limits.forEach(l -> out.println("limit " + l));
        missing.forEach(m -> out.println("not run: " + m));
        checks.forEach(c -> out.println("check " + c));
        if (peer != null) {
            peer.notes().forEach(m -> out.println("note: " + m));
        }
        out.println("surfaces: each a request to the run pipeline (the path run takes: tiles saved in a run folder as they"
                + " finish; points/s: the points over the seconds they took, preparing the evaluator included and drawing the"
                + " directions left out)");
        out.println(String.format(Locale.ROOT, "peak memory: resident %s, Java heap %s; %d cores, %d threads; BLAS %s",
                BenchSupport.peakResident(), BenchSupport.mib(BenchSupport.peakHeap()), Runtime.getRuntime().availableProcessors(),
                threads, runtime.blas()));
        return 0;
    }

    /** The workload of a ResNet-18 for CIFAR as an exporter writes it, against ONNX Runtime with its weights compiled in. */
    static final String RESNET = "onnx-resnet";
    static final int RESNET_EXAMPLES = 256;
    static final int RESNET_GRID = 5;

    /**
     * A ResNet-18 for CIFAR (11.2 M parameters, weights in external data, made from the seed: {@link ResNetOnnx}) over 256
     * CIFAR-shaped examples, 5x5: our surface as {@code probe --model} draws it, against ONNX Runtime running the file as it
     * is (the weights compiled in, one session with the run's threads), which is as fast as a point can be when nothing is
     * re-compiled; and PyTorch's plain method on the same network ({@code bench/peers/resnet18_cifar.py}), point and data.
     * Lines of the report.
     */
    private List<String> resnet(TorchPeer peer, Path work, int threads) {
        progress.info("Workload " + RESNET + ": a ResNet-18 for CIFAR (weights in external data, made from the seed), "
                + RESNET_EXAMPLES + " examples, grid " + RESNET_GRID + "x" + RESNET_GRID);
        Path dir = work.resolve("resnet");
        ResNetOnnx.Written model;
        ResNetOnnx.Data data = ResNetOnnx.examples(RESNET_EXAMPLES, seed);
        Path examples = dir.resolve("data");
        try {
            model = ResNetOnnx.write(dir, seed);
            Files.createDirectories(examples);
            Npy.write(examples.resolve("x.npy"), data.x());
            Npy.write(examples.resolve("y.npy"), data.y());
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot write the ResNet workload's model into " + dir + ": " + e.getMessage(), e);
        }
        progress.info("  ONNX Runtime with the weights compiled in (" + threads + " threads), then ours, then it again...");
        double before;
        double after;
        Ours ours;
        double ortCentre;
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession.SessionOptions options = new ai.onnxruntime.OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (ai.onnxruntime.OrtSession session = env.createSession(model.file().toString(), options);
                 ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(env,
                         java.nio.FloatBuffer.wrap((float[]) data.x().values()), new long[] {RESNET_EXAMPLES, 3, 32, 32})) {
                try (ai.onnxruntime.OrtSession.Result warm = session.run(Map.of("x", x))) {
                    java.nio.FloatBuffer out = ((ai.onnxruntime.OnnxTensor) warm.get(0)).getFloatBuffer();
                    float[] z = new float[out.remaining()];
                    out.get(z);
                    double[] sums = new double[2];
                    int classes = z.length / RESNET_EXAMPLES;
                    Losses.crossEntropy(z, classes, classes, 1, (int[]) data.y().values(), 0, RESNET_EXAMPLES, sums);
                    ortCentre = sums[0] / RESNET_EXAMPLES;
                }
                // as many runs as our grid has points, half before ours and half after: the machine's speed drifts
                int points = RESNET_GRID * RESNET_GRID;
                before = runs(session, x, (points + 1) / 2);
                ours = resnetProbe(model, examples, dir);
                after = runs(session, x, points / 2);
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new LossSurfaceException("ONNX Runtime could not run the ResNet workload's model: " + e.getMessage(), e);
        }
        RunResult run = ours.run();
        String peak = ours.peakBytes() < 0 ? "unknown" : BenchSupport.mib(ours.peakBytes());
        double rate = BenchSupport.pointsPerSecond(run);
        double oursCentre = run.surface().value(run.surface().lossMetric(), RESNET_GRID / 2, RESNET_GRID / 2);
        double seconds = (before + after) / 2;
        String torch = "PyTorch: not run (--no-peer, or no python3 with PyTorch)";
        String torchCentre = "";
        if (peer != null && peer.available()) {
            progress.info("  PyTorch peer (plain method, " + threads + " threads, up to " + peerSeconds + " s)...");
            float[] x = (float[]) data.x().values();
            Map<String, NamedArray> flat = Map.of("x", new NamedArray(new int[] {RESNET_EXAMPLES, x.length / RESNET_EXAMPLES}, x),
                    "y", data.y());
            Optional<TorchPeer.Result> r = peer.surface(RESNET, "resnet18-cifar", run.model().layout(), run.surface(), flat, peerSeconds);
            if (r.isPresent() && r.get().perSecond().isPresent()) {
                torch = String.format(Locale.ROOT, "PyTorch %.2f pts/s (plain method, %d points in %.1f s, torch %s); ours/PyTorch %.2f",
                        r.get().perSecond().getAsDouble(), r.get().points(), r.get().seconds(), r.get().torch(),
                        rate / r.get().perSecond().getAsDouble());
                torchCentre = r.get().centre().isPresent() ? String.format(Locale.ROOT, ", PyTorch %.7g", r.get().centre().getAsDouble()) : "";
            } else {
                torch = "PyTorch: no figure (see the notes)";
            }
        }
        Object note = run.surface().info().get("evaluator-note");
        return List.of(String.format(Locale.ROOT, "%s (ResNet-18 for CIFAR, %,d parameters in external data, %d examples, %dx%d): ours"
                        + " %.2f pts/s (%s evaluator: %s); ONNX Runtime with the weights compiled in %.2f pts/s (one session, %d"
                        + " threads, no point's parameters to feed; %.2f before ours, %.2f after); ours/ORT %.2f; peak resident of our"
                        + " probe's process %s; %s", RESNET, model.parameters(), RESNET_EXAMPLES, RESNET_GRID, RESNET_GRID, rate,
                        run.surface().info().getOrDefault("evaluator", "?"), note == null ? "" : note, 1 / seconds, threads,
                        1 / before, 1 / after, rate * seconds, peak, torch),
                String.format(Locale.ROOT, "check %s: loss at theta* ours %.7g, ONNX Runtime compiled-in %.7g%s", RESNET, oursCentre,
                        ortCentre, torchCentre));
    }

    /** Seconds a run of {@code session} on {@code x} takes, the mean of {@code runs}. */
    private static double runs(ai.onnxruntime.OrtSession session, ai.onnxruntime.OnnxTensor x, int runs)
            throws ai.onnxruntime.OrtException {
        long t0 = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            session.run(Map.of("x", x)).close();
        }
        return (System.nanoTime() - t0) / 1e9 / runs;
    }

    /** Our run of the ResNet workload, and the peak resident memory of its process (-1: unknown). */
    private record Ours(RunResult run, long peakBytes) {
    }

    /** Our probe of the ResNet workload as a user runs it, in a process of its own: its memory is the probe's alone. */
    private Ours resnetProbe(ResNetOnnx.Written model, Path examples, Path dir) {
        progress.info("  ours: losssurface probe --model " + model.file().getFileName() + " in a process of its own...");
        Path runs = dir.resolve("runs");
        BenchSupport.Child child;
        try {
            child = BenchSupport.runner(List.of("probe", "--model", model.file().toString(), "--data", examples.toString(),
                    "--set", "plane.grid=" + RESNET_GRID, "--set", Analysis.SHARPNESS + "=off", "--renderer", RENDERER,
                    "--seed", String.valueOf(seed), "--out", runs.toString()), dir.resolve("probe.log"));
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot start the probe of the ResNet workload: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LossSurfaceException("The bench was interrupted during the ResNet workload's probe.", e);
        }
        RunResult run;
        try {
            String said = child.output();
            java.util.regex.Matcher folder = java.util.regex.Pattern.compile("(?m)^Run folder: (.+)$").matcher(said);
            if (child.exit() != 0 || !folder.find()) {
                throw new LossSurfaceException("The probe of the ResNet workload failed (exit " + child.exit() + "); its output is in "
                        + child.log() + ":\n" + said.lines().filter(l -> l.startsWith("error")).findFirst().orElse(said.strip()));
            }
            run = RunFolder.read(Path.of(folder.group(1).strip()));
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read the output of the ResNet workload's probe: " + e.getMessage(), e);
        }
        return new Ours(run, child.peakBytes());
    }

    /** The workload of the curvature at the MNIST MLP's theta*. */
    static final String CURVATURE = "curvature";
    /** Its Lanczos steps, eigenvalues and Hutchinson samples (a fixed count, so both sides make the same products). */
    static final int CURVATURE_STEPS = 30;
    static final int CURVATURE_K = 5;
    static final int CURVATURE_SAMPLES = 100;

    /**
     * The top-5 eigenvalues and the trace of the MNIST MLP over the 10,000 test images: a request to the run pipeline
     * ({@code curvature=on} on a 3x3 plane; the network trained as the mnist workload trains it, or reused from it),
     * against PyHessian's computation in the PyTorch peer on the same network, point and data. Lines of the report.
     */
    private List<String> curvature(Map<String, TaskProvider> tasks, Map<String, TrainerProvider> trainers, TorchPeer peer,
                                   Path work, int threads, Map<String, Path> trainedIn) {
        Workload mnist = Workload.STANDARD.get(0);
        if (!tasks.containsKey(mnist.task()) || !trainers.containsKey(mnist.trainer())) {
            return List.of("not run: curvature (needs task 'mnist' and trainer 'supervised', not installed)");
        }
        progress.info("Workload curvature: the MNIST MLP's top " + CURVATURE_K + " eigenvalues (" + CURVATURE_STEPS
                + " Lanczos products) and trace (" + CURVATURE_SAMPLES + " Hutchinson products) over the 10,000 test images");
        RunContext context = new RunContext(seed, progress, cache != null ? cache : RunContext.defaultCache(), threads);
        Map<String, String> settings = new LinkedHashMap<>(mnist.settings());
        settings.put("plane.grid", "3");
        settings.put(Analysis.CURVATURE, "on");
        settings.put(Analysis.SHARPNESS, "off");
        settings.put("curvature.iterations", String.valueOf(CURVATURE_STEPS));
        settings.put("curvature.k", String.valueOf(CURVATURE_K));
        settings.put("curvature.trace-samples", String.valueOf(CURVATURE_SAMPLES));
        settings.put("curvature.trace-tolerance", "0");
        settings.put("curvature.density", "0");
        String key = mnist.task() + " " + mnist.trainer() + " " + mnist.settings();
        RunRequest request = new RunRequest(mnist.task(), mnist.trainer(), "random-plane", List.of(RENDERER), Settings.of(settings),
                work, seed, context.cacheDir());
        RunOutcome outcome = pipeline.run(trainedIn.containsKey(key) ? request.trainedIn(trainedIn.get(key)) : request).get(0);
        RunResult run = RunFolder.read(outcome.runDir());
        @SuppressWarnings("unchecked")
        Map<String, Object> ours = (Map<String, Object>) run.surface().info().get(Surface.CURVATURE);
        double seconds = ((Number) ours.get("seconds")).doubleValue();
        double perProduct = ((Number) ours.get("seconds-per-product")).doubleValue();
        double gradient = ((Number) ours.get("gradient-seconds")).doubleValue();
        List<String> lines = new ArrayList<>();
        String what = String.format(Locale.ROOT, "curvature (MNIST MLP, 10k test images, %d products): ours %.1f s, %.3f s a product"
                        + " (%s; set up once in %.2f s), a gradient %.3f s (DL4J's): a product costs %.2f gradients",
                ((Number) ours.get("products")).intValue(), seconds, perProduct, ours.get("method"),
                ((Number) ours.get("setup-seconds")).doubleValue(), gradient, perProduct / gradient);
        Optional<TorchPeer.Result> torch = Optional.empty();
        if (peer != null && peer.available()) {
            Task task = tasks.get(mnist.task()).create(Settings.of(mnist.settings()));
            Map<String, NamedArray> data = BenchSupport.classification(((SupervisedTask) task).evaluationSet(context));
            progress.info("  PyTorch peer (PyHessian's double backward, " + threads + " threads)...");
            torch = peer.curvature(CURVATURE, DenseNet.of(run.model().layout()), run.surface().centre(), data.get("x"), data.get("y"),
                    CURVATURE_STEPS, CURVATURE_K, CURVATURE_SAMPLES);
        }
        if (torch.isEmpty()) {
            lines.add(what);
            return lines;
        }
        String json = torch.get().json();
        double theirs = torch.get().seconds();
        double theirProduct = TorchPeer.number(json, "product_seconds").orElse(Double.NaN);
        double theirGradient = TorchPeer.number(json, "gradient_seconds").orElse(Double.NaN);
        lines.add(what + String.format(Locale.ROOT, "; PyTorch %.1f s, %.3f s a product (float32 double backward), a gradient %.3f s:"
                + " %.2f gradients a product; ours at %.2fx PyTorch's speed", theirs, theirProduct, theirGradient,
                theirProduct / theirGradient, theirs / seconds));
        @SuppressWarnings("unchecked")
        List<Number> eig = (List<Number>) ours.get("eigenvalues");
        lines.add("check curvature: top eigenvalues ours " + eig.stream().map(v -> String.format(Locale.ROOT, "%.4f", v.doubleValue())).toList()
                + ", PyTorch " + java.util.Arrays.stream(TorchPeer.numbers(json, "eigenvalues"))
                .mapToObj(v -> String.format(Locale.ROOT, "%.4f", v)).toList()
                + String.format(Locale.ROOT, "; trace ours %.2f +- %.2f, PyTorch %.2f +- %.2f (independent Rademacher samples)",
                ((Number) ours.get("trace")).doubleValue(), ((Number) ours.get("trace-stderr")).doubleValue(),
                TorchPeer.number(json, "trace").orElse(Double.NaN), TorchPeer.number(json, "trace_stderr").orElse(Double.NaN)));
        return lines;
    }

    /**
     * Our seconds per training epoch against PyTorch's on the same network, data order and batches, as a line of the table:
     * a multilayer perceptron ({@code shape}) or a network the peer defines (the workload's {@link Workload#peerModel()}).
     */
    private static String trainingEpoch(TorchPeer peer, Workload w, SupervisedTask task, RunContext context, DenseNet shape,
                                        losssurface.api.ParameterLayout layout, TrainedModel model, double ours) {
        int examples = ((Number) model.summary().get("train-examples")).intValue();
        int batch = ((Number) model.summary().get("batch-size")).intValue();
        double rate = ((Number) model.summary().get("learning-rate")).doubleValue();
        // as many examples as we trained on, drawn from the training set, visited in a random order
        Map<String, NamedArray> all = BenchSupport.classification(task.trainingSet(context));
        int total = all.get("x").shape()[0];
        int features = all.get("x").shape()[1];
        int[] perm = losssurface.nn.Shuffle.permutation(total, context.seed());
        float[] allX = (float[]) all.get("x").values();
        int[] allY = (int[]) all.get("y").values();
        float[] x = new float[examples * features];
        int[] y = new int[examples];
        for (int i = 0; i < examples; i++) {
            System.arraycopy(allX, perm[i] * features, x, i * features, features);
            y[i] = allY[perm[i]];
        }
        int[] order = java.util.stream.IntStream.range(0, examples).toArray();
        NamedArray xs = new NamedArray(new int[] {examples, features}, x);
        NamedArray ys = new NamedArray(new int[] {examples}, y);
        float[] start = model.checkpoints().get(0);
        Optional<TorchPeer.Result> r = shape != null
                ? peer.trainEpoch(w.name(), shape, start, xs, ys, order, batch, rate)
                : peer.trainEpoch(w.name(), w.peerModel(), w.peerLayout(layout), start, xs, ys, order, batch, rate);
        String what = String.format(Locale.ROOT, "%s training epoch (%d images, batch %d, Adam %.0e): ours %.2f s (%s engine)", w.name(),
                examples, batch, rate, ours, model.summary().get("engine"));
        return r.map(t -> String.format(Locale.ROOT, "%s, PyTorch %.2f s: %.2fx PyTorch's time", what, t.seconds(), ours / t.seconds()))
                .orElse(what);
    }
}
