package losssurface.runner;

import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import losssurface.api.LossSurfaceException;
import losssurface.api.PluginProvider;
import losssurface.api.EvaluatorProvider;
import losssurface.api.RendererProvider;

/**
 * Finds every task, trainer, probe and renderer provider, and the commands other modules add: the one
 * place that calls {@link ServiceLoader}. Providers come from the modules the runner was started with and,
 * with {@code --plugin-path}, from jars in a folder loaded into a new {@link ModuleLayer}.
 */
final class PluginDiscovery {

    /** Module name prefix of the stock plugins; {@code --plugins mnist} means {@code losssurface.plugin.mnist}. */
    static final String PLUGIN_PREFIX = "losssurface.plugin.";
    /** The module of the {@code data} renderer, which is always on. */
    static final String VIZ = "losssurface.viz";

    private final List<Path> pluginPath;
    private final Optional<List<String>> only;
    private List<String> report = List.of();

    /**
     * @param pluginPath a folder of extra plugin jars, if any
     * @param only       if present, use only providers from these modules (full or short names)
     */
    PluginDiscovery(Optional<Path> pluginPath, Optional<List<String>> only) {
        this(pluginPath.map(List::of).orElse(List.of()), only);
    }

    /**
     * @param pluginPath folders of extra plugin jars (e.g. {@code --plugin-path} and a release's
     *                   {@code plugins/} folder), all loaded into one layer
     * @param only       if present, use only providers from these modules (full or short names)
     */
    PluginDiscovery(List<Path> pluginPath, Optional<List<String>> only) {
        this.pluginPath = List.copyOf(pluginPath);
        this.only = only;
    }

    /**
     * The folders to load plugin jars from: {@code given} ({@code --plugin-path}), and the
     * release's drop-in folder ({@code -Dlosssurface.plugin-dir}, set by {@code bin/losssurface})
     * when it holds a jar.
     */
    static List<Path> folders(Path given, String dropIn) {
        List<Path> out = new ArrayList<>();
        if (given != null) {
            out.add(given);
        }
        if (dropIn != null && !dropIn.isBlank()) {
            Path dir = Path.of(dropIn);
            try (java.util.stream.Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : java.util.stream.Stream.empty()) {
                if (files.anyMatch(f -> f.toString().endsWith(".jar")) && !out.contains(dir)) {
                    out.add(dir);
                }
            } catch (java.io.IOException e) {
                throw new LossSurfaceException("Cannot read the plugin folder " + dir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The commands other modules of the distribution add ({@link CommandProvider}), found in the modules the
     * runner started with (the boot layer or the class path; never in plugin folders), sorted by class name.
     */
    static List<Class<?>> commands() {
        try {
            return ServiceLoader.load(CommandProvider.class, PluginDiscovery.class.getClassLoader()).stream()
                    .map(p -> p.get().command()).distinct()
                    .sorted(java.util.Comparator.comparing(Class::getName)).collect(Collectors.toList());
        } catch (java.util.ServiceConfigurationError e) {
            throw new LossSurfaceException("A command module could not be loaded: " + e.getMessage()
                    + ". Rebuild the distribution (mvn package).", e);
        }
    }

    /** Everything found. */
    Plugins discover() {
        Optional<ModuleLayer> layer = pluginPath.isEmpty() ? Optional.empty() : Optional.of(layerFor(pluginPath));
        Map<Kind<?>, List<Plugin<?>>> found = new LinkedHashMap<>();
        for (Kind<?> kind : Kind.ALL) {
            found.put(kind, List.copyOf(load(kind.type(), layer)));
        }
        Plugins all = new Plugins(found);
        report = pluginPathReport(all);
        return only.map(names -> restrict(all, names)).orElse(all);
    }

    /** {@link #pluginPathReport} of everything the last {@link #discover} found, before {@code --plugins} chose. */
    List<String> report() {
        return report;
    }

    /**
     * What each jar on the plugin path provided, one line per jar, and a warning for each jar that
     * provided nothing (a library of the plugins, or a jar that is not a plugin at all); empty
     * without {@code --plugin-path}.
     */
    private List<String> pluginPathReport(Plugins plugins) {
        if (pluginPath.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (java.lang.module.ModuleReference ref : ModuleFinder.of(pluginPath.toArray(Path[]::new)).findAll().stream()
                .sorted(java.util.Comparator.comparing(r -> r.descriptor().name())).toList()) {
            String module = ref.descriptor().name();
            String jar = ref.location().map(u -> Path.of(u).getFileName().toString()).orElse(module);
            List<String> provided = plugins.all().filter(p -> p.module().equals(module))
                    .map(p -> p.name()).sorted().toList();
            lines.add(provided.isEmpty()
                    ? "warning: plugin jar " + jar + " (module " + module + ") provides no task, trainer, probe or renderer;"
                    + " it is loaded only as a library of the other jars. If it should provide plugins, check its module-info's"
                    + " 'provides ... with ...' lines."
                    : "plugin jar " + jar + " (module " + module + ") provides " + String.join(", ", provided));
        }
        return lines;
    }

    private <S extends PluginProvider<?>> List<Plugin<S>> load(Class<S> service, Optional<ModuleLayer> layer) {
        ServiceLoader<S> loader = layer.map(l -> ServiceLoader.load(l, service))
                .orElseGet(() -> ServiceLoader.load(service, PluginDiscovery.class.getClassLoader()));
        List<Plugin<S>> found = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        try {
            for (ServiceLoader.Provider<S> p : loader.stream().toList()) {
                if (!seen.add(p.type())) {
                    continue;
                }
                S provider = p.get();
                found.add(new Plugin<>(provider, provider.name(), moduleName(p.type()), location(p.type())));
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new LossSurfaceException("A " + service.getSimpleName() + " plugin could not be loaded: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : "")
                    + ". Remove or rebuild the plugin jar.", e);
        }
        return found;
    }

    private static ModuleLayer layerFor(List<Path> dirs) {
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new UsageException("--plugin-path " + d + " is not a folder. Name a folder that holds plugin jars.");
            }
        }
        String dir = dirs.stream().map(Path::toString).collect(Collectors.joining(" and "));
        ModuleFinder finder = ModuleFinder.of(dirs.toArray(Path[]::new));
        Set<String> roots;
        try {
            roots = finder.findAll().stream().map(r -> r.descriptor().name()).collect(Collectors.toCollection(TreeSet::new));
        } catch (FindException e) {
            throw new LossSurfaceException("Cannot read the plugin jars in " + dir + ": " + e.getMessage()
                    + ". Each jar must be a module (a module-info or an Automatic-Module-Name).", e);
        }
        if (roots.isEmpty()) {
            throw new UsageException("--plugin-path " + dir + " holds no jars. Put plugin jars (modules) in it.");
        }
        ModuleLayer boot = ModuleLayer.boot();
        for (String root : roots) {
            if (boot.findModule(root).isPresent()) {
                throw new LossSurfaceException("The plugin jar for module " + root + " in " + dir
                        + " clashes with a module the runner already has. Rename its module.");
            }
        }
        try {
            Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            return boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new LossSurfaceException("Cannot load the plugins in " + dir + ": " + e.getMessage()
                    + ". A plugin may only require losssurface.api, the DL4J bundle (losssurface.dl4j), the JDK, "
                    + "and jars placed beside it.", e);
        }
    }

    private static Plugins restrict(Plugins all, List<String> names) {
        Set<String> modules = all.modules();
        Set<String> wanted = new TreeSet<>();
        for (String raw : names) {
            String n = raw.trim();
            String full = modules.contains(n) ? n : PLUGIN_PREFIX + n;
            if (!modules.contains(full)) {
                throw new UsageException("Unknown plugin module '" + n + "' in --plugins. Available: "
                        + modules.stream().map(m -> m.startsWith(PLUGIN_PREFIX) ? m.substring(PLUGIN_PREFIX.length()) : m)
                        .collect(Collectors.joining(", ")) + ".");
            }
            wanted.add(full);
        }
        // the numbers renderer stays (every run writes its numbers), and so do the evaluators: they
        // are how the framework computes surfaces, whichever plugins the user chose
        return all.filter(p -> wanted.contains(p.module()) || p.provider() instanceof EvaluatorProvider
                || p.provider() instanceof losssurface.api.ModelSourceProvider
                || p.provider() instanceof losssurface.api.ComputeBackendProvider
                || p.provider() instanceof RendererProvider r && r.role() == RendererProvider.Role.NUMBERS);
    }

    private static String moduleName(Class<?> type) {
        Module m = type.getModule();
        return m.isNamed() ? m.getName() : "unnamed";
    }

    private static String location(Class<?> type) {
        Module m = type.getModule();
        if (m.isNamed() && m.getLayer() != null) {
            Optional<URI> uri = m.getLayer().configuration().findModule(m.getName())
                    .flatMap(r -> r.reference().location());
            if (uri.isPresent()) {
                return display(uri.get());
            }
        }
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "?" : display(URI.create(source.getLocation().toString()));
    }

    private static String display(URI uri) {
        if ("file".equals(uri.getScheme())) {
            Path p = Path.of(uri);
            Path cwd = Path.of("").toAbsolutePath();
            return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
        }
        return uri.toString();
    }
}
