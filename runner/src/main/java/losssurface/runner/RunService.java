package losssurface.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.inject.Inject;

import losssurface.api.Agent;
import losssurface.api.Comparison;
import losssurface.api.EnvironmentTask;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.Progress;
import losssurface.api.Renderer;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.TrainedModel;
import losssurface.runner.RunStates.Tracked;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;
import losssurface.runs.RunTiles;

/**
 * A run as a pipeline of small stages: plan ({@link RunPlan.Planner}: every plugin created and
 * every setting checked before any work), train or restore, the objectives (one, or each of an
 * agent's into a folder of its own, with the same directions), then for each the surface,
 * provenance and render stages ({@link Drawer}, {@link Renderers}). Also resumes a run from its
 * folder, and compares runs.
 */
final class RunService {

    private final RunPlan.Planner planner;
    private final Renderers renderers;
    private final Drawer drawer;
    private final Progress progress;
    private final RunStates states;
    private final FromRun fromRun;

    @Inject
    RunService(Plugins plugins, Progress progress, RuntimeInfo runtime, RunStates states) {
        this.renderers = new Renderers(plugins);
        this.planner = new RunPlan.Planner(plugins, renderers);
        this.drawer = new Drawer(progress, runtime);
        this.progress = progress;
        this.states = states;
        this.fromRun = new FromRun(progress);
    }

    /**
     * Which of a surface's tiles this process computes, and what it is (recorded with each tile).
     *
     * @param share  the share of the tiles
     * @param engine  {@code local}, or {@code spark} in a Spark task
     * @param attempt which attempt of the share this is: Spark's task attempt number (a retry counts up), else 0
     */
    record TileJob(RunTiles.Share share, String engine, int attempt) {
        static final TileJob LOCAL = new TileJob(RunTiles.Share.ALL, "local", 0);

        TileJob {
            if (attempt < 0) {
                throw new UsageException("--attempt must be 0 or more, was " + attempt + ".");
            }
        }
    }

    /** The plan stage alone: creates every plugin of {@code request} and checks its settings, without training. */
    void check(RunRequest request) {
        planner.plan(request);
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
     * the surface tiles that are missing. A complete run has nothing to resume: that is not an error.
     */
    RunOutcome resume(Path runDir, TileJob job) {
        RunState state = RunState.read(runDir).orElseThrow(() -> new UsageException(runDir + (Files.isDirectory(runDir)
                ? " has no " + RunFolder.STATE + ": it is not a run folder, or was written before runs could be resumed."
                  + " Start a new run." : " does not exist. Name the folder of the run to finish.")));
        if (state.complete()) { // not an error: another share may have finished it
            return RunOutcome.nothingToDo(runDir, runDir + " is complete: there is nothing to resume (another share may have"
                    + " finished it). Draw it again with 'losssurface render " + runDir + "'.");
        }
        if (state.alive() && job.share().all()) {
            throw new UsageException(runDir + " is " + state.describe(runDir) + ". Wait for it to finish, or stop it first.");
        }
        RunState.Request asked = state.request();
        RunRequest request = RunRequest.fromAsked(asked, runDir.toAbsolutePath().getParent());
        String objective = asked.objective();
        progress.info("Resuming " + runDir + " (" + state.describe(runDir) + ").");
        List<String> resumes = new ArrayList<>(asked.resumes());
        resumes.add(java.time.Instant.now() + ": resumed" + (job.share().all() ? "" : " share " + job.share()) + " ("
                + job.engine() + (job.attempt() > 0 ? ", attempt " + job.attempt() : "") + ") from: " + state.describe(runDir));
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
        RunPlan plan = planner.plan(request);
        if (existing == null) {
            request.from().ifPresent(from -> fromRun.check(from, plan, request)); // before a folder is made for the run
        }
        Path runDir = existing != null ? existing : RunFolders.create(request.out(), plan.baseName());
        progress.info("Run folder: " + runDir);
        RunState.Request asked = request.asked(objective, resumes);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), plan.threads());
        Map<String, Double> timings = new LinkedHashMap<>();
        try (Tracked first = states.track(runDir, RunState.started(asked), job.share())) {
            try {
                TrainedModel model = request.from().isPresent() && existing == null
                        ? fromRun.restore(request.from().get(), plan, runDir, context, timings)
                        : trainOrRestore(plan, existing, runDir, context, timings);
                List<String> objectives = objectives(plan, model, objective, runDir);
                if (objectives.isEmpty()) {
                    first.stage("objective");
                    long t0 = System.nanoTime();
                    Objective made = plan.task().created().objective(model, context);
                    timings.put("objective", Drawer.seconds(t0));
                    return List.of(drawer.draw(drawing(plan, request, model, made, context, runDir, timings, "", first, job)));
                }
                if (objective == null) {
                    progress.info("Trained once; drawing " + objectives.size() + " objectives of it with the same directions: "
                            + String.join(", ", objectives) + ".");
                }
                List<RunOutcome> outcomes = new ArrayList<>();
                for (String name : objectives) {
                    boolean reuse = outcomes.isEmpty();
                    Path dir = !reuse ? RunFolders.create(request.out(), plan.baseName() + "_" + name)
                            : objective != null ? runDir : RunFolders.rename(runDir, plan.baseName() + "_" + name);
                    if (reuse && !dir.equals(runDir)) {
                        first.moved(dir);
                    }
                    RunState.Request own = asked.forObjective(name);
                    if (!reuse) {
                        RunFolders.keepTrained(model, dir);
                    }
                    try (Tracked tracked = reuse ? first.with(own) : states.track(dir, RunState.started(own).at("objective"), job.share())) {
                        progress.info("Run folder for " + name + ": " + dir);
                        Map<String, Double> times = new LinkedHashMap<>(timings);
                        tracked.stage("objective");
                        long t0 = System.nanoTime();
                        Objective made = ((Agent) model).objective((EnvironmentTask) plan.task().created(), context, name);
                        times.put("objective", Drawer.seconds(t0));
                        outcomes.add(drawer.draw(drawing(plan, request, model, made, context, dir, times, name, tracked, job)));
                    }
                }
                return outcomes;
            } catch (RuntimeException e) {
                states.failed(e); // the state files say why, not just that it stopped
                throw e;
            }
        }
    }

    private static Drawer.Drawing drawing(RunPlan plan, RunRequest request, TrainedModel model, Objective objective,
                                          RunContext context, Path dir, Map<String, Double> timings, String name, Tracked tracked,
                                          TileJob job) {
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("task", plan.task().provider().getClass().getName());
        plugins.put("trainer", plan.trainer().provider().getClass().getName());
        request.from().ifPresent(from -> plugins.put("trained-in", from.toAbsolutePath().normalize().toString()));
        return new Drawer.Drawing(new Drawer.Names(plan.task().name(), plan.trainer().name(), plan.probe().name()), plugins,
                plan.probe().created(), plan.surfaceJob(), plan.analysis(), plan.renderers(), request.settings(), model, objective, context, dir,
                timings, name, tracked, job);
    }

    /** The train stage: the model a resumed run kept, where its trainer can restore it, or a newly trained one, kept at once. */
    private TrainedModel trainOrRestore(RunPlan plan, Path existing, Path runDir, RunContext context, Map<String, Double> timings) {
        long t0 = System.nanoTime();
        Optional<TrainedModel> restored = existing == null ? Optional.empty()
                : RunFolder.readTrained(runDir).flatMap(saved -> plan.trainer().created().restore(plan.task().created(), saved, context));
        if (restored.isPresent()) {
            progress.info("Trained model restored from " + runDir.resolve(RunFolder.TRAINED) + ": no training needed.");
            timings.put("restore", Drawer.seconds(t0));
            return restored.get();
        }
        if (existing != null) {
            progress.info("Training restarts: " + (Files.isDirectory(runDir.resolve(RunFolder.TRAINED))
                    ? "trainer '" + plan.trainer().name() + "' cannot restore its model"
                    : "the run stopped before training ended") + "; the same seed gives the same theta*, and the saved"
                    + " tiles are checked against it.");
        }
        TrainedModel model = plan.trainer().created().train(plan.task().created(), context);
        timings.put("train", Drawer.seconds(t0));
        RunFolders.keepTrained(model, runDir);
        return model;
    }

    /** The objective stage's fan-out: the names of the agent's objectives to draw, or empty for the task's one objective. */
    private static List<String> objectives(RunPlan plan, TrainedModel model, String only, Path runDir) {
        List<String> offered = model instanceof Agent agent && plan.task().created() instanceof EnvironmentTask
                ? agent.objectiveNames() : List.of();
        if (only != null) {
            if (!offered.contains(only)) {
                throw new LossSurfaceException("The run in " + runDir + " drew the objective '" + only + "', but the"
                        + " model trained now offers " + offered + ". Start a new run.");
            }
            return List.of(only);
        }
        return offered.size() <= 1 ? List.of() : offered;
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
        List<Path> files = new ArrayList<>();
        for (Renderer r : renderers.create(List.of(), Settings.empty()).byName().values()) {
            files.addAll(r.compare(comparison, dir));
        }
        return new Compared(comparison, files);
    }
}
