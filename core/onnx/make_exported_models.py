#!/usr/bin/env python3
"""Writes models as today's exporters write them by default, with the data and the loss each framework computes
for them (exported/expected.json), for ExportedModelsTest. The tests need neither Python nor the frameworks.

- torch-default.onnx with torch-default.onnx.data: a Conv-BatchNorm-Linear network exported by torch.onnx.export's
  default (dynamo) exporter, with dynamic_shapes keyed by the forward's argument name. It writes the large weights to
  the .data file beside the model (ONNX external data), and folds the batch norm into the convolution.
- keras.onnx: a Keras 3 Conv2D-BatchNormalization-Dense network on channels-last data, by
  model.export(..., format="onnx") (the torch backend). The batch norm comes out as Sub, Mul and Add of
  [1, 1, 1, 8] vectors.

Needs PyTorch, onnx, onnxscript and keras (pip install torch onnx onnxscript keras). Run from anywhere:

    KERAS_BACKEND=torch python3 core/onnx/make_exported_models.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", "test", "resources", "models", "exported")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8 * 6 * 6, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).flatten(1))


def torch_default(expected):
    torch.manual_seed(11)
    rng = np.random.default_rng(11)
    x = rng.normal(size=(40, 1, 8, 8)).astype("float32")
    y = (np.arange(40) % 4).astype("int64")
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    for _ in range(20):  # a few steps, so that the batch norm's statistics and scale are not their defaults
        opt.zero_grad()
        nn.functional.cross_entropy(net(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        opt.step()
    net.eval()
    path = os.path.join(OUT, "torch-default.onnx")
    torch.onnx.export(net, (torch.from_numpy(x[:2]),), path, dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
    np.savez(os.path.join(OUT, "torch-default.npz"), x=x, y=y)
    with torch.no_grad():
        loss = float(nn.functional.cross_entropy(net(torch.from_numpy(x)), torch.from_numpy(y)).double())
    expected["torch-default"] = {"loss": loss, "by": "torch " + torch.__version__}


def keras_default(expected):
    keras.utils.set_random_seed(12)
    rng = np.random.default_rng(12)
    x = rng.normal(size=(32, 6, 6, 3)).astype("float32")
    y = (np.arange(32) % 4).astype("int64")
    model = keras.Sequential([keras.Input((6, 6, 3)), keras.layers.Conv2D(8, 3), keras.layers.BatchNormalization(),
                              keras.layers.ReLU(), keras.layers.Flatten(), keras.layers.Dense(4)])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=3, verbose=0)
    model.export(os.path.join(OUT, "keras.onnx"), format="onnx")
    np.savez(os.path.join(OUT, "keras.npz"), x=x, y=y)
    logits = torch.from_numpy(np.asarray(model.predict(x, verbose=0)))
    loss = float(nn.functional.cross_entropy(logits.double(), torch.from_numpy(y)))
    expected["keras"] = {"loss": loss, "by": "keras " + keras.__version__ + " (" + keras.backend.backend() + ")"}


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    torch_default(expected)
    keras_default(expected)
    import onnx
    import onnxscript
    expected["onnx"] = onnx.__version__
    expected["onnxscript"] = onnxscript.__version__
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(expected, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
