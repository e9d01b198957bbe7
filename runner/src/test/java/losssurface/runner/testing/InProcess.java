package losssurface.runner.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import losssurface.runner.Main;

/**
 * The command line run in this process with its output captured, for tests; the runner's test jar ships it to the
 * modules that add commands (bench, convert), in a package of its own (the runner module owns {@code losssurface.runner}).
 */
public final class InProcess {

    private InProcess() {
    }

    /** What a command line did: its exit status and what it printed on each stream. */
    public record Result(int status, String out, String err) {
    }

    /** Runs {@code losssurface ARGS...} through {@link Main#execute}, not interactive. */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
