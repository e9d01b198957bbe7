/**
 * Models saved as ONNX, from PyTorch, Keras or anything else: their float initializers are the
 * parameters, ONNX Runtime evaluates them (the {@code onnx} model source and evaluator). It needs
 * no network code: its data and losses come from {@code losssurface.data}, and only the ONNX
 * protobuf classes from the DL4J bundle.
 */
module losssurface.onnx {
    requires transitive losssurface.data;
    requires losssurface.dl4j; // the ONNX protobuf classes (onnx.Onnx)
    requires com.microsoft.onnxruntime;

    exports losssurface.onnx;

    provides losssurface.api.EvaluatorProvider with losssurface.onnx.OnnxEvaluatorProvider;
    provides losssurface.api.ModelSourceProvider with losssurface.onnx.OnnxModelSourceProvider;
}
