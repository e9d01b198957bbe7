#!/usr/bin/env python3
"""Writes the small ONNX models and data the onnx module's tests load, and the values PyTorch
gives for them (expected.json). Needs PyTorch and the onnx package (pip install torch onnx);
the tests themselves need neither. Run from anywhere:

    python3 core/onnx/make_test_models.py

The files go to core/onnx/src/test/resources/models/. Re-running gives the same weights and data
(fixed seeds); commit what changes.
"""
import json
import os
import zipfile

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", "test", "resources", "models")


def export(model, example, name, inputs=("x",), outputs=("out",)):
    model.eval()
    torch.onnx.export(model, example, os.path.join(OUT, name + ".onnx"), input_names=list(inputs),
                      output_names=list(outputs), dynamic_axes={k: {0: "batch"} for k in inputs + outputs},
                      opset_version=17, dynamo=False)


def ce(logits, y):
    return float(nn.functional.cross_entropy(logits, y).double())


def acc(out, y):
    return float((out.argmax(1) == y).double().mean())


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(7)
    rng = np.random.default_rng(7)
    expected = {}

    # 1. A multilayer perceptron with logits out; data as x.npy / y.npy (int64 labels).
    mlp = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
    x = rng.normal(size=(20, 6)).astype(np.float32)
    y = rng.integers(0, 3, size=20).astype(np.int64)
    os.makedirs(os.path.join(OUT, "mlp"), exist_ok=True)
    np.save(os.path.join(OUT, "mlp", "x.npy"), x)
    np.save(os.path.join(OUT, "mlp", "y.npy"), y)
    export(mlp, torch.from_numpy(x[:1]), "mlp")
    with torch.no_grad():
        out = mlp(torch.from_numpy(x))
    expected["mlp"] = {"loss": ce(out, torch.from_numpy(y)), "accuracy": acc(out, torch.from_numpy(y))}

    # 2. The same network ending in softmax (probabilities out).
    probs = nn.Sequential(mlp, nn.Softmax(dim=1))
    export(probs, torch.from_numpy(x[:1]), "mlp-softmax")
    expected["mlp-softmax"] = expected["mlp"]

    # 3. A small convolutional network on 1x6x6 images; data as one .npz.
    cnn = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 4))
    xc = rng.normal(size=(16, 1, 6, 6)).astype(np.float32)
    yc = rng.integers(0, 4, size=16).astype(np.int64)
    np.savez(os.path.join(OUT, "cnn.npz"), x=xc, y=yc)
    export(cnn, torch.from_numpy(xc[:1]), "cnn")
    with torch.no_grad():
        out = cnn(torch.from_numpy(xc))
    expected["cnn"] = {"loss": ce(out, torch.from_numpy(yc)), "accuracy": acc(out, torch.from_numpy(yc))}

    # 4. A regressor (2 outputs, MSE); data as regressor-x.npy and regressor-y.npy ([examples, 2] targets).
    reg = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    xr = rng.normal(size=(12, 3)).astype(np.float32)
    yr = rng.normal(size=(12, 2)).astype(np.float32)
    np.save(os.path.join(OUT, "regressor-x.npy"), xr)
    np.save(os.path.join(OUT, "regressor-y.npy"), yr)
    export(reg, torch.from_numpy(xr[:1]), "regressor")
    with torch.no_grad():
        out = reg(torch.from_numpy(xr))
    expected["regressor"] = {"loss": float(nn.functional.mse_loss(out, torch.from_numpy(yr)).double())}

    # Models the probe must refuse, each with a message naming what it found.
    class TwoOut(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(6, 3)

        def forward(self, x):
            z = self.a(x)
            return z, z.sum(1)

    export(TwoOut(), torch.from_numpy(x[:1]), "two-outputs", outputs=("logits", "total"))

    class TwoIn(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(6, 3)

        def forward(self, x, z):
            return self.a(x + z)

    export(TwoIn(), (torch.from_numpy(x[:1]), torch.from_numpy(x[:1])), "two-inputs", inputs=("x", "z"))

    class NoParams(nn.Module):
        def forward(self, x):
            return torch.relu(x)[:, :3]

    export(NoParams(), torch.from_numpy(x[:1]), "no-parameters")

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"torch": torch.__version__, "models": expected}, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(expected, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
