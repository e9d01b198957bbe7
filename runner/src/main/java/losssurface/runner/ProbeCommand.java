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
        description = "Probe a model you trained: an ONNX file (from PyTorch, Keras, ...) or a DL4J network (ModelSerializer "
                + "zip), on your data; writes the same outputs as run.")
final class ProbeCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "An .onnx model (e.g. from torch.onnx.export), or a MultiLayerNetwork or ComputationGraph saved with "
                    + "ModelSerializer.writeModel.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Examples to score: a CSV with a header and a label column, x.npy of any shape (with y.npy beside it) "
                    + "or their folder, or an .npz holding x and y.")
    Path data;

    @Option(names = "--loss", defaultValue = "auto", paramLabel = "LOSS",
            description = "ONNX models: auto (cross-entropy for class labels, else mse), cross-entropy (logits or probabilities "
                    + "detected), cross-entropy-logits, cross-entropy-probabilities or mse (default: ${DEFAULT-VALUE}). "
                    + "Cross-entropy adds accuracy as a second metric. A DL4J network uses its output layer's loss.")
    String loss;

    @Option(names = "--batch", defaultValue = "" + losssurface.onnx.OnnxObjective.DEFAULT_BATCH, paramLabel = "N",
            description = "ONNX models: examples per ONNX Runtime run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--non-finite", defaultValue = "refuse", paramLabel = "refuse|drop",
            description = "A NaN or infinity in the data: refuse names it and stops; drop leaves out those examples and "
                    + "says how many (default: ${DEFAULT-VALUE}).")
    String nonFinite;

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
        SavedModelProbe service = cli.injector(pluginOptions).getInstance(SavedModelProbe.class);
        losssurface.nn.DataFiles.NonFinite policy = switch (nonFinite.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "refuse" -> losssurface.nn.DataFiles.NonFinite.REFUSE;
            case "drop" -> losssurface.nn.DataFiles.NonFinite.DROP;
            default -> throw new UsageException("--non-finite " + nonFinite + " is not a choice. Give refuse (the default) or drop.");
        };
        return service.probe(new ProbeSavedRequest(model, data, labelColumn, losssurface.onnx.OnnxLoss.parse(loss), batch,
                policy, probe, renderers, Settings.parse(settings), out, seed, RunCommand.defaultCache())).report(cli.out());
    }
}
