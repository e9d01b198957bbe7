package losssurface.runner;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * Options every command that uses plugins takes, as a picocli mixin ({@code @Mixin final PluginOptions
 * pluginOptions;} with the instance received by constructor): there is one instance per command line, and
 * plugins are discovered with it when a command first asks for them.
 */
public final class PluginOptions {
    @Option(names = "--plugin-path", paramLabel = "DIR",
            description = "A folder of extra plugin jars, loaded into a module layer of their own (a release also loads"
                    + " the jars in its plugins/ folder).")
    Path pluginPath;

    @Option(names = "--plugins", split = ",", paramLabel = "MODULE",
            description = "Use only the plugins of these modules, e.g. mnist,probes (data is always on).")
    List<String> plugins;
}
