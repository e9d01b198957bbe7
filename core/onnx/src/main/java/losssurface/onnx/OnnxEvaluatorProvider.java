package losssurface.onnx;

import losssurface.api.EvaluatorProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceEvaluator;

/** Provides {@value OnnxEvaluator#NAME}: ONNX models' surfaces, one ONNX Runtime session per worker. */
public final class OnnxEvaluatorProvider implements EvaluatorProvider {
    @Override
    public String name() {
        return OnnxEvaluator.NAME;
    }

    @Override
    public String description() {
        return "ONNX models: one ONNX Runtime session per worker";
    }

    @Override
    public SurfaceEvaluator create(Settings settings) {
        return new OnnxEvaluator();
    }
}
