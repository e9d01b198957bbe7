package losssurface.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import losssurface.api.ProbeProvider;
import losssurface.api.RendererProvider;
import losssurface.api.TaskProvider;
import losssurface.api.TrainerProvider;

/** Every discovered provider, by kind, with where each came from. */
record Plugins(List<Plugin<TaskProvider>> tasks, List<Plugin<TrainerProvider>> trainers,
               List<Plugin<ProbeProvider>> probes, List<Plugin<RendererProvider>> renderers) {

    Plugins {
        tasks = List.copyOf(tasks);
        trainers = List.copyOf(trainers);
        probes = List.copyOf(probes);
        renderers = List.copyOf(renderers);
        requireUniqueNames("task", tasks);
        requireUniqueNames("trainer", trainers);
        requireUniqueNames("probe", probes);
        requireUniqueNames("renderer", renderers);
    }

    private static void requireUniqueNames(String kind, List<? extends Plugin<?>> found) {
        java.util.Map<String, Plugin<?>> byName = new java.util.HashMap<>();
        for (Plugin<?> p : found) {
            Plugin<?> clash = byName.putIfAbsent(p.name(), p);
            if (clash != null) {
                throw new losssurface.api.LossSurfaceException("Two " + kind + " plugins are named '" + p.name() + "': "
                        + clash.className() + " (module " + clash.module() + ", " + clash.location() + ") and "
                        + p.className() + " (module " + p.module() + ", " + p.location() + "). "
                        + "Remove one of them from the module or plugin path, or rename one.");
            }
        }
    }

    /** The plugin of {@code kind} named {@code name}, or a usage error listing the available names. */
    static <P> Plugin<P> find(String kind, String name, List<Plugin<P>> found) {
        return found.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new UsageException("Unknown " + kind + " '" + name + "'. Available: "
                        + String.join(", ", found.stream().map(Plugin::name).sorted().toList())
                        + ". Run 'losssurface list' to see every plugin."));
    }

    /** Names of the modules that provide anything. */
    Set<String> modules() {
        Set<String> out = new TreeSet<>();
        all().forEach(p -> out.add(p.module()));
        return out;
    }

    Stream<Plugin<?>> all() {
        List<Plugin<?>> out = new ArrayList<>();
        out.addAll(tasks);
        out.addAll(trainers);
        out.addAll(probes);
        out.addAll(renderers);
        return out.stream();
    }
}
