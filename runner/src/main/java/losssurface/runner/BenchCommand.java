package losssurface.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.ProbeProvider;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.Task;
import losssurface.api.TaskProvider;
import losssurface.api.TrainedModel;
import losssurface.api.TrainerProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code losssurface bench}: the plain and the fast surface evaluators on the same workloads, in
 * one process and one run. Prints grid points per second for each, the speed-up, the largest
 * relative difference between their surfaces, and peak memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the plain and the fast surface evaluators on the standard workloads.")
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Option(names = "--workloads", split = ",", defaultValue = "mnist,td-frozen,return", paramLabel = "NAME",
            description = "Workloads to run (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--grid", paramLabel = "N", description = "Override every workload's grid size (N x N).")
    Integer grid;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cache", paramLabel = "DIR", description = "Download cache (as for run).")
    Path cache;

    /** A workload: what to train and probe, and at what grid. */
    record Workload(String name, String task, String trainer, Map<String, String> settings, int grid, String about) {
    }

    static final List<Workload> STANDARD = List.of(
            new Workload("mnist", "mnist", "supervised", Map.of("supervised.epochs", "1"), 51,
                    "MNIST MLP 784-128-64-10, 10k test images (network trained 1 epoch)"),
            new Workload("td-frozen", "cartpole", "dqn", Map.of("rl.objective", "td-frozen"), 51,
                    "CartPole DQN (default training), TD loss with frozen target over 10,000 transitions"),
            new Workload("return", "cartpole", "dqn", Map.of("rl.objective", "return"), 21,
                    "CartPole DQN (default training), greedy return over 10 seeded episodes per point"));

    @Override
    public Integer call() {
        var injector = cli.injector(pluginOptions);
        Map<String, TaskProvider> tasks = injector.getInstance(com.google.inject.Key.get(
                new com.google.inject.TypeLiteral<Map<String, TaskProvider>>() { }));
        Map<String, TrainerProvider> trainers = injector.getInstance(com.google.inject.Key.get(
                new com.google.inject.TypeLiteral<Map<String, TrainerProvider>>() { }));
        Map<String, ProbeProvider> probes = injector.getInstance(com.google.inject.Key.get(
                new com.google.inject.TypeLiteral<Map<String, ProbeProvider>>() { }));
        Progress progress = injector.getInstance(Progress.class);
        PrintStream out = cli.out();

        // Check every argument before training anything.
        if (grid != null && (grid < 2 || grid > 10_001)) {
            throw new UsageException("--grid must be between 2 and 10001 points per axis, was " + grid + ".");
        }
        List<Workload> chosen = new ArrayList<>();
        for (String name : workloads) {
            chosen.add(STANDARD.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new UsageException("Unknown workload '" + name + "'. Available: "
                            + String.join(", ", STANDARD.stream().map(Workload::name).toList()) + ".")));
        }
        List<String> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Workload w : chosen) {
            if (!tasks.containsKey(w.task()) || !trainers.containsKey(w.trainer())) {
                missing.add(w.name() + " (needs task '" + w.task() + "' and trainer '" + w.trainer() + "', not installed)");
                continue;
            }
            int n = grid != null ? grid : w.grid();
            progress.info("Workload " + w.name() + ": " + w.about() + ", grid " + n + "x" + n);
            Settings settings = Settings.of(w.settings());
            Task task = tasks.get(w.task()).create(settings);
            RunContext context = new RunContext(seed, progress, cache != null ? cache : RunCommand.defaultCache());
            // Each workload trains its own model: an agent's RL objective (rl.*) is chosen by its trainer's
            // settings, so td-frozen and return train the same seeded DQN twice (one trained model with
            // several objectives is the demo's open issue).
            TrainedModel model = trainers.get(w.trainer()).create(settings).train(task, context);
            progress.info("  trained; resident memory now " + resident("VmRSS:"));
            Objective objective = task.objective(model, context);

            Map<String, Surface> surfaces = new LinkedHashMap<>();
            Map<String, Double> rates = new LinkedHashMap<>();
            for (String evaluator : List.of("plain", "fast")) {
                ProbeProvider probe = probes.get("random-plane");
                Surface s;
                long t0 = System.nanoTime();
                s = probe.create(Settings.of(Map.of("plane.grid", String.valueOf(n), "surface.evaluator", evaluator)))
                        .probe(new ProbeInput(objective, model.parameters(), List.of(), context));
                double seconds = (System.nanoTime() - t0) / 1e9;
                surfaces.put(evaluator, s);
                rates.put(evaluator, n * n / seconds);
                progress.info("  " + evaluator + " evaluator done; resident memory now " + resident("VmRSS:"));
            }
            Surface plain = surfaces.get("plain");
            Surface fast = surfaces.get("fast");
            StringBuilder others = new StringBuilder();
            for (String metric : plain.metrics().subList(1, plain.metrics().size())) {
                others.append(String.format(Locale.ROOT, "%s max |diff| %.1e; ", metric, maxAbsoluteDifference(plain, fast, metric)));
            }
            rows.add(String.format(Locale.ROOT, "%-10s %5s %12.1f %12.1f %9.2fx %14.2e  %s%s",
                    w.name(), n + "x" + n, rates.get("plain"), rates.get("fast"), rates.get("fast") / rates.get("plain"),
                    maxRelativeDifference(plain, fast, plain.lossMetric()), others,
                    surfaces.get("fast").info().getOrDefault("evaluator", "?")
                            + (surfaces.get("fast").info().containsKey("evaluator-note")
                            ? " (" + surfaces.get("fast").info().get("evaluator-note") + ")" : "")));
        }
        out.println();
        out.println(String.format(Locale.ROOT, "%-10s %5s %12s %12s %10s %14s  %s",
                "workload", "grid", "plain pts/s", "fast pts/s", "speed-up", "loss rel diff", "other metrics; fast evaluator"));
        rows.forEach(out::println);
        missing.forEach(m -> out.println("not run: " + m));
        out.println(String.format(Locale.ROOT, "peak memory: resident %s, Java heap %s; %d cores",
                peakResident(), mib(peakHeap()), Runtime.getRuntime().availableProcessors()));
        return 0;
    }

    /** The largest |a - b| / |a| over the cells of {@code metric} (NaN in both counts as equal). */
    static double maxRelativeDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) && Double.isNaN(y[i]) || x[i] == y[i]) {
                continue;
            }
            double rel = Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-12);
            worst = Math.max(worst, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel);
        }
        return worst;
    }

    /**
     * The largest |a - b| over the cells of {@code metric}. For accuracy this is the share of
     * examples whose predicted class flips between evaluators: near-tied logits rounded differently.
     */
    static double maxAbsoluteDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(Double.isNaN(x[i]) && Double.isNaN(y[i]))) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    /** Peak resident set size of this process (VmHWM), as text. */
    static String peakResident() {
        return resident("VmHWM:");
    }

    /** A memory line of /proc/self/status (VmRSS: now, VmHWM: peak), as text. */
    static String resident(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return mib(kb * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    static long peakHeap() {
        long total = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
