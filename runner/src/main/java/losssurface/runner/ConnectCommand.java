package losssurface.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.google.inject.Inject;
import com.google.inject.Provider;

import losssurface.api.Connection;
import losssurface.api.Settings;
import losssurface.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losssurface connect A B}: the loss along the straight line and a trained curve between two solutions. */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How two solutions of one network are connected (mode connectivity): the loss along the straight line"
                + " between them and along a quadratic Bezier curve whose bend is trained on the task's training data"
                + " (Garipov et al. 2018), with each path's barrier height.",
                "Settings: connect.points, connect.epochs, connect.batch, connect.learning-rate, connect.momentum and"
                        + " connect.seed (an unknown connect.* key lists them with their defaults)."})
final class ConnectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "The first solution: a run folder, or a theta.npy with --like.")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "The second solution: a run folder, or a theta.npy.")
    Path second;

    @Mixin
    final PluginOptions pluginOptions;

    @Option(names = "--like", paramLabel = "RUN_DIR",
            description = "The run whose network, task and data the solutions belong to (default: the first of A and B that is a run).")
    Path like;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A connect.* or renderer setting (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where the connection goes (default: connect_<time> beside the network's run).")
    Path out;

    private final Provider<Connector> connector;
    private final Streams streams;

    @Inject
    ConnectCommand(PluginOptions pluginOptions, Provider<Connector> connector, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.connector = connector;
        this.streams = streams;
    }

    @Override
    public Integer call() throws Exception {
        Connector.Connected c = connector.get().connect(first, second, like, Settings.parse(settings), out);
        var o = streams.out();
        o.println();
        o.println("Connection: " + c.dir());
        for (Connection.Path p : c.result().paths()) {
            o.println(String.format(Locale.ROOT, "  %-14s barrier %s (largest %s at t %.2f; ends %s and %s)",
                    label(p) + ":", number(p.barrier()),
                    p.metrics().keySet().iterator().next(), p.peak(), number(p.loss()[0]), number(p.loss()[p.loss().length - 1])));
        }
        o.println("  files: " + String.join(", ", c.files().stream().map(f -> c.dir().relativize(f).toString()).toList()));
        o.println("  open: " + c.dir().resolve(RunFolder.PAGE));
        return 0;
    }

    /** A path's name in the printout. */
    static String label(Connection.Path p) {
        return p.name().equals(Connection.LINE) ? "straight line" : "Bezier curve";
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
