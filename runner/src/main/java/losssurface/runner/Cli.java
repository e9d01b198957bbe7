package losssurface.runner;

import java.util.Map;

import com.google.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code losssurface} command. Guice creates it and its subcommands ({@link GuiceFactory}); modules of
 * the distribution add theirs through {@link CommandProvider} (e.g. {@code bench}).
 */
@Command(name = "losssurface", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Train neural networks and draw their loss surfaces (Li et al. 2018).",
        subcommands = {ListCommand.class, RunCommand.class, ResumeCommand.class, ProbeCommand.class, RenderCommand.class, CompareCommand.class, ConnectCommand.class, DemoCommand.class})
final class Cli implements Runnable {

    @Spec
    CommandSpec spec;

    private final Streams streams;

    @Inject
    Cli(Streams streams) {
        this.streams = streams;
    }

    @Override
    public void run() {
        spec.commandLine().usage(streams.out());
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
