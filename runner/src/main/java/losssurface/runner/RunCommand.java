package losssurface.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import losssurface.api.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code losssurface run}: train, probe, render, and say where the results are. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model on a task, probe its loss surface and render it.")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task to learn, e.g. regression or mnist.")
    String task;

    @Option(names = "--trainer", required = true, paramLabel = "TRAINER", description = "Trainer, e.g. supervised.")
    String trainer;

    @Option(names = "--probe", defaultValue = "random-plane", paramLabel = "PROBE",
            description = "Probe (default: ${DEFAULT-VALUE}).")
    String probe;

    @Option(names = "--renderer", split = ",", paramLabel = "RENDERER",
            description = "Renderers to run (default: all that are on by default; data always runs).")
    List<String> renderers = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A plugin setting, e.g. --set plane.grid=21 (repeatable). Unknown keys are rejected.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR",
            description = "Output folder; each run gets a folder inside it (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed for initialisation, data order and directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where downloaded data is kept (default: $LOSSSURFACE_CACHE or ~/.cache/losssurface).")
    Path cache;

    @Override
    public Integer call() {
        RunService service = cli.injector(pluginOptions).getInstance(RunService.class);
        RunOutcome outcome = service.run(new RunRequest(task, trainer, probe, renderers, Settings.parse(settings), out, seed,
                cache != null ? cache : defaultCache()));
        PrintStream o = cli.out();
        o.println();
        o.println("Results: " + outcome.runDir());
        for (Map.Entry<String, Object> e : outcome.summary().entrySet()) {
            o.println("  " + e.getKey() + ": " + format(e.getValue()));
        }
        StringBuilder t = new StringBuilder("  time:");
        outcome.timings().forEach((k, v) -> t.append(String.format(Locale.ROOT, " %s %.1f s,", k, v)));
        o.println(t.substring(0, t.length() - 1));
        o.println("  files: " + String.join(", ", outcome.files().stream()
                .map(f -> outcome.runDir().relativize(f).toString()).toList()));
        outcome.files().stream().filter(f -> f.getFileName().toString().equals("index.html")).findFirst()
                .ifPresent(f -> o.println("  open: " + f));
        if (!outcome.failures().isEmpty()) {
            o.println("Some renderers failed; the other files are complete:");
            outcome.failures().forEach(f -> o.println("  " + f));
            return 1;
        }
        return 0;
    }

    static Path defaultCache() {
        String env = System.getenv("LOSSSURFACE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "losssurface");
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
    }
}
