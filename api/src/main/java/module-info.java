/**
 * The losssurface API: the domain types (objectives, parameter layouts, surfaces) and the
 * plugin SPIs (task, trainer, probe and renderer providers). Plugins compile against this
 * module only; the runner discovers their providers with {@link java.util.ServiceLoader}.
 */
module losssurface.api {
    requires transitive losssurface.dl4j;

    exports losssurface.api;
    exports losssurface.api.dl4j;
    exports losssurface.api.io;
}
