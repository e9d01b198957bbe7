/**
 * Neural networks on DL4J: objectives over networks and their data, saved models (the
 * {@code dl4j} model source), data files as DL4J data sets,
 * and ({@code losssurface.nn.dense}) the one dense-network engine: a multilayer perceptron's
 * shape read once, the blocked batch forward pass of the fast surface evaluator, greedy actions
 * with a rounding bound, backpropagation and Adam, and exact Hessian-vector products (a
 * {@code losssurface.api.curvature.HessianOperator}). Plugins that train or score
 * networks require this module; the rest need only {@code losssurface.api}.
 */
module losssurface.nn {
    requires transitive losssurface.api;
    requires transitive losssurface.data;
    requires transitive losssurface.dl4j;

    exports losssurface.nn;
    exports losssurface.nn.dense;

    provides losssurface.api.EvaluatorProvider with losssurface.nn.dense.FastMlpEvaluatorProvider;
    provides losssurface.api.ModelSourceProvider with losssurface.nn.Dl4jModelSourceProvider;
    provides losssurface.api.ComputeBackendProvider with losssurface.nn.Nd4jBackendProvider;
}
