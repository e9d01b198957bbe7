package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import losssurface.api.PluginProvider;
import losssurface.api.RunContext;
import losssurface.runs.SurfaceJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code losssurface list}: every discovered plugin with its description, module and origin. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every task, trainer, probe and renderer found, with where each was loaded from.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

    private final Provider<Plugins> plugins;
    private final Streams streams;

    @Inject
    ListCommand(PluginOptions pluginOptions, Provider<Plugins> plugins, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.plugins = plugins;
        this.streams = streams;
    }

    @Override
    public Integer call() {
        Plugins found = plugins.get();
        PrintStream out = streams.out();
        for (Kind<?> kind : Kind.ALL) {
            section(out, kind, found);
        }
        out.println("Run settings: " + RunContext.THREADS + "=" + RunContext.cores()
                + " (the surface job's workers, one core each; default one per core)");
        out.println("Surface job settings: " + SurfaceJob.EVALUATOR + "=fast (the first evaluator above that can compute the"
                + " objective; plain, or an evaluator's name), " + SurfaceJob.MAX_POINTS + "=" + SurfaceJob.DEFAULT_MAX_POINTS
                + " (larger surfaces must be confirmed)");
        out.println("Give settings as --set key=value; every key a plugin reads is listed under it with its default.");
        return 0;
    }

    private static <P extends PluginProvider<?>> void section(PrintStream out, Kind<P> kind, Plugins plugins) {
        List<Plugin<P>> found = plugins.of(kind);
        out.println(kind.heading() + ":");
        if (found.isEmpty()) {
            out.println("  (none)");
        }
        int width = found.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        String indent = " ".repeat(width + 4);
        found.stream().sorted(Comparator.comparing(Plugin::name)).forEach(p -> {
            out.printf("  %-" + width + "s  %s%s%n", p.name(), p.provider().description(), kind.noteFor(p.provider()));
            out.printf("%smodule %s, from %s%n", indent, p.module(), p.location());
            SortedMap<String, String> settings = settingsOf(p);
            if (!settings.isEmpty()) {
                wrap(out, indent + "settings: ", indent + "          ",
                        settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
        });
        out.println();
    }

    /** Prints {@code items} comma-separated in lines of about 110 characters. */
    private static void wrap(PrintStream out, String first, String next, List<String> items) {
        StringBuilder line = new StringBuilder(first);
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            if (line.length() > first.length() && line.length() + 1 + item.length() > 110) {
                out.println(line);
                line = new StringBuilder(next);
            } else if (line.length() > first.length()) {
                line.append(' ');
            }
            line.append(item);
        }
        out.println(line);
    }

    /** The plugin's settings with their defaults; a plugin that cannot say is listed without them. */
    private static SortedMap<String, String> settingsOf(Plugin<? extends PluginProvider<?>> plugin) {
        try {
            return plugin.provider().settings();
        } catch (RuntimeException | LinkageError e) {
            // e.g. a plugin jar built against an older api
            return new TreeMap<>(Map.of("?", "(" + plugin.name() + " could not list its settings: " + e + ")"));
        }
    }
}
