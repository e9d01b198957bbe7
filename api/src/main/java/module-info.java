/**
 * The losssurface API: the domain types (objectives, parameter layouts, surfaces) and the
 * plugin SPIs (task, trainer, probe and renderer providers). It needs nothing beyond the JDK, so a
 * plugin that never touches a network (a probe, a renderer, an environment) compiles against this
 * module alone; the runner discovers the providers with {@link java.util.ServiceLoader}.
 */
module losssurface.api {
    exports losssurface.api;
    exports losssurface.api.io;
    exports losssurface.api.curvature;
}
