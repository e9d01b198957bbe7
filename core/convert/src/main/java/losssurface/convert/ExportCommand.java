package losssurface.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import losssurface.api.LossSurfaceException;
import losssurface.nn.SavedNetwork;
import losssurface.runner.Streams;
import losssurface.runner.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losssurface export --onnx NET.zip NET.onnx}: a DL4J network saved with {@code ModelSerializer} written as
 * an ONNX model ({@link Dl4jToOnnx}), so that other tools (ONNX Runtime, Netron, PyTorch's onnx2torch) can read it;
 * {@code probe --model NET.onnx} draws the same surface. The model gives logits where the network ends in a
 * softmax.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a DL4J network (ModelSerializer zip: a MultiLayerNetwork, or a ComputationGraph that is a chain"
                + " of layers) as an ONNX model (convolution, pooling, batch normalisation, dense and output layers; a"
                + " softmax output is left out, so the model gives logits).")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "NET.zip", description = "The DL4J network to export.")
    Path model;

    @Parameters(index = "0", paramLabel = "NET.onnx", description = "The ONNX file to write.")
    Path out;

    @Option(names = "--force", description = "Replace NET.onnx if it exists.")
    boolean force;

    private final Streams streams;

    @Inject
    public ExportCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        if (Files.exists(out) && !force) {
            throw new UsageException(out + " exists. Name another file, or give --force to replace it.");
        }
        SavedNetwork saved = SavedNetwork.load(model);
        byte[] onnx;
        try {
            onnx = saved.multiLayerNetwork().isPresent() ? Dl4jToOnnx.convert(saved.multiLayerNetwork().get())
                    : Dl4jToOnnx.convert(saved.computationGraph().orElseThrow());
        } catch (Dl4jToOnnx.Unsupported e) {
            throw new UsageException("Cannot export " + model + ": " + e.getMessage() + ". Probe the zip directly with"
                    + " 'losssurface probe --model " + model + "' (the plain method).");
        }
        Path target = out.toAbsolutePath();
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path part = Files.createTempFile(parent, target.getFileName().toString(), ".part");
            try {
                Files.write(part, onnx);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot write " + out + " (" + e + "). Name a writable file.", e);
        }
        org.deeplearning4j.nn.api.Layer[] layers = saved.multiLayerNetwork().map(MultiLayerNetwork::getLayers)
                .orElseGet(() -> saved.computationGraph().orElseThrow().getLayers());
        streams.out().println("Wrote " + target + ": the " + saved.type() + " of " + model + ", " + saved.parameters().length
                + " parameters as float initializers in DL4J's order, input '" + Dl4jToOnnx.INPUT + "', output '"
                + Dl4jToOnnx.OUTPUT + "' (" + (endsInSoftmax(layers[layers.length - 1]) ? "logits: the softmax is left out" : "the last layer's"
                + " activations") + "), ONNX opset 13.");
        return 0;
    }

    private static boolean endsInSoftmax(org.deeplearning4j.nn.api.Layer last) {
        return last.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
                && b.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax;
    }
}
