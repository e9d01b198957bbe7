package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;


import losssurface.api.RunContext;
import losssurface.api.Comparison;
import losssurface.api.Connection;
import losssurface.api.Settings;
import losssurface.api.TaskProvider;
import losssurface.api.TrainerProvider;
import losssurface.runs.Analysis;
import losssurface.runs.Findings;
import losssurface.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code losssurface demo}: the workloads with the same directions seed and normalisation (MNIST
 * MLP; the MNIST CNN beside the MLP; Q-Network vs DQN on CartPole side by side on each RL
 * objective), then the comparison pages. The CNN is drawn on a coarser grid (each of its points
 * costs about 15 MLP points) and the MLP is drawn again on that grid from the model it already
 * trained, for the MLP-vs-CNN page. A second MLP is trained from the next seed (drawn on a line) and
 * connected to the first ({@code connect}: the straight line and a trained curve, their barriers).
 * Each agent is trained once and drawn on every RL objective.
 * Workloads whose plugins are not installed are named and skipped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run every workload (MNIST MLP and CNN, CartPole Q-Network and DQN) with the same directions, and compare.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Run and directions seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grid", defaultValue = "51", paramLabel = "N", description = "Grid points per axis (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--cnn-grid", defaultValue = "17", paramLabel = "N",
            description = "Grid points per axis of the MNIST CNN and of the MLP beside it (default: ${DEFAULT-VALUE}, at most --grid;"
                    + " 0 leaves the CNN out).")
    int cnnGrid;

    @Option(names = "--cache", paramLabel = "DIR", description = "Download cache (as for run).")
    Path cache;

    @Option(names = "--rl-objectives", split = ",", defaultValue = "all", paramLabel = "OBJECTIVE",
            description = "RL objectives drawn for both CartPole agents, each trained once: the rl.objective setting's"
                    + " names, or all of them (default: ${DEFAULT-VALUE}).")
    List<String> rlObjectives;

    /** The MNIST CNN's training epochs in the demo (about 4 s each; 98.1% test accuracy after 3, 98.8% after the recommended 8). */
    static final int CNN_EPOCHS = 3;

    /**
     * One run of the demo.
     *
     * @param grid  points per axis
     * @param from  the label of the part whose trained model this one draws (no training), or empty
     * @param probe the probe
     * @param seed  added to the demo's seed for this part's run seed
     */
    record Part(String label, String task, String trainer, Map<String, String> settings, int grid, String from, String probe,
                long seed) {
        /** A random plane with the demo's seed. */
        Part(String label, String task, String trainer, Map<String, String> settings, int grid, String from) {
            this(label, task, trainer, settings, grid, from, "random-plane", 0);
        }
    }

    /** The label of the second MNIST MLP, trained from the next seed and drawn on a line, for the connection between the two. */
    static final String SECOND_MLP = "MNIST MLP next seed";

    private final Provider<Map<String, TaskProvider>> tasks;
    private final Provider<Map<String, TrainerProvider>> trainers;
    private final Provider<RunService> service;
    private final Provider<Connector> connector;
    private final Streams streams;

    @Inject
    DemoCommand(PluginOptions pluginOptions, Provider<Map<String, TaskProvider>> tasks, Provider<Map<String, TrainerProvider>> trainers,
                Provider<RunService> service, Provider<Connector> connector, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.tasks = tasks;
        this.trainers = trainers;
        this.service = service;
        this.connector = connector;
        this.streams = streams;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, TaskProvider> tasks = this.tasks.get();
        Map<String, TrainerProvider> trainers = this.trainers.get();
        RunService service = this.service.get();
        PrintStream o = streams.out();

        if (cnnGrid != 0 && (cnnGrid < 2 || cnnGrid > grid)) {
            throw new UsageException("--cnn-grid must be 0 (no CNN) or between 2 and --grid (" + grid + "), was " + cnnGrid + ".");
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("MNIST MLP", "mnist", "supervised", Map.of(), grid, ""));
        parts.add(new Part(SECOND_MLP, "mnist", "supervised", Map.of(), grid, "", "random-line", 1));
        if (cnnGrid != 0) {
            parts.add(new Part("MNIST CNN", "mnist", "supervised", Map.of("mnist.network", "cnn", "supervised.epochs",
                    String.valueOf(CNN_EPOCHS)), cnnGrid, ""));
            parts.add(new Part("MNIST MLP " + cnnGrid + "x" + cnnGrid, "mnist", "supervised", Map.of(), cnnGrid, "MNIST MLP"));
        }
        if (!rlObjectives.isEmpty()) {
            for (String trainer : List.of("q-network", "dqn")) {
                parts.add(new Part("CartPole " + trainer, "cartpole", trainer, Map.of("rl.objective", String.join(",", rlObjectives),
                        Analysis.CURVATURE, "on"), grid, ""));
            }
        }
        // every part's plugins and settings are checked (the RL objectives by the rl module) before anything is trained
        List<RunRequest> requests = new ArrayList<>();
        for (Part part : parts) {
            if (!tasks.containsKey(part.task()) || !trainers.containsKey(part.trainer())) {
                requests.add(null);
                continue;
            }
            Map<String, String> settings = new LinkedHashMap<>(part.settings());
            if (part.probe().equals("random-plane")) {
                settings.put("plane.grid", String.valueOf(part.grid()));
                settings.put("plane.seed", String.valueOf(seed));
                settings.put("plane.norm", "filter");
            }
            RunRequest request = new RunRequest(part.task(), part.trainer(), part.probe(), List.of(), Settings.of(settings), out,
                    seed + part.seed(), cache != null ? cache : RunContext.defaultCache());
            try {
                service.check(request);
            } catch (losssurface.api.SettingsException e) { // the demo's options are settings of its runs: name the option
                String option = e.getMessage().startsWith("rl.objective") ? "--rl-objectives (the runs' rl.objective): "
                        : e.getMessage().startsWith("plane.grid") ? "--grid or --cnn-grid (the runs' plane.grid): " : "";
                throw new UsageException(option + e.getMessage());
            }
            requests.add(request);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            if (requests.get(p) == null) {
                skipped.add(part.label() + " (needs task '" + part.task() + "' and trainer '" + part.trainer() + "', not installed)");
                continue;
            }
            RunRequest request = requests.get(p);
            if (!part.from().isEmpty()) {
                if (!dirs.containsKey(part.from())) {
                    continue; // the part it draws from did not run
                }
                request = request.trainedIn(dirs.get(part.from()));
            }
            long t0 = System.nanoTime();
            List<RunOutcome> outcomes = service.run(request);
            seconds.put(part.label(), (System.nanoTime() - t0) / 1e9);
            for (RunOutcome outcome : outcomes) {
                dirs.put(outcome.objective().isEmpty() ? part.label() : part.label() + " " + outcome.objective(), outcome.runDir());
                outcome.report(o);
            }
        }
        List<Path> pages = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (String key : List.copyOf(dirs.keySet())) {
            if (!key.startsWith("CartPole q-network ")) {
                continue;
            }
            String objective = key.substring("CartPole q-network ".length());
            Path q = dirs.get(key);
            Path d = dirs.get("CartPole dqn " + objective);
            if (d != null) {
                Path dir = out.resolve("compare_q-network_vs_dqn_" + objective);
                Comparison comparison = service.compare(List.of(q, d), dir).comparison();
                comparison.differences().forEach(w -> o.println("warning: " + w));
                pages.add(dir.resolve(RunFolder.COMPARISON_PAGE));
                tables.add("Q-Network vs DQN, " + objective + ":");
                new Findings(comparison).lines().forEach(l -> tables.add("  " + l));
            }
        }
        List<String> barriers = new ArrayList<>();
        if (dirs.containsKey("MNIST MLP") && dirs.containsKey(SECOND_MLP)) {
            long t0 = System.nanoTime();
            Connector.Connected c = connector.get().connect(dirs.get("MNIST MLP"), dirs.get(SECOND_MLP), null, Settings.empty(),
                    out.resolve("connect_mnist_mlp_seed_" + seed + "_vs_" + (seed + 1)));
            seconds.put("MNIST MLP connection", (System.nanoTime() - t0) / 1e9);
            dirs.put("MNIST MLP connection", c.dir());
            barriers.add("MNIST MLP, seed " + seed + " vs seed " + (seed + 1) + ", the " + c.result().line().metrics().keySet().iterator().next()
                    + " of " + c.result().objective() + ":");
            for (Connection.Path path : c.result().paths()) {
                barriers.add(String.format(Locale.ROOT, "  %-14s barrier %s", ConnectCommand.label(path) + ":", ConnectCommand.number(path.barrier())));
            }
        }
        Path mlp = dirs.get("MNIST MLP " + cnnGrid + "x" + cnnGrid);
        if (mlp != null && dirs.containsKey("MNIST CNN")) {
            Path dir = out.resolve("compare_mlp_vs_cnn");
            service.compare(List.of(mlp, dirs.get("MNIST CNN")), dir).comparison().differences().forEach(w -> o.println("warning: " + w));
            pages.add(0, dir.resolve(RunFolder.COMPARISON_PAGE));
        }
        o.println();
        o.println("Demo finished in " + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9)
                + " (directions seed " + seed + ", filter normalisation, " + grid + "x" + grid + " grid over [-1, 1]^2"
                + (cnnGrid != 0 ? ", " + cnnGrid + "x" + cnnGrid + " for the MNIST CNN and the MLP beside it" : " for every run") + "):");
        seconds.forEach((k, v) -> o.println(String.format(Locale.ROOT, "  %-32s %6.1f s", k, v)));
        dirs.forEach((k, dir) -> o.println(String.format(Locale.ROOT, "  %-32s %s", k, dir.resolve(RunFolder.PAGE))));
        skipped.forEach(s -> o.println("  skipped: " + s));
        pages.forEach(p -> o.println("  comparison: " + p));
        if (!tables.isEmpty()) {
            o.println();
            tables.forEach(o::println);
            o.println(Findings.NOTE);
        }
        if (!barriers.isEmpty()) {
            o.println();
            barriers.forEach(o::println);
            o.println("Barrier: " + losssurface.runs.ConnectionFolder.BARRIER + ".");
        }
        o.println("Start here: " + out.resolve(RunFolder.INDEX));
        return 0;
    }
}
