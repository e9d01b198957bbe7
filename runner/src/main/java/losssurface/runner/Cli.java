package losssurface.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code losssurface} command. Guice creates it and its subcommands ({@link GuiceFactory}).
 */
@Command(name = "losssurface", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Train neural networks and draw their loss surfaces (Li et al. 2018).",
        subcommands = {ListCommand.class, RunCommand.class, ResumeCommand.class, ProbeCommand.class, RenderCommand.class, CompareCommand.class, DemoCommand.class, BenchCommand.class, picocli.CommandLine.HelpCommand.class})
final class Cli implements Runnable {

    @Spec
    CommandSpec spec;

    private final Streams streams;

    /** Where the command line prints: results on {@code out}, progress and errors on {@code err}. */
    record Streams(PrintStream out, PrintStream err) {
    }

    @Inject
    Cli(Streams streams) {
        this.streams = streams;
    }

    @Override
    public void run() {
        spec.commandLine().usage(streams.out());
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
        private final RuntimeInfo info;

        @Inject
        Version(RuntimeInfo info) {
            this.info = info;
        }

        @Override
        public String[] getVersion() {
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
