package losssurface.onnx;

import losssurface.api.ModelSource;
import losssurface.api.ModelSourceProvider;
import losssurface.api.Settings;

/** Provides {@value OnnxModelSource#NAME}: models saved as ONNX, evaluated by ONNX Runtime. */
public final class OnnxModelSourceProvider implements ModelSourceProvider {
    @Override
    public String name() {
        return OnnxModelSource.NAME;
    }

    @Override
    public String description() {
        return "ONNX models (.onnx, e.g. from PyTorch or Keras), evaluated by ONNX Runtime with the initializers as parameters";
    }

    @Override
    public ModelSource create(Settings settings) {
        return new OnnxModelSource();
    }
}
