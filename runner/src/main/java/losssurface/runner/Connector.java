package losssurface.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.inject.Inject;

import losssurface.api.Agent;
import losssurface.api.Connection;
import losssurface.api.EnvironmentTask;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.Progress;
import losssurface.api.Renderer;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.TrainedModel;
import losssurface.api.io.Npy;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;

/**
 * {@code connect}: how two solutions of one network are connected ({@link Connection}). The network,
 * its task and the objective come from a run folder (one of the two solutions', or {@code --like});
 * each solution is a run folder (its trained model) or a {@code theta.npy} of that network's layout.
 * The curve is fitted on the task's training data where the task offers it
 * ({@link losssurface.api.Task#trainingBatches}); every renderer then draws the connection.
 */
final class Connector {

    private final RunPlan.Planner planner;
    private final Renderers renderers;
    private final Progress progress;

    @Inject
    Connector(Plugins plugins, Progress progress) {
        this.renderers = new Renderers(plugins);
        this.planner = new RunPlan.Planner(plugins, renderers);
        this.progress = progress;
    }

    /** A connection drawn: where, and the files every renderer wrote. */
    record Connected(Connection.Result result, Path dir, List<Path> files) {
    }

    /** One of the two solutions: a run folder or a parameter file. */
    private record Solution(Path path, boolean run) {
        String name() {
            return path.toAbsolutePath().normalize().getFileName().toString();
        }

        static Solution of(Path path) {
            if (Files.isDirectory(path)) {
                if (RunState.read(path).isEmpty()) {
                    throw new UsageException(path + (RunFolder.isRun(path)
                            ? " holds a surface but no " + RunFolder.STATE + ": a model probed with 'probe --model', which keeps no"
                              + " task or training data to connect on. Connect runs of 'losssurface run' (or their theta.npy"
                              + " with --like RUN_DIR)."
                            : " is a folder but not a run folder (it has no " + RunFolder.STATE + "). Name a run folder, or a"
                              + " theta.npy file."));
                }
                return new Solution(path, true);
            }
            if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".npy")) {
                return new Solution(path, false);
            }
            throw new UsageException(path + (Files.exists(path) ? " is neither a run folder nor a .npy file." : " does not exist.")
                    + " Name two run folders, or parameter files (theta.npy) of one network with --like RUN_DIR.");
        }
    }

    Connected connect(Path first, Path second, Path like, Settings settings, Path out) throws IOException {
        Solution a = Solution.of(first);
        Solution b = Solution.of(second);
        Path defining = like != null ? like : a.run() ? a.path() : b.run() ? b.path() : null;
        if (defining == null) {
            throw new UsageException("Neither " + first + " nor " + second + " is a run folder, so nothing says which network and"
                    + " data they belong to. Name the run whose network they are parameters of with --like RUN_DIR.");
        }
        RunState.Request asked = RunState.read(defining).map(RunState::request).orElseThrow(() -> new UsageException("--like "
                + defining + " is not a run folder (it has no " + RunFolder.STATE + "). Name the run whose network the solutions are of."));
        Settings own = settings.forOwner("connect");
        Connection.Config config = Connection.Config.read(own);
        Renderers.Chosen chosen = renderers.create(List.of(), settings);
        settings.requireAllKnown();

        RunRequest request = RunRequest.fromAsked(asked, defining.toAbsolutePath().getParent());
        RunPlan plan = planner.plan(request);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), plan.threads());
        TrainedModel model = restore(defining, plan, context);
        float[] thetaA = parameters(a, defining, model, plan, asked, context);
        float[] thetaB = parameters(b, defining, model, plan, asked, context);
        if (java.util.Arrays.equals(thetaA, thetaB)) {
            throw new UsageException(first + " and " + second + " hold the same parameters: there is nothing between them."
                    + " Name two different solutions (e.g. runs trained with --seed 42 and --seed 43).");
        }
        Path dir = out != null ? out : defining.toAbsolutePath().getParent().resolve("connect_" + RunFolder.stamp());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + dir + " is a file, not a folder. Name a folder for the connection.");
        }
        Files.createDirectories(dir);

        long seed = config.seed().orElse(request.seed());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("network-from", defining.toAbsolutePath().normalize().toString());
        info.put("task", asked.task());
        info.put("trainer", asked.trainer());
        info.put("settings", own.values());
        info.put("seed", seed);
        try (Objective objective = objective(model, plan, context, asked.objective())) {
            Optional<Connection.Batches> batches = config.epochs() == 0 ? Optional.empty()
                    : plan.task().created().trainingBatches(model, context, config.batch());
            int size = thetaA.length;
            long t0 = System.nanoTime();
            objective.evaluate(thetaA);
            double evaluation = (System.nanoTime() - t0) / 1e9;
            Connection.Fit fit = null;
            if (batches.isPresent()) {
                Connection.Batches data = batches.get();
                float[] g = new float[size];
                double step = Double.POSITIVE_INFINITY;
                for (int k = 0; k < Math.min(3, data.count()); k++) { // the fastest of three: the first warms up
                    t0 = System.nanoTime();
                    data.lossAndGradient(thetaA, k, g);
                    step = Math.min(step, (System.nanoTime() - t0) / 1e9);
                }
                progress.info(String.format(Locale.ROOT, "Connecting %s and %s (distance %.4g): fitting a quadratic Bezier curve"
                        + " on %s, %d epochs (%d steps of about %.3f s), then %d points on each path (about %.2f s each):"
                        + " about %.0f s.", a.name(), b.name(), Connection.distance(thetaA, thetaB), data.description(), config.epochs(),
                        (long) config.epochs() * data.count(), step, config.points(), evaluation,
                        config.epochs() * data.count() * step + 2 * config.points() * evaluation));
                fit = Connection.fit(thetaA, thetaB, data, config, seed, progress);
                progress.info(String.format(Locale.ROOT, "Curve fitted: %d steps in %.1f s, training loss on the curve by epoch %s",
                        fit.steps(), fit.seconds(), format(fit.losses())));
            } else {
                String why = config.epochs() == 0 ? "connect.epochs=0: the straight line only."
                        : "Task '" + asked.task() + "' offers no training data to fit a curve on (an agent's data is its own"
                        + " experience): the straight line only.";
                info.put("curve", why);
                progress.info(why);
            }
            Connection.Path line = Connection.evaluate(Connection.LINE, objective, config.points(),
                    (t, p) -> Connection.onLine(thetaA, thetaB, t, p), size, progress);
            Connection.Path curve = null;
            if (fit != null) {
                float[] bend = fit.bend();
                curve = Connection.evaluate(Connection.BEZIER, objective, config.points(),
                        (t, p) -> Connection.onCurve(thetaA, bend, thetaB, t, p), size, progress);
            }
            Connection.Result result = new Connection.Result(a.name(), b.name(), objective.description(), thetaA, thetaB, line, curve,
                    fit, Connection.distance(thetaA, thetaB), info);
            List<Path> files = new ArrayList<>();
            for (Renderer r : chosen.byName().values()) {
                files.addAll(r.connect(result, dir));
            }
            return new Connected(result, dir, files);
        }
    }

    /** The model the run in {@code dir} kept, restored by its trainer. */
    private static TrainedModel restore(Path dir, RunPlan plan, RunContext context) {
        return RunFolder.readTrained(dir).flatMap(saved -> plan.trainer().created().restore(plan.task().created(), saved, context))
                .orElseThrow(() -> new UsageException(dir + " keeps no trained model that trainer '" + plan.trainer().name()
                        + "' can restore (training had not ended). Finish it with 'losssurface resume " + dir + "', or name another run."));
    }

    /**
     * The parameters of {@code s}: its run's trained model ({@code model} itself when it is the run that defines the
     * network, restored once), or its file, checked against {@code model}'s layout.
     */
    private static float[] parameters(Solution s, Path defining, TrainedModel model, RunPlan plan, RunState.Request asked,
                                      RunContext context) throws IOException {
        int size = model.layout().size();
        if (s.run() && s.path().toAbsolutePath().normalize().equals(defining.toAbsolutePath().normalize())) {
            return model.parameters();
        }
        if (s.run()) {
            RunState.Request other = RunState.read(s.path()).orElseThrow().request();
            if (!other.task().equals(asked.task()) || !other.trainer().equals(asked.trainer())) {
                throw new UsageException(s.path() + " was trained by task '" + other.task() + "' and trainer '" + other.trainer()
                        + "', the network by task '" + asked.task() + "' and trainer '" + asked.trainer() + "'. Connect solutions"
                        + " of one network.");
            }
            TrainedModel trained = restore(s.path(), plan, context);
            if (!trained.layout().equals(model.layout())) {
                throw new UsageException(s.path() + "'s network has another layout (" + trained.layout().size() + " parameters in "
                        + trained.layout().blocks().size() + " blocks, against " + size + " in " + model.layout().blocks().size()
                        + "). Connect solutions of one network: the same task settings (e.g. mnist.hidden).");
            }
            return trained.parameters();
        }
        NamedArray read;
        try {
            read = Npy.read(s.path());
        } catch (IOException | RuntimeException e) {
            throw new UsageException(s.path() + " cannot be read as a NumPy array (" + e.getMessage() + "). Give the theta.npy"
                    + " of a run, or np.save('theta.npy', parameters.astype(np.float32)).");
        }
        float[] values;
        if (read.values() instanceof float[] f) {
            values = f;
        } else if (read.values() instanceof double[] d) { // e.g. saved from float64 by NumPy's default: the network computes in float32
            values = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                values[i] = (float) d[i];
            }
        } else {
            throw new UsageException(s.path() + " holds " + read.values().getClass().getSimpleName() + " values; parameters are"
                    + " numbers. Save them with np.save(file, parameters.astype(np.float32)).");
        }
        if (values.length != size) {
            throw new UsageException(s.path() + " holds " + values.length + " values, but the network has " + size
                    + " parameters. Give parameters of that network, in its layout's order (layout.json).");
        }
        return values;
    }

    private static Objective objective(TrainedModel model, RunPlan plan, RunContext context, String name) {
        if (model instanceof Agent agent && plan.task().created() instanceof EnvironmentTask task) {
            return agent.objective(task, context, name == null || name.isEmpty() ? agent.objectiveNames().get(0) : name);
        }
        return plan.task().created().objective(model, context);
    }

    private static String format(double[] values) {
        return String.join(", ", java.util.Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v)).toList());
    }
}
