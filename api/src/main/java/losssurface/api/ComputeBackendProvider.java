package losssurface.api;

/**
 * The extension point for compute backends (e.g. {@code nd4j}), provided by the module that wraps
 * the library. See {@link PluginProvider} for what every provider has.
 */
public interface ComputeBackendProvider extends PluginProvider<ComputeBackend> {

    @Override
    ComputeBackend create(Settings settings);
}
