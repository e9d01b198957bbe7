package losssurface.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import losssurface.api.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code losssurface probe}: the loss surface of a network this project did not train. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Probe a saved DL4J network (ModelSerializer zip) on your data; writes the same outputs as run.")
final class ProbeCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A MultiLayerNetwork or ComputationGraph saved with ModelSerializer.writeModel.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Examples to score: a CSV with a header and a label column, or x.npy (with y.npy beside it), or their folder.")
    Path data;

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "NAME",
            description = "The CSV column holding labels (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--probe", defaultValue = "random-plane", paramLabel = "PROBE", description = "Probe (default: ${DEFAULT-VALUE}).")
    String probe;

    @Option(names = "--renderer", split = ",", paramLabel = "RENDERER", description = "Renderers (default: all on by default).")
    List<String> renderers = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A probe or renderer setting (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of the directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        RunService service = cli.injector(pluginOptions).getInstance(RunService.class);
        return service.probeSaved(new ProbeSavedRequest(model, data, labelColumn, probe, renderers, Settings.parse(settings), out,
                seed, RunCommand.defaultCache())).report(cli.out());
    }
}
