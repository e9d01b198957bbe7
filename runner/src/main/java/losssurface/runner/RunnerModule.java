package losssurface.runner;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.util.Types;

import losssurface.api.PluginProvider;
import losssurface.api.Progress;

/**
 * The composition root's bindings, one {@code Map<String, XProvider>} per {@link Kind} keyed by name. The command line (picocli) creates its commands through
 * Guice ({@link GuiceFactory}), so commands receive their collaborators by constructor. The
 * plugins are discovered lazily, the first time a command asks for them, because the plugin
 * options ({@code --plugins}, {@code --plugin-path}) are known only once the command line is
 * parsed: picocli fills the one {@link PluginOptions} instance bound here. Discovery fixes
 * ND4J's native threads first ({@link NativeThreads}), so no plugin runs before that.
 * Names are unique within each kind by then ({@link Plugins} checks, naming both classes).
 */
final class RunnerModule extends AbstractModule {

    private final PrintStream out;
    private final PrintStream err;
    private final List<String> args;
    private final boolean interactive;

    RunnerModule(PrintStream out, PrintStream err, List<String> args, boolean interactive) {
        this.out = out;
        this.err = err;
        this.args = List.copyOf(args);
        this.interactive = interactive;
    }

    @Override
    protected void configure() {
        bind(PluginOptions.class).in(Singleton.class);
        com.google.inject.Provider<Plugins> plugins = getProvider(Plugins.class);
        bind(RuntimeInfo.class).toInstance(new RuntimeInfo(args, () -> NativeThreads.describe(plugins.get())));
        bind(Progress.class).toInstance(new ConsoleProgress(err, interactive, 5000));
        bind(Streams.class).toInstance(new Streams(out, err));
        for (Kind<?> kind : Kind.ALL) {
            bindByName(kind, plugins);
        }
    }

    /** {@code Map<String, P>} of {@code kind}'s providers, keyed by name, made when first asked for (after discovery). */
    @SuppressWarnings("unchecked")
    private <P extends PluginProvider<?>> void bindByName(Kind<P> kind, com.google.inject.Provider<Plugins> plugins) {
        Key<Map<String, P>> key = (Key<Map<String, P>>) Key.get(Types.mapOf(String.class, kind.type()));
        bind(key).toProvider((com.google.inject.Provider<Map<String, P>>) () -> byName(plugins.get(), kind));
    }

    @Provides
    @Singleton
    Plugins plugins(PluginOptions options) {
        PluginDiscovery discovery = new PluginDiscovery(PluginDiscovery.folders(options.pluginPath,
                System.getProperty("losssurface.plugin-dir")), Optional.ofNullable(options.plugins));
        Plugins plugins = discovery.discover();
        discovery.report().forEach(err::println);
        NativeThreads.fix(plugins); // discovery only made the providers: no plugin has run yet
        return plugins;
    }

    /** {@code kind}'s providers by name, in the order they were found. */
    private static <P extends PluginProvider<?>> Map<String, P> byName(Plugins plugins, Kind<P> kind) {
        Map<String, P> out = new LinkedHashMap<>();
        plugins.of(kind).forEach(p -> out.put(p.name(), p.provider()));
        return java.util.Collections.unmodifiableMap(out);
    }
}
