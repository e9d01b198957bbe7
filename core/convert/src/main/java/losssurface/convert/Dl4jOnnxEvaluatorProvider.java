package losssurface.convert;

import losssurface.api.EvaluatorProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceEvaluator;

/** Provides the {@code dl4j-onnx} evaluator. */
public final class Dl4jOnnxEvaluatorProvider implements EvaluatorProvider {

    @Override
    public String name() {
        return Dl4jOnnxEvaluator.NAME;
    }

    @Override
    public String description() {
        return "DL4J convolutional and other non-MLP networks, converted to ONNX in memory and run by ONNX Runtime";
    }

    @Override
    public SurfaceEvaluator create(Settings settings) {
        return new Dl4jOnnxEvaluator();
    }
}
