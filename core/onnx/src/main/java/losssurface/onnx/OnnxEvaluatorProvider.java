package losssurface.onnx;

import losssurface.api.EvaluatorProvider;
import losssurface.api.Settings;
import losssurface.api.SurfaceEvaluator;

/** Provides {@value OnnxEvaluator#NAME}: ONNX models' surfaces, fed to ONNX Runtime in its own layout. */
public final class OnnxEvaluatorProvider implements EvaluatorProvider {
    @Override
    public String name() {
        return OnnxEvaluator.NAME;
    }

    @Override
    public String description() {
        return "ONNX models: their weights fed to ONNX Runtime in its own layout; a session per worker, or one with every thread"
                + " for models of " + String.format(java.util.Locale.ROOT, "%,d", OnnxEvaluator.SHARED_FROM) + " parameters or more";
    }

    @Override
    public SurfaceEvaluator create(Settings settings) {
        return new OnnxEvaluator();
    }
}
