package losssurface.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import losssurface.api.LossSurfaceException;
import losssurface.api.ModelSource;
import losssurface.api.Progress;
import losssurface.data.DataFiles;
import losssurface.data.Examples;

/**
 * Models saved as ONNX (from PyTorch, Keras or anything else), evaluated by ONNX Runtime with
 * their float initializers as the parameters. A file named {@code .onnx} is one; a file whose
 * first byte is an ONNX model's first field (ir_version) probably is; any other file that is no
 * zip may be, and is named as neither format if it is not.
 */
public final class OnnxModelSource implements ModelSource {

    /** The name users and provenance see. */
    public static final String NAME = "onnx";

    @Override
    public Match match(Path model) {
        if (named(model)) {
            return Match.NAME;
        }
        try (InputStream in = Files.newInputStream(model)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 0 || head.length == 2 && head[0] == 'P' && head[1] == 'K') {
                return Match.NO;
            }
            return head[0] == 0x08 ? Match.CONTENT : Match.MAYBE; // field 1 (ir_version), a varint
        } catch (IOException | RuntimeException e) {
            return Match.NO;
        }
    }

    @Override
    public Opened open(Path model, Path data, Options options, Progress progress) {
        OnnxLoss loss = OnnxLoss.parse(options.loss());
        Examples examples = DataFiles.load(data, options.labelColumn(), options.dropNonFinite(), progress);
        OnnxModel onnx = load(model, options.maxElements());
        String dataName = examples.count() + " examples of " + data.getFileName();
        OnnxObjective objective = OnnxObjective.of(onnx, examples, loss, options.batch() > 0 ? options.batch()
                : OnnxObjective.DEFAULT_BATCH, dataName);
        return new Opened(onnx, objective, "Loaded ONNX model " + model + " (" + onnx.layout().size() + " parameters in "
                + onnx.layout().blocks().size() + " tensors) and " + examples.count() + " examples of shape "
                + Arrays.toString(examples.exampleShape()) + " from " + data + (objective.notes().isEmpty() ? "" : "; " + objective.notes()));
    }

    private static boolean named(Path model) {
        return model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** Loads an ONNX model; a file not named .onnx that is not one either is named as neither format. */
    private static OnnxModel load(Path model, long maxElements) {
        try {
            return OnnxModel.load(model, maxElements);
        } catch (LossSurfaceException e) {
            if (named(model)) {
                throw e;
            }
            throw new LossSurfaceException("Model file " + model + " is not a DL4J model (not a zip) and not an ONNX model ("
                    + e.getMessage() + "). Give an .onnx file, or a network saved with ModelSerializer.writeModel.", e);
        }
    }
}
