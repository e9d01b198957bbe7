package losssurface.nn;

import losssurface.api.ModelSource;
import losssurface.api.ModelSourceProvider;
import losssurface.api.Settings;

/** Provides {@value Dl4jModelSource#NAME}: networks saved by DL4J's ModelSerializer. */
public final class Dl4jModelSourceProvider implements ModelSourceProvider {
    @Override
    public String name() {
        return Dl4jModelSource.NAME;
    }

    @Override
    public String description() {
        return "DL4J networks saved with ModelSerializer (.zip): MultiLayerNetwork or a one-input, one-output ComputationGraph";
    }

    @Override
    public ModelSource create(Settings settings) {
        return new Dl4jModelSource();
    }
}
