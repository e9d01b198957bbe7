package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import losssurface.api.RunContext;
import losssurface.api.ModelSource;
import losssurface.api.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code losssurface probe}: the loss surface of a network this project did not train. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Probe a model you trained: an ONNX file (from PyTorch, Keras, ...) or a DL4J network (ModelSerializer "
                + "zip), on your data; writes the same outputs as run.")
final class ProbeCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

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

    @Option(names = "--batch", defaultValue = "0", paramLabel = "N",
            description = "ONNX models: examples per ONNX Runtime run (default: the format's own, 1000 for ONNX).")
    int batch;

    @Option(names = "--non-finite", defaultValue = "refuse", paramLabel = "refuse|drop",
            description = "A NaN or infinity in the data: refuse names it and stops; drop leaves out those examples and "
                    + "says how many (default: ${DEFAULT-VALUE}).")
    String nonFinite;

    @Option(names = "--max-elements", defaultValue = "2147483648", paramLabel = "N",
            description = "The largest tensor a model file may declare, in elements (a DL4J zip: 4 bytes each once expanded);"
                    + " model files are untrusted and refused above it before they cost memory (default: ${DEFAULT-VALUE}).")
    long maxElements;

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

    private final Provider<SavedModelProbe> service;
    private final Streams streams;

    @Inject
    ProbeCommand(PluginOptions pluginOptions, Provider<SavedModelProbe> service, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.service = service;
        this.streams = streams;
    }

    @Override
    public Integer call() {
        boolean drop = switch (nonFinite.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "refuse" -> false;
            case "drop" -> true;
            default -> throw new UsageException("--non-finite " + nonFinite + " is not a choice. Give refuse (the default) or drop.");
        };
        if (batch < 0) {
            throw new UsageException("--batch must be at least 1, was " + batch + ".");
        }
        return service.get().probe(new ProbeSavedRequest(model, data, new ModelSource.Options(labelColumn,
                loss.trim().toLowerCase(java.util.Locale.ROOT), batch, drop, maxElements), probe, renderers, Settings.parse(settings), out, seed,
                RunContext.defaultCache())).report(streams.out());
    }
}
