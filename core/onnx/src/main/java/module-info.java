/**
 * Models saved as ONNX, from PyTorch, Keras or anything else: their float initializers are the
 * parameters, ONNX Runtime evaluates them. The ONNX protobuf classes come with the DL4J bundle
 * (through {@code losssurface.nn}).
 */
module losssurface.onnx {
    requires transitive losssurface.nn;
    requires com.microsoft.onnxruntime;

    exports losssurface.onnx;

    provides losssurface.api.EvaluatorProvider with losssurface.onnx.OnnxEvaluatorProvider;
}
