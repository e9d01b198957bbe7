package losssurface.runner;

import java.util.Objects;

/**
 * A discovered provider with where it came from.
 *
 * @param provider the provider instance
 * @param name     its {@code name()}
 * @param module   the module that holds it ("unnamed" on the class path)
 * @param location the jar or folder it was loaded from
 */
record Plugin<P>(P provider, String name, String module, String location) {
    Plugin {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
    }

    String className() {
        return provider.getClass().getName();
    }
}
