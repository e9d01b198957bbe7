package losssurface.runner;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;

import picocli.CommandLine;

/**
 * picocli's factory backed by Guice: commands, their mixins and the version provider are created
 * by the injector (so commands receive their collaborators by constructor); anything Guice cannot
 * make (e.g. an interface picocli instantiates for an option's collection) falls back to picocli's
 * own factory.
 */
final class GuiceFactory implements CommandLine.IFactory {

    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return injector.getInstance(type);
        } catch (ConfigurationException notInjectable) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
