/**
 * Neural networks on DL4J: objectives over networks and their data, saved models, data files,
 * and the dense-network engine behind the fast surface evaluator. Plugins that train or score
 * networks require this module; the rest need only {@code losssurface.api}.
 */
module losssurface.nn {
    requires transitive losssurface.api;
    requires transitive losssurface.dl4j;

    exports losssurface.nn;
}
