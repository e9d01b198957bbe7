package losssurface.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import losssurface.api.LossSurfaceException;
import losssurface.api.PluginProvider;

/** Every discovered provider, by {@link Kind}, with where each came from. Names are unique within a kind. */
final class Plugins {

    private final Map<Kind<?>, List<Plugin<?>>> byKind;

    /** @param byKind the providers of each kind; a kind missing from the map has none */
    Plugins(Map<Kind<?>, List<Plugin<?>>> byKind) {
        Map<Kind<?>, List<Plugin<?>>> copy = new LinkedHashMap<>();
        for (Kind<?> kind : Kind.ALL) {
            List<Plugin<?>> found = List.copyOf(byKind.getOrDefault(kind, List.of()));
            requireUniqueNames(kind, found);
            copy.put(kind, found);
        }
        this.byKind = copy;
    }

    /** The providers of {@code kind}. */
    @SuppressWarnings("unchecked") // the constructor's callers put only providers of each kind under it
    <P extends PluginProvider<?>> List<Plugin<P>> of(Kind<P> kind) {
        return (List<Plugin<P>>) (List<?>) byKind.get(kind);
    }

    /** The plugin of {@code kind} named {@code name}, or a usage error listing the available names. */
    <P extends PluginProvider<?>> Plugin<P> find(Kind<P> kind, String name) {
        Map<String, Plugin<P>> byName = new LinkedHashMap<>();
        of(kind).forEach(p -> byName.put(p.name(), p));
        return lookup(kind.word(), name, byName);
    }

    /** The plugin called {@code name} among {@code available}, or a usage error naming what is available and how to add it. */
    static <P> P lookup(String kind, String name, Map<String, P> available) {
        P p = available.get(name);
        if (p == null) {
            if (available.isEmpty()) {
                throw new UsageException("Unknown " + kind + " '" + name + "': no " + kind + " is loaded at all, so no plugin module "
                        + "that provides one was chosen or found. Add the module that provides it to --plugins (or drop --plugins"
                        + " to load every module); 'losssurface list' shows which module provides what.");
            }
            throw new UsageException("Unknown " + kind + " '" + name + "'. Available: "
                    + String.join(", ", available.keySet().stream().sorted().toList())
                    + ". Run 'losssurface list' to see every plugin" + ("task".equals(kind) || "trainer".equals(kind)
                    || "probe".equals(kind) ? ", and add its module to --plugins if you gave that option." : "."));
        }
        return p;
    }

    /** Only the plugins that {@code keep} accepts. */
    Plugins filter(Predicate<Plugin<?>> keep) {
        Map<Kind<?>, List<Plugin<?>>> kept = new LinkedHashMap<>();
        byKind.forEach((kind, found) -> kept.put(kind, found.stream().filter(keep).toList()));
        return new Plugins(kept);
    }

    private static void requireUniqueNames(Kind<?> kind, List<Plugin<?>> found) {
        Map<String, Plugin<?>> byName = new HashMap<>();
        for (Plugin<?> p : found) {
            Plugin<?> clash = byName.putIfAbsent(p.name(), p);
            if (clash != null) {
                throw new LossSurfaceException("Two " + kind.word() + " plugins are named '" + p.name() + "': "
                        + clash.className() + " (module " + clash.module() + ", " + clash.location() + ") and "
                        + p.className() + " (module " + p.module() + ", " + p.location() + "). "
                        + "Remove one of them from the module or plugin path, or rename one.");
            }
        }
    }

    /** Names of the modules that provide anything. */
    Set<String> modules() {
        Set<String> out = new TreeSet<>();
        all().forEach(p -> out.add(p.module()));
        return out;
    }

    Stream<Plugin<?>> all() {
        List<Plugin<?>> out = new ArrayList<>();
        byKind.values().forEach(out::addAll);
        return out.stream();
    }
}
