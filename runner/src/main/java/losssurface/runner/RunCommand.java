package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.runs.RunTiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code losssurface run}: train, probe, render, and say where the results are. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model on a task, probe its loss surface and render it.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

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

    @Option(names = "--tiles", paramLabel = "K/N",
            description = "Compute only share K of N of the surface's tiles (e.g. 1/8); the other shares follow with"
                    + " 'resume RUN_DIR --tiles K/N', and 'resume RUN_DIR' assembles them.")
    String tiles;

    @Option(names = "--from", paramLabel = "RUN_DIR",
            description = "Draw the model that run trained instead of training one (same task, trainer and trainer"
                    + " settings; e.g. another probe, grid, evaluator or RL objective).")
    Path from;

    private final Provider<RunService> service;
    private final Streams streams;

    @Inject
    RunCommand(PluginOptions pluginOptions, Provider<RunService> service, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.service = service;
        this.streams = streams;
    }

    @Override
    public Integer call() {
        RunService runner = service.get();
        int status = 0;
        RunService.TileJob job = new RunService.TileJob(share(tiles), "local", 0);
        for (RunOutcome outcome : runner.run(new RunRequest(task, trainer, probe, renderers, Settings.parse(settings), out,
                seed, cache != null ? cache : RunContext.defaultCache(), java.util.Optional.ofNullable(from)), job)) {
            status = Math.max(status, outcome.report(streams.out()));
        }
        return status;
    }

    /** The {@code --tiles K/N} option: every tile when absent; a malformed one is a usage error. */
    static RunTiles.Share share(String tiles) {
        try {
            return tiles == null ? RunTiles.Share.ALL : RunTiles.Share.parse(tiles);
        } catch (losssurface.api.LossSurfaceException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
