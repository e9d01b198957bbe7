package losssurface.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


import com.google.inject.Inject;

import losssurface.api.Agent;
import losssurface.api.Check;
import losssurface.api.Comparison;
import losssurface.api.EnvironmentTask;
import losssurface.api.IncompleteSurfaceException;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.ProbeProvider;
import losssurface.api.Progress;
import losssurface.api.Provenance;
import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.SurfaceProbe;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.TrainedModel;
import losssurface.api.Trainer;
import losssurface.api.TrainerProvider;
import losssurface.nn.DataFiles;
import losssurface.nn.Examples;
import losssurface.onnx.OnnxModel;
import losssurface.onnx.OnnxObjective;
import losssurface.nn.HasNetwork;
import losssurface.nn.SavedNetwork;
import losssurface.runner.RunStates.Tracked;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;
import losssurface.runs.RunTiles;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Composes a task, a trainer, a probe and renderers into a run: create every plugin from the
 * settings (so bad settings fail before any work), check the pairing, train, probe, render.
 */
final class RunService {

    private final Map<String, TaskProvider> tasks;
    private final Map<String, TrainerProvider> trainers;
    private final Map<String, ProbeProvider> probes;
    private final Map<String, RendererProvider> renderers;
    private final Progress progress;
    private final RuntimeInfo runtime;
    private final RunStates states;

    @Inject
    RunService(Map<String, TaskProvider> tasks, Map<String, TrainerProvider> trainers, Map<String, ProbeProvider> probes,
               Map<String, RendererProvider> renderers, Progress progress, RuntimeInfo runtime, RunStates states) {
        this.tasks = tasks;
        this.trainers = trainers;
        this.probes = probes;
        this.renderers = renderers;
        this.progress = progress;
        this.runtime = runtime;
        this.states = states;
    }

    /**
     * Trains once, then draws the surface of each objective the trained model offers (one for most
     * models; an agent may offer several, e.g. {@code rl.objective=td-frozen,return}), each into a
     * run folder of its own, with the same directions.
     */
    List<RunOutcome> run(RunRequest request) {
        return run(request, TileJob.LOCAL);
    }

    /** A new run of which this process computes only {@code job}'s share of the surface's tiles. */
    List<RunOutcome> run(RunRequest request, TileJob job) {
        return run(request, null, null, job, List.of());
    }

    /**
     * Finishes the interrupted run in {@code runDir}, as asked by its saved request: restores the
     * trained model it kept (or trains again where the trainer cannot restore, or training had not
     * ended: the same seed gives the same theta*, which the saved tiles check), then computes only
     * the surface tiles that are missing.
     */
    /**
     * Which of a surface's tiles this process computes, and what it is (recorded with each tile).
     *
     * @param share  the share of the tiles
     * @param engine {@code local}, or {@code spark} in a Spark task
     */
    record TileJob(RunTiles.Share share, String engine) {
        static final TileJob LOCAL = new TileJob(RunTiles.Share.ALL, "local");
    }

    RunOutcome resume(Path runDir, TileJob job) {
        RunTiles.Share share = job.share();
        RunState state = RunState.read(runDir).orElseThrow(() -> new UsageException(runDir + (Files.isDirectory(runDir)
                ? " has no " + RunFolder.STATE + ": it is not a run folder, or was written before runs could be resumed."
                  + " Start a new run." : " does not exist. Name the folder of the run to finish.")));
        if (state.complete()) { // not an error: another share may have finished it
            return RunOutcome.nothingToDo(runDir, runDir + " is complete: there is nothing to resume (another share may have"
                    + " finished it). Draw it again with 'losssurface render " + runDir + "'.");
        }
        if (state.alive() && share.all()) {
            throw new UsageException(runDir + " is " + state.describe(runDir) + ". Wait for it to finish, or stop it first.");
        }
        Map<String, Object> r = state.request();
        @SuppressWarnings("unchecked")
        Map<String, String> settings = (Map<String, String>) r.get("settings");
        @SuppressWarnings("unchecked")
        List<String> renderers = (List<String>) r.get("renderers");
        RunRequest request = new RunRequest((String) r.get("task"), (String) r.get("trainer"), (String) r.get("probe"), renderers,
                Settings.of(settings), runDir.toAbsolutePath().getParent(), ((Number) r.get("seed")).longValue(),
                Path.of((String) r.get("cache")));
        String objective = (String) r.get("objective");
        progress.info("Resuming " + runDir + " (" + state.describe(runDir) + ").");
        List<String> resumes = new ArrayList<>();
        if (r.get("resumes") instanceof List<?> before) {
            before.forEach(x -> resumes.add(String.valueOf(x)));
        }
        resumes.add(java.time.Instant.now() + ": resumed" + (job.share().all() ? "" : " share " + job.share()) + " ("
                + job.engine() + ") from: " + state.describe(runDir));
        return run(request, runDir.toAbsolutePath().normalize(), objective == null || objective.isEmpty() ? null : objective,
                job, resumes).get(0);
    }

    /**
     * @param existing  the run folder to finish, or null for a new one
     * @param objective the only objective to draw (resuming one folder of a model with several), or null for all
     * @param job       the share of the surface's tiles this process computes
     * @param resumes   each resume of the run so far, this one last (empty for a new run)
     */
    private List<RunOutcome> run(RunRequest request, Path existing, String objective, TileJob job, List<String> resumes) {
        Settings settings = request.settings();
        TaskProvider taskProvider = lookup("task", request.task(), tasks);
        TrainerProvider trainerProvider = lookup("trainer", request.trainer(), trainers);
        ProbeProvider probeProvider = lookup("probe", request.probe(), probes);

        Task task = taskProvider.create(settings.forOwner("task " + taskProvider.name()));
        Trainer trainer = trainerProvider.create(settings.forOwner("trainer " + trainerProvider.name()));
        SurfaceProbe probe = probeProvider.create(settings.forOwner("probe " + probeProvider.name()));
        Map<String, Renderer> chosen = createRenderers(request.renderers(), settings);
        int threads = threads(settings);
        settings.requireAllKnown();
        if (!trainerProvider.taskType().isInstance(task)) {
            List<String> fit = trainers.values().stream().filter(t -> t.taskType().isInstance(task))
                    .map(TrainerProvider::name).sorted().toList();
            throw new UsageException("Trainer '" + trainerProvider.name() + "' cannot train task '" + taskProvider.name()
                    + "': it trains " + trainerProvider.taskType().getSimpleName() + "s. "
                    + (fit.isEmpty() ? "No trainer here fits that task." : "Trainers that fit '" + taskProvider.name() + "': "
                    + String.join(", ", fit) + "."));
        }

        String base = taskProvider.name() + "_" + trainerProvider.name() + "_" + probeProvider.name();
        Path runDir = existing != null ? existing : createRunDir(request.out(), base);
        progress.info("Run folder: " + runDir);
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("task", request.task());
        asked.put("trainer", request.trainer());
        asked.put("probe", request.probe());
        asked.put("renderers", request.renderers());
        asked.put("settings", new TreeMap<>(settings.values()));
        asked.put("seed", request.seed());
        asked.put("cache", request.cacheDir().toAbsolutePath().toString());
        asked.put("objective", objective == null ? "" : objective);
        asked.put("resumes", resumes);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), threads);
        Map<String, Double> timings = new LinkedHashMap<>();

        try (Tracked first = states.track(runDir, RunState.started(asked))) {
            try {
                long t0 = System.nanoTime();
                java.util.Optional<TrainedModel> restored = existing == null ? java.util.Optional.empty()
                        : RunFolder.readTrained(runDir).flatMap(saved -> trainer.restore(task, saved, context));
                TrainedModel model;
                if (restored.isPresent()) {
                    model = restored.get();
                    progress.info("Trained model restored from " + runDir.resolve(RunFolder.TRAINED) + ": no training needed.");
                    timings.put("restore", seconds(t0));
                } else {
                    if (existing != null) {
                        progress.info("Training restarts: " + (Files.isDirectory(runDir.resolve(RunFolder.TRAINED))
                                ? "trainer '" + trainerProvider.name() + "' cannot restore its model"
                                : "the run stopped before training ended") + "; the same seed gives the same theta*, and the saved"
                                + " tiles are checked against it.");
                    }
                    model = trainer.train(task, context);
                    timings.put("train", seconds(t0));
                    keepTrained(model, runDir);
                }
                Map<String, Object> plugins = new LinkedHashMap<>();
                plugins.put("task", taskProvider.getClass().getName());
                plugins.put("trainer", trainerProvider.getClass().getName());
                Names names = new Names(taskProvider.name(), trainerProvider.name(), probeProvider.name());

                List<String> objectives = model instanceof Agent agent && task instanceof EnvironmentTask
                        ? agent.objectiveNames() : List.of();
                if (objective != null) {
                    if (!objectives.contains(objective)) {
                        throw new LossSurfaceException("The run in " + runDir + " drew the objective '" + objective + "', but the"
                                + " model trained now offers " + objectives + ". Start a new run.");
                    }
                    objectives = List.of(objective);
                } else if (objectives.size() <= 1) {
                    objectives = List.of();
                }
                if (objectives.isEmpty()) {
                    first.stage("objective");
                    t0 = System.nanoTime();
                    Objective made = task.objective(model, context);
                    timings.put("objective", seconds(t0));
                    return List.of(probeAndRender(names, plugins, probe, chosen, settings, model, made, context, runDir, timings, "",
                            first, job));
                }
                if (objective == null) {
                    progress.info("Trained once; drawing " + objectives.size() + " objectives of it with the same directions: "
                            + String.join(", ", objectives) + ".");
                }
                List<RunOutcome> outcomes = new ArrayList<>();
                for (String name : objectives) {
                    boolean reuse = outcomes.isEmpty();
                    Path dir = !reuse ? createRunDir(request.out(), base + "_" + name)
                            : objective != null ? runDir : renameRun(runDir, base + "_" + name);
                    if (reuse && !dir.equals(runDir)) {
                        first.moved(dir);
                    }
                    Map<String, Object> own = new LinkedHashMap<>(asked);
                    own.put("objective", name);
                    if (!reuse) {
                        keepTrained(model, dir);
                    }
                    try (Tracked tracked = reuse ? first.with(own) : states.track(dir, RunState.started(own).at("objective"))) {
                        progress.info("Run folder for " + name + ": " + dir);
                        Map<String, Double> times = new LinkedHashMap<>(timings);
                        tracked.stage("objective");
                        t0 = System.nanoTime();
                        Objective made = ((Agent) model).objective((EnvironmentTask) task, context, name);
                        times.put("objective", seconds(t0));
                        outcomes.add(probeAndRender(names, plugins, probe, chosen, settings, model, made, context, dir, times, name,
                                tracked, job));
                    }
                }
                return outcomes;
            } catch (RuntimeException e) {
                states.failed(e); // the state files say why, not just that it stopped
                throw e;
            }
        }
    }

    /** Probes a network someone else trained and saved, on the examples in a data file. */
    RunOutcome probeSaved(ProbeSavedRequest request) {
        Settings settings = request.settings();
        ProbeProvider probeProvider = lookup("probe", request.probe(), probes);
        SurfaceProbe probe = probeProvider.create(settings.forOwner("probe " + probeProvider.name()));
        Map<String, Renderer> chosen = createRenderers(request.renderers(), settings);
        int threads = threads(settings);
        settings.requireAllKnown();

        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        DataFiles.Loaded loaded = DataFiles.examples(request.data(), request.labelColumn(), request.nonFinite());
        Examples examples = loaded.examples();
        if (loaded.dropped() > 0) {
            progress.info("Left out " + loaded.dropped() + " of " + (examples.count() + loaded.dropped()) + " examples that hold a "
                    + "NaN or infinity (--non-finite drop); the first: " + loaded.firstDropped());
        }
        String dataName = examples.count() + " examples of " + request.data().getFileName();
        TrainedModel model;
        Objective objective;
        if (isOnnx(request.model())) {
            OnnxModel onnx = loadOnnx(request.model());
            OnnxObjective o = OnnxObjective.of(onnx, examples, request.loss(), request.batch(), dataName);
            progress.info("Loaded ONNX model " + request.model() + " (" + onnx.layout().size() + " parameters in "
                    + onnx.layout().blocks().size() + " tensors) and " + examples.count() + " examples of shape "
                    + java.util.Arrays.toString(examples.exampleShape()) + " from " + request.data()
                    + (o.notes().isEmpty() ? "" : "; " + o.notes()));
            model = onnx;
            objective = o;
        } else {
            if (request.loss() != losssurface.onnx.OnnxLoss.AUTO) {
                throw new UsageException("--loss applies to ONNX models; a DL4J network is scored with its output layer's loss. "
                        + "Leave --loss out.");
            }
            SavedNetwork network = SavedNetwork.load(request.model());
            DataSet data = DataFiles.dataSet(examples, request.labelColumn(), network.inputs(), network.outputs(), network.classifier());
            progress.info("Loaded " + network.type() + " " + request.model() + " (" + network.summary().get("parameters")
                    + " parameters) and " + data.numExamples() + " examples from " + request.data());
            model = network;
            objective = network.objective(data, dataName);
        }
        timings.put("load", seconds(t0));

        String base = request.model().getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        Path runDir = createRunDir(request.out(), base + "_" + probeProvider.name());
        progress.info("Run folder: " + runDir);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), threads);
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("model-file", request.model().toAbsolutePath().toString());
        plugins.put("data-file", request.data().toAbsolutePath().toString());
        // A probe of a saved model keeps no tiles: a folder without a surface is only misleading, so
        // an error or a signal (SIGINT, SIGTERM) before the numbers are written removes it.
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            if (!finished.get()) {
                deleteQuietly(runDir);
                progress.info("");
                progress.info("Interrupted while probing " + request.model() + "; a probe keeps no partial surface, so " + runDir
                        + " was removed. Run the probe again.");
            }
        }, "probe-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return probeAndRender(new Names("saved-model", "none", probeProvider.name()), plugins, probe, chosen, settings,
                    model, objective, context, runDir, timings, "", null, TileJob.LOCAL);
        } catch (RuntimeException e) {
            deleteQuietly(runDir);
            throw e;
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** An ONNX file: named .onnx, or an existing file that is not a zip (DL4J models are zips). */
    private static boolean isOnnx(Path model) {
        if (onnxName(model)) {
            return true;
        }
        try (java.io.InputStream in = Files.newInputStream(model)) {
            byte[] head = in.readNBytes(2);
            return !(head.length == 2 && head[0] == 'P' && head[1] == 'K');
        } catch (IOException e) {
            return false; // let the DL4J loader name the problem
        }
    }

    private static boolean onnxName(Path model) {
        return model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    /** Loads an ONNX model; a file not named .onnx that is not one either is named as neither format. */
    private static OnnxModel loadOnnx(Path model) {
        try {
            return OnnxModel.load(model);
        } catch (LossSurfaceException e) {
            if (onnxName(model)) {
                throw e;
            }
            throw new LossSurfaceException("Model file " + model + " is not a DL4J model (not a zip) and not an ONNX model ("
                    + e.getMessage() + "). Give an .onnx file, or a network saved with ModelSerializer.writeModel.", e);
        }
    }

    /** Deletes {@code dir} and everything in it, as far as it can; what cannot be deleted stays. */
    static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left is named in the error
        }
    }

    /** Names recorded in provenance. */
    private record Names(String task, String trainer, String probe) {
    }

    /** Probes {@code objective}, writes and draws the surface, and closes the objective (e.g. ONNX Runtime's sessions). */
    private RunOutcome probeAndRender(Names names, Map<String, Object> plugins, SurfaceProbe probe, Map<String, Renderer> chosen,
                                      Settings settings, TrainedModel model, Objective objective, RunContext context,
                                      Path runDir, Map<String, Double> timings, String objectiveName, Tracked tracked,
                                      TileJob job) {
        try (objective) {
            return probeAndRenderOpen(names, plugins, probe, chosen, settings, model, objective, context, runDir, timings,
                    objectiveName, tracked, job);
        }
    }

    private RunOutcome probeAndRenderOpen(Names names, Map<String, Object> plugins, SurfaceProbe probe, Map<String, Renderer> chosen,
                                      Settings settings, TrainedModel model, Objective objective, RunContext context,
                                      Path runDir, Map<String, Double> timings, String objectiveName, Tracked tracked,
                                      TileJob job) {
        progress.info("Probing " + objective.description() + " with " + names.probe());
        if (tracked != null) {
            tracked.stage("surface");
        }
        long t0 = System.nanoTime();
        RunContext tiled = tracked == null ? context : context.withTiles(new RunTiles(runDir, job.share(), job.engine()));
        Surface surface;
        try {
            surface = probe.probe(new ProbeInput(objective, model.parameters(), model.checkpoints(), tiled));
        } catch (IncompleteSurfaceException e) {
            String done = "share " + job.share() + " of the tiles computed; " + e.missing() + " of " + e.tiles() + " tiles are still missing";
            tracked.partial(done);
            return new RunOutcome(runDir, objectiveName, List.of(), model.summary(), timings, List.of(),
                    "Partial surface (" + done + "). " + RunState.read(runDir).map(st -> st.advice(runDir)).orElse(""));
        }
        timings.put("probe", seconds(t0));
        if (tracked != null) {
            tracked.stage("writing the numbers"); // "rendering" once they are whole (RunState.surfaceWhole)
        }
        Object evaluator = surface.info().get("evaluator");
        if (evaluator != null) {
            progress.info("Surface evaluated by the " + evaluator + " evaluator"
                    + (surface.info().containsKey("evaluator-note") ? " (" + surface.info().get("evaluator-note") + ")" : ""));
        }

        Map<String, String> inForce = new LinkedHashMap<>();
        settings.knownKeys().values().forEach(keys -> keys.forEach(inForce::put));
        inForce.putAll(settings.values());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("probe-info", surface.info());
        details.put("objective", objective.description());
        if (tracked != null) {
            details.put("surface-job", RunTiles.job(runDir));
            details.put("tile-seconds", RunTiles.seconds(runDir));
            if (tracked.resumes().size() > 0) {
                details.put("resumes", tracked.resumes());
            }
        }
        if (!objectiveName.isEmpty()) {
            details.put("objective-name", objectiveName);
            details.put("training", "shared with the other objectives of this model: " + ((Agent) model).objectiveNames());
        }
        plugins.put("probe", probe.getClass().getName());
        details.put("plugins", plugins);
        runtime.gitCommit().ifPresent(c -> details.put("git-commit", c));
        details.put("command", runtime.command());
        Provenance provenance = new Provenance(names.task(), names.trainer(), names.probe(), inForce, context.seed(),
                runtime.versions(), timings, details);
        RunResult result = new RunResult(runDir.getFileName().toString(), surface, withArtefacts(model, objective.artefacts()),
                provenance);

        List<Path> files = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        t0 = System.nanoTime();
        for (Map.Entry<String, Renderer> r : chosen.entrySet()) {
            try {
                files.addAll(r.getValue().render(result, runDir));
            } catch (IOException | UncheckedIOException e) {
                failures.add(r.getKey() + ": could not write into " + runDir + ": " + e.getMessage());
            } catch (LossSurfaceException e) {
                failures.add(r.getKey() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                failures.add(r.getKey() + ": failed with " + e);
            }
            boolean numbers = writesNumbers(r.getKey());
            if (failures.isEmpty() && numbers && tracked != null) {
                tracked.stage("rendering");
            }
            if (!failures.isEmpty() && numbers) {
                // Without its numbers the run is not a run: the pictures would have nothing to stand on.
                String why = failures.get(0).substring(r.getKey().length() + 2).replace("could not write into " + runDir + ": ", "");
                boolean tiles = tracked != null && Files.isDirectory(runDir.resolve(RunFolder.TILES));
                if (tracked != null) {
                    try {
                        tracked.fail("the run's numbers could not be written: " + why);
                    } catch (LossSurfaceException stateNotWritten) {
                        // a full disk refuses state.json too; the message below still says what happened
                    }
                } else {
                    deleteQuietly(runDir); // half-written numbers and nothing to resume from: keep nothing misleading
                }
                throw new LossSurfaceException("The run's numbers (surface.json and the .npy files) could not be written into "
                        + runDir + ": " + why + ". Nothing else was drawn. " + (tiles
                        ? "The surface itself is kept in " + runDir.resolve(RunFolder.TILES) + ": free space (or fix the folder), then"
                        + " run 'losssurface resume " + runDir + "' to write it without computing it again."
                        : "The half-written folder was removed. Free space (or choose another folder with --out) and run it again."));
            }
        }
        timings.put("render", seconds(t0));
        if (tracked != null) {
            tracked.complete();
        }
        return new RunOutcome(runDir, objectiveName, files, model.summary(), timings, failures, "");
    }

    /** {@code model} with the objective's arrays (e.g. its transition set) added to the artefacts saved with the run. */
    private static TrainedModel withArtefacts(TrainedModel model, Map<String, losssurface.api.NamedArray> extra) {
        if (extra.isEmpty()) {
            return model;
        }
        Map<String, losssurface.api.NamedArray> all = new LinkedHashMap<>(model.artefacts());
        all.putAll(extra);
        return new TrainedModel() {
            @Override
            public float[] parameters() {
                return model.parameters();
            }

            @Override
            public losssurface.api.ParameterLayout layout() {
                return model.layout();
            }

            @Override
            public List<float[]> checkpoints() {
                return model.checkpoints();
            }

            @Override
            public losssurface.api.TrainingHistory history() {
                return model.history();
            }

            @Override
            public Map<String, Object> summary() {
                return model.summary();
            }

            @Override
            public Map<String, losssurface.api.NamedArray> artefacts() {
                return all;
            }
        };
    }

    /** The run's {@value RunContext#THREADS} setting: worker threads, one per core by default. */
    private static int threads(Settings settings) {
        return Check.between(RunContext.THREADS, 1, 4096, settings.forOwner("run").integer(RunContext.THREADS, RunContext.cores()));
    }

    /** A comparison drawn, with the files every renderer wrote for it. */
    record Compared(Comparison comparison, List<Path> files) {
    }

    /**
     * Reads the runs in {@code runDirs} and has every default renderer draw them side by side into
     * {@code dir}, with one colour scale and one view.
     */
    Compared compare(List<Path> runDirs, Path dir) throws IOException {
        Comparison comparison = new Comparison(runDirs.stream().map(RunFolder::read).toList());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + dir + " is a file, not a folder. Name a folder for the comparison (it is created"
                    + " if missing), or leave --out out to write compare_<time> beside the first run.");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot create the comparison folder " + dir + " (" + e + "). Choose a writable folder"
                    + " with --out.", e);
        }
        Settings settings = Settings.empty();
        List<Path> files = new ArrayList<>();
        for (Renderer r : createRenderers(List.of(), settings).values()) {
            files.addAll(r.compare(comparison, dir));
        }
        return new Compared(comparison, files);
    }

    private Map<String, Renderer> createRenderers(List<String> names, Settings settings) {
        Map<String, Renderer> chosen = new LinkedHashMap<>();
        for (RendererProvider r : chooseRenderers(names)) {
            chosen.put(r.name(), r.create(settings.forOwner("renderer " + r.name())));
        }
        return chosen;
    }

    /** Whether the renderer called {@code name} writes the run's numbers. */
    private boolean writesNumbers(String name) {
        RendererProvider r = renderers.get(name);
        return r != null && r.role() == RendererProvider.Role.NUMBERS;
    }

    /** The numbers renderer, then {@code names} (or every default renderer), in the order of their {@link RendererProvider.Role}. */
    private List<RendererProvider> chooseRenderers(List<String> names) {
        java.util.Set<RendererProvider> out = new java.util.LinkedHashSet<>();
        renderers.values().stream().filter(r -> r.role() == RendererProvider.Role.NUMBERS).forEach(out::add);
        if (names.isEmpty()) {
            renderers.values().stream().filter(RendererProvider::onByDefault).forEach(out::add);
        } else {
            names.forEach(n -> out.add(lookup("renderer", n, renderers)));
        }
        return inRenderOrder(out);
    }

    /** Renderers in the order they run: numbers, pictures, pages; by name within each. */
    static List<RendererProvider> inRenderOrder(java.util.Collection<RendererProvider> chosen) {
        return chosen.stream().sorted(java.util.Comparator.comparing(RendererProvider::role)
                .thenComparing(RendererProvider::name)).toList();
    }

    static <P> P lookup(String kind, String name, Map<String, P> available) {
        P p = available.get(name);
        if (p == null) {
            if (available.isEmpty()) {
                throw new UsageException("Unknown " + kind + " '" + name + "': no " + kind + " is loaded at all, so no plugin module "
                        + "that provides one was chosen or found. Add the module that provides it to --plugins (or drop --plugins"
                        + " to load every module); 'losssurface list' shows which module provides what.");
            }
            throw new UsageException("Unknown " + kind + " '" + name + "'. Available: "
                    + String.join(", ", available.keySet().stream().sorted().toList())
                    + ". Run 'losssurface list' to see every plugin" + ("task".equals(kind) || "trainer".equals(kind)
                    || "probe".equals(kind) ? ", and add its module to --plugins if you gave that option." : "."));
        }
        return p;
    }

    /** A new, absolute run folder in {@code out}: renderers write beside it and every path reported is absolute. */
    private static Path createRunDir(Path folder, String base) {
        Path out = folder.toAbsolutePath().normalize();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(out);
            Path dir = out.resolve(base + "_" + stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = out.resolve(base + "_" + stamp + "-" + i);
            }
            return Files.createDirectory(dir);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot create the run folder in " + out + " (" + e + "). "
                    + "Choose a writable folder with --out.", e);
        }
    }

    /**
     * Writes the trained model into the run folder at once, so that the run can resume without
     * training: its numbers, and a network as a DL4J zip ({@code trained/model.zip}).
     */
    private static void keepTrained(TrainedModel model, Path runDir) {
        try {
            RunFolder.writeTrained(model, runDir);
            if (model instanceof HasNetwork held) {
                held.saveNetwork(runDir.resolve(RunFolder.TRAINED).resolve(RunFolder.TRAINED_NETWORK));
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot keep the trained model in " + runDir.resolve(RunFolder.TRAINED) + " ("
                    + e.getMessage() + "). Choose a writable folder with --out.", e);
        }
    }

    /** Renames the new run folder {@code dir} for {@code base} (a run that turned out to draw several objectives). */
    private static Path renameRun(Path dir, String base) {
        String stamp = dir.getFileName().toString().substring(dir.getFileName().toString().lastIndexOf('_') + 1);
        Path renamed = dir.resolveSibling(base + "_" + stamp);
        try {
            return Files.exists(renamed) ? dir : Files.move(dir, renamed);
        } catch (IOException e) {
            return dir; // keep the name it has
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
