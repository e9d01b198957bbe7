package losssurface.api;

/**
 * The extension point for model sources (e.g. {@code onnx}): {@link #create} returns the
 * {@link ModelSource} that reads the format. See {@link PluginProvider} for what every provider has.
 */
public interface ModelSourceProvider extends PluginProvider<ModelSource> {

    @Override
    ModelSource create(Settings settings);
}
