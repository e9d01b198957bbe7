#!/usr/bin/env python3
"""The small MNIST CNN of bench's onnx-cnn workload, and the script that makes its ONNX file.

    python3 bench/peers/mnist_cnn.py [MNIST_DIR]

trains MnistCnn for one epoch (Adam 1e-3, batch 128, seed 0) on the MNIST training images in
MNIST_DIR (the four IDX files, raw or .gz; default ~/.cache/losssurface/mnist, where
`losssurface run --task mnist` puts them), prints its test accuracy, and exports it with
torch.onnx.export(..., dynamo=False) to
bench/src/main/resources/losssurface/bench/mnist-cnn.onnx, which bench loads. Needs PyTorch
and the onnx package (pip install torch onnx). torch_peer.py imports MnistCnn from here to rebuild
the same network from the ONNX file's parameters, which keep the module's state_dict names.
"""
import gzip
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "losssurface", "bench", "mnist-cnn.onnx")


def network(torch):
    nn = torch.nn

    class MnistCnn(nn.Module):
        """LeNet-like: conv 5x5x8, pool, conv 5x5x16, pool, dense 64, dense 10 (logits)."""

        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, 5)
            self.conv2 = nn.Conv2d(8, 16, 5)
            self.fc1 = nn.Linear(16 * 4 * 4, 64)
            self.fc2 = nn.Linear(64, 10)

        def forward(self, x):
            f = nn.functional
            x = f.max_pool2d(f.relu(self.conv1(x)), 2)
            x = f.max_pool2d(f.relu(self.conv2(x)), 2)
            x = f.relu(self.fc1(torch.flatten(x, 1)))
            return self.fc2(x)

    return MnistCnn()


def idx(folder, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            with (gzip.open if candidate.endswith(".gz") else open)(path, "rb") as f:
                data = f.read()
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"{name} is not in {folder}; run `./losssurface run --task mnist` once, or name the folder.")


def main():
    import torch
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.expanduser("~"), ".cache", "losssurface", "mnist")
    x = torch.from_numpy(idx(folder, "train-images-idx3-ubyte").astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(idx(folder, "train-labels-idx1-ubyte").astype(np.int64))
    xt = torch.from_numpy(idx(folder, "t10k-images-idx3-ubyte").astype(np.float32) / 255).unsqueeze(1)
    yt = torch.from_numpy(idx(folder, "t10k-labels-idx1-ubyte").astype(np.int64))
    torch.manual_seed(0)
    model = network(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(x.shape[0])
    for s in range(0, x.shape[0], 128):
        idx_ = order[s:s + 128]
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x[idx_]), y[idx_]).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(xt)
        accuracy = (logits.argmax(1) == yt).double().mean().item()
        loss = torch.nn.functional.cross_entropy(logits, yt).item()
    print(f"test accuracy {accuracy:.4f}, loss {loss:.4f} after one epoch")
    torch.onnx.export(model, xt[:1], OUT, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
