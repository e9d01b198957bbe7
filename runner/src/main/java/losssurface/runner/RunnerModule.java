package losssurface.runner;

import java.util.List;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;

import losssurface.api.ProbeProvider;
import losssurface.api.Progress;
import losssurface.api.RendererProvider;
import losssurface.api.TaskProvider;
import losssurface.api.TrainerProvider;

/**
 * Binds the discovered providers into Guice: one {@code Map<String, XProvider>} per kind, keyed
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
        bindAll(plugins.tasks(), new TypeLiteral<TaskProvider>() { });
        bindAll(plugins.trainers(), new TypeLiteral<TrainerProvider>() { });
        bindAll(plugins.probes(), new TypeLiteral<ProbeProvider>() { });
        bindAll(plugins.renderers(), new TypeLiteral<RendererProvider>() { });
    }

    private <P> void bindAll(List<Plugin<P>> found, TypeLiteral<P> type) {
        MapBinder<String, P> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), type);
        for (Plugin<P> p : found) {
            binder.addBinding(p.name()).toInstance(p.provider());
        }
    }
}
