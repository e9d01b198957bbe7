package losssurface.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.nd4j.linalg.dataset.DataSet;

import losssurface.data.DataFiles;
import losssurface.data.Examples;
import losssurface.api.ModelSource;
import losssurface.api.Progress;
import losssurface.api.SettingsException;

/**
 * Networks saved by DL4J's {@code ModelSerializer} (a zip holding {@code configuration.json} and
 * {@code coefficients.bin}): a {@code MultiLayerNetwork} or a one-input, one-output
 * {@code ComputationGraph}, scored with its output layer's own loss.
 */
public final class Dl4jModelSource implements ModelSource {

    /** The name users and provenance see. */
    public static final String NAME = "dl4j";

    @Override
    public Match match(Path model) {
        if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            return Match.NAME;
        }
        try (InputStream in = Files.newInputStream(model)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 'P' && head[1] == 'K' ? Match.CONTENT : Match.NO;
        } catch (IOException | RuntimeException e) {
            return Match.NO;
        }
    }

    @Override
    public Opened open(Path model, Path data, Options options, Progress progress) {
        if (!options.loss().equals(Options.AUTO)) {
            throw new SettingsException("--loss applies to ONNX models; a DL4J network is scored with its output layer's loss. "
                    + "Leave --loss out.");
        }
        Examples examples = DataFiles.load(data, options.labelColumn(), options.dropNonFinite(), progress);
        SavedNetwork network = SavedNetwork.load(model, 4 * options.maxElements());
        DataSet set = DataSets.of(examples, options.labelColumn(), network.inputs(), network.outputs(), network.classifier());
        String dataName = examples.count() + " examples of " + data.getFileName();
        return new Opened(network, network.objective(set, dataName), "Loaded " + network.type() + " " + model + " ("
                + network.summary().get("parameters") + " parameters) and " + set.numExamples() + " examples from " + data);
    }
}
