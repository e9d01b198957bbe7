/**
 * DL4J networks as ONNX graphs ({@link losssurface.convert.Dl4jToOnnx}): the {@code dl4j-onnx} evaluator, which
 * draws the surfaces of DL4J networks that are not multilayer perceptrons (convolutional networks) with ONNX
 * Runtime, and the {@code export} command. The one module that requires both {@code nn} and {@code onnx}, so that
 * neither requires the other.
 */
module losssurface.convert {
    requires losssurface.nn;
    requires losssurface.onnx;
    requires losssurface.dl4j;
    requires losssurface.runner; // the export command
    requires info.picocli;
    requires jakarta.inject;

    exports losssurface.convert;

    provides losssurface.api.EvaluatorProvider with losssurface.convert.Dl4jOnnxEvaluatorProvider;
    provides losssurface.runner.CommandProvider with losssurface.convert.ExportCommandProvider;

    // picocli sets the export command's options and Guice creates it
    opens losssurface.convert to info.picocli, com.google.guice;
}
