package losssurface.runner;

import java.io.PrintStream;
import java.util.List;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;

import losssurface.api.LossSurfaceException;
import losssurface.api.SettingsException;
import picocli.CommandLine;

/**
 * Entry point. Exit status: 0 success, 1 failure, 2 usage error (unknown names or options, bad
 * settings). Errors the user can fix are printed as one message without a stack trace.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err, System.console() != null));
    }

    /**
     * Runs the command line and returns the exit status; never calls {@code System.exit}. For
     * embedding (e.g. the Spark job runs {@code resume RUN_DIR --tiles K/N} in each task).
     */
    public static int execute(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        Injector injector = Guice.createInjector(new RunnerModule(out, err, List.of(args), interactive));
        CommandLine cmd = new CommandLine(Cli.class, new GuiceFactory(injector));
        PluginDiscovery.commands().forEach(cmd::addSubcommand);
        cmd.addSubcommand(new CommandLine.HelpCommand());
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(unwrap(ex), err));
        return cmd.execute(args);
    }

    private static Throwable unwrap(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof CreationException || t instanceof ProvisionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CreationException c && !c.getErrorMessages().isEmpty() && c.getErrorMessages().iterator().next().getCause() != null) {
            t = c.getErrorMessages().iterator().next().getCause();
        }
        return t;
    }

    private static int report(Throwable t, PrintStream err) {
        err.println();
        if (t instanceof UsageException || t instanceof SettingsException) {
            err.println("error: " + t.getMessage());
            return 2;
        }
        if (t instanceof LossSurfaceException) {
            err.println("error: " + t.getMessage());
            return 1;
        }
        if (t instanceof OutOfMemoryError) {
            err.println("error: out of memory (" + t.getMessage() + "). Give the JVM more with JAVA_OPTS=-Xmx8g, "
                    + "or use a smaller grid or evaluation set.");
            return 1;
        }
        err.println("error: unexpected failure, please report it with the trace below.");
        t.printStackTrace(err);
        return 1;
    }
}
