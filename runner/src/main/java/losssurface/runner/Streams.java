package losssurface.runner;

import java.io.PrintStream;

/**
 * Where the command line prints: results on {@code out}, progress and errors on {@code err}. Commands,
 * including those other modules contribute ({@link CommandProvider}), receive it by constructor.
 */
public record Streams(PrintStream out, PrintStream err) {
    public Streams {
        java.util.Objects.requireNonNull(out, "out");
        java.util.Objects.requireNonNull(err, "err");
    }
}
