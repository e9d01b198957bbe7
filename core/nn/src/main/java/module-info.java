/**
 * Neural networks on DL4J: objectives over networks and their data, saved models, data files,
 * and ({@code losssurface.nn.dense}) the one dense-network engine: a multilayer perceptron's
 * shape read once, the blocked batch forward pass of the fast surface evaluator, greedy actions
 * with a rounding bound, backpropagation and Adam. Plugins that train or score
 * networks require this module; the rest need only {@code losssurface.api}.
 */
module losssurface.nn {
    requires transitive losssurface.api;
    requires transitive losssurface.dl4j;
    requires com.fasterxml.jackson.dataformat.csv; // DataFiles: CSV with quoting done properly
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;

    exports losssurface.nn;
    exports losssurface.nn.dense;

    provides losssurface.api.EvaluatorProvider with losssurface.nn.dense.FastMlpEvaluatorProvider;
}
