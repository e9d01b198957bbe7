package losssurface.api;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What every plugin provider has, whatever it provides: the name users type (stable,
 * kebab-case), a one-line description, the settings it reads with their defaults, and a factory.
 * The four extension points ({@link TaskProvider}, {@link TrainerProvider}, {@link ProbeProvider},
 * {@link RendererProvider}) extend it, so the runner discovers, checks, lists and binds every kind
 * of plugin with code written once. Register an implementation with {@code provides} in the
 * plugin's module-info (and in {@code META-INF/services} for the class path).
 *
 * @param <T> what the provider creates
 */
public interface PluginProvider<T> {

    /** The name users type, e.g. {@code random-plane}. */
    String name();

    /** One line for {@code losssurface list}. */
    String description();

    /**
     * A new instance configured from {@code settings}: read every key this plugin knows (with its
     * default) into a record whose constructor validates them.
     *
     * @throws SettingsException naming the key, the rule and the value
     */
    T create(Settings settings);

    /**
     * Every setting this plugin reads, with its default as text, for {@code losssurface list}. By
     * default the keys {@link #create} reads when given no settings; a plugin whose
     * {@code create} does more than read settings overrides this.
     */
    default SortedMap<String, String> settings() {
        Settings none = Settings.empty();
        create(none.forOwner(name()));
        return new TreeMap<>(none.knownKeys().getOrDefault(name(), new TreeMap<>()));
    }
}
