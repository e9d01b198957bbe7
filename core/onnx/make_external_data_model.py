#!/usr/bin/env python3
"""Writes cnn-external.onnx and cnn-external.onnx.data, the test CNN (cnn.onnx) with every initializer in
external data, by the onnx package's own writer: what torch.onnx.export's default exporter and
onnx.save(..., save_as_external_data=True) write for models whose weights live beside them. Needs the onnx
package (pip install onnx, or Debian's python3-onnx); ExternalDataTest reads the two files without it.
Run from anywhere:

    python3 core/onnx/make_external_data_model.py
"""
import os

import onnx

models = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", "test", "resources", "models")
model = onnx.load(os.path.join(models, "cnn.onnx"))
onnx.save(model, os.path.join(models, "cnn-external.onnx"), save_as_external_data=True,
          all_tensors_to_one_file=True, location="cnn-external.onnx.data", size_threshold=0)
print("wrote", os.path.join(models, "cnn-external.onnx"), "and its data, onnx", onnx.__version__)
