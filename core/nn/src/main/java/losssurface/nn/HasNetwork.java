package losssurface.nn;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import losssurface.api.io.AtomicFiles;

/**
 * A trained model held as a DL4J network ({@link NetworkModel}, the RL trainers' Q-networks), so
 * that a run can keep it as a DL4J zip beside its numbers, loadable by DL4J's
 * {@code ModelSerializer} and by {@code losssurface probe --model}.
 */
public interface HasNetwork {

    /** The network; theta* are its parameters. Callers must not modify it. */
    MultiLayerNetwork network();

    /**
     * Writes the network (configuration and parameters, no updater state) to {@code file}
     * atomically; a {@code TrainedModel} that holds a network returns this as its
     * {@code saveNative}.
     */
    default boolean saveNetwork(Path file) throws IOException {
        AtomicFiles.write(file, out -> ModelSerializer.writeModel(network(), out, false));
        return true;
    }
}
