package losssurface.runner;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;

import losssurface.api.PluginProvider;
import losssurface.api.Progress;

/**
 * Binds the discovered providers into Guice: one {@code Map<String, XProvider>} per {@link Kind}, keyed
 * by name (a {@link MapBinder}), plus the {@link Plugins} catalogue for listings, the console
 * progress and the runtime information.
 * Names are unique by the time they get here ({@link Plugins} checks, naming both classes).
 */
final class RunnerModule extends AbstractModule {

    private final Plugins plugins;
    private final Progress progress;
    private final RuntimeInfo runtime;

    RunnerModule(Plugins plugins, Progress progress, RuntimeInfo runtime) {
        this.plugins = plugins;
        this.progress = progress;
        this.runtime = runtime;
    }

    @Override
    protected void configure() {
        bind(Plugins.class).toInstance(plugins);
        bind(Progress.class).toInstance(progress);
        bind(RuntimeInfo.class).toInstance(runtime);
        for (Kind<?> kind : Kind.ALL) {
            bindAll(kind);
        }
    }

    /** {@code Map<String, P>} of {@code kind}'s providers, keyed by name. */
    private <P extends PluginProvider<?>> void bindAll(Kind<P> kind) {
        MapBinder<String, P> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), TypeLiteral.get(kind.type()));
        for (Plugin<P> p : plugins.of(kind)) {
            binder.addBinding(p.name()).toInstance(p.provider());
        }
    }
}
