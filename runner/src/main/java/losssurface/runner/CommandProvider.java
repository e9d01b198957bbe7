package losssurface.runner;

/**
 * A subcommand that another module of the distribution adds to {@code losssurface} (e.g. {@code bench},
 * which needs the network modules the runner does not require). Found with {@link java.util.ServiceLoader}
 * in the modules the runner starts with (not in plugin folders).
 *
 * <p>The command is a picocli {@code @Command} class that Guice creates: its {@code @Inject} constructor may
 * ask for {@link Streams}, {@link PluginOptions} (use it as the command's {@code @Mixin}),
 * {@link RuntimeInfo}, {@link losssurface.api.Progress}, and {@code Provider<Map<String, P>>} for each kind
 * of provider {@code P} ({@code TaskProvider}, {@code TrainerProvider}, {@code ProbeProvider},
 * {@code EvaluatorProvider}, ...), discovered when first asked for. Its package must be open to
 * {@code info.picocli} and {@code com.google.guice}. Errors the user can fix are thrown as
 * {@link UsageException} (exit status 2) or {@link losssurface.api.LossSurfaceException} (1).
 */
public interface CommandProvider {

    /** The command's class. */
    Class<?> command();
}
