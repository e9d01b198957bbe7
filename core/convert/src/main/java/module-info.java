/**
 * DL4J networks as ONNX graphs ({@link losssurface.convert.Dl4jToOnnx}), and the {@code dl4j-onnx} evaluator, which
 * draws the surfaces of DL4J networks that are not multilayer perceptrons (convolutional networks) with ONNX
 * Runtime. The one module that requires both {@code nn} and {@code onnx}, so that neither requires the other.
 */
module losssurface.convert {
    requires losssurface.nn;
    requires losssurface.onnx;
    requires losssurface.dl4j;

    exports losssurface.convert;

    provides losssurface.api.EvaluatorProvider with losssurface.convert.Dl4jOnnxEvaluatorProvider;
}
