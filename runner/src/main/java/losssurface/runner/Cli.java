package losssurface.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.inject.Guice;
import com.google.inject.Injector;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code losssurface} command. It owns the streams and creates the Guice injector,
 * once, the first time a subcommand needs the plugins.
 */
@Command(name = "losssurface", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Train neural networks and draw their loss surfaces (Li et al. 2018).",
        subcommands = {ListCommand.class, RunCommand.class, ResumeCommand.class, ProbeCommand.class, RenderCommand.class, CompareCommand.class, DemoCommand.class, BenchCommand.class, picocli.CommandLine.HelpCommand.class})
final class Cli implements Runnable {

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final List<String> args;
    private final boolean interactive;
    private Injector injector;

    Cli(PrintStream out, PrintStream err, List<String> args, boolean interactive) {
        this.out = out;
        this.err = err;
        this.args = List.copyOf(args);
        this.interactive = interactive;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    PrintStream out() {
        return out;
    }

    /**
     * The injector for these plugin options; created on first use, and only once. ND4J's native
     * thread counts are fixed first, before any plugin runs ({@link NativeThreads}).
     */
    Injector injector(PluginOptions options) {
        if (injector == null) {
            NativeThreads.fix();
            PluginDiscovery discovery = new PluginDiscovery(PluginDiscovery.folders(options.pluginPath,
                    System.getProperty("losssurface.plugin-dir")), Optional.ofNullable(options.plugins));
            Plugins plugins = discovery.discover();
            discovery.report().forEach(err::println);
            injector = Guice.createInjector(new RunnerModule(plugins, new ConsoleProgress(err, interactive, 5000),
                    new RuntimeInfo(args)));
        }
        return injector;
    }

    /** Options every command that uses plugins takes. */
    static final class PluginOptions {
        @Option(names = "--plugin-path", paramLabel = "DIR",
                description = "A folder of extra plugin jars, loaded into a module layer of their own (a release also loads"
                        + " the jars in its plugins/ folder).")
        Path pluginPath;

        @Option(names = "--plugins", split = ",", paramLabel = "MODULE",
                description = "Use only the plugins of these modules, e.g. mnist,probes (data is always on).")
        List<String> plugins;
    }

    /** The runner module's version, the commit it was built from, and the machine it runs on: Java, CPU and BLAS. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            RuntimeInfo info = new RuntimeInfo(List.of());
            Map<String, String> v = info.versions();
            return new String[] {
                "losssurface " + v.get("losssurface") + " (commit " + info.gitCommit().orElse("unknown") + ")",
                "Java " + v.get("java") + " (" + v.get("java-vm") + "), " + v.get("os"),
                "CPU " + v.get("cpu") + ", " + v.get("cores") + " cores",
                "BLAS " + v.get("blas") + "; DL4J " + v.getOrDefault("deeplearning4j", "?") + ", ONNX Runtime "
                        + v.getOrDefault("onnxruntime", "?"),
            };
        }
    }
}
