#!/usr/bin/env python3
"""Reference values of a small MLP's Hessian from PyTorch autograd, for DenseHessianTest.

    python3 core/nn/make_hessian_reference.py

writes core/nn/src/test/resources/losssurface/nn/dense/hessian-reference.json: a 6-5-4-3 network
(tanh, sigmoid, logits) at seeded parameters in DL4J's flat order (per layer the weight [out, in]
row-major, which is DL4J's [in, out] column-major, then the bias), 20 examples with one-hot
targets, a direction v, and in float64: the mean softmax cross-entropy, its gradient, the
Hessian-vector product Hv (double backward, as PyHessian computes it), the full Hessian's
eigenvalues (descending) and its trace. Needs PyTorch (pip install torch).
"""
import json
import os

import torch

torch.manual_seed(7)
torch.set_default_dtype(torch.float64)
SIZES = [6, 5, 4, 3]
ACTIVATIONS = ["tanh", "sigmoid"]
N = 20

layers = [torch.nn.Linear(SIZES[i], SIZES[i + 1]) for i in range(3)]
# parameters rounded to float32, as the Java side holds them
flat = torch.cat([torch.cat([l.weight.detach().reshape(-1), l.bias.detach()]) for l in layers]).float().double()
x = torch.rand(N, SIZES[0]).float().double()
labels = torch.randint(0, SIZES[-1], (N,))
y = torch.nn.functional.one_hot(labels, SIZES[-1]).double()
v = torch.randn(flat.numel())


def loss(theta):
    off = 0
    h = x
    for k in range(3):
        n_in, n_out = SIZES[k], SIZES[k + 1]
        w = theta[off:off + n_in * n_out].reshape(n_out, n_in)
        off += n_in * n_out
        b = theta[off:off + n_out]
        off += n_out
        h = h @ w.T + b
        if k < 2:
            h = torch.tanh(h) if ACTIVATIONS[k] == "tanh" else torch.sigmoid(h)
    return torch.nn.functional.cross_entropy(h, labels)


theta = flat.clone().requires_grad_(True)
value = loss(theta)
(grad,) = torch.autograd.grad(value, theta, create_graph=True)
(hv,) = torch.autograd.grad(grad @ v, theta)
hessian = torch.autograd.functional.hessian(loss, flat)
eigenvalues = torch.linalg.eigvalsh(hessian).flip(0)

out = {
    "sizes": SIZES,
    "activations": ACTIVATIONS,
    "params": flat.tolist(),
    "x": x.reshape(-1).tolist(),
    "y": y.reshape(-1).tolist(),
    "v": v.tolist(),
    "loss": value.item(),
    "gradient": grad.detach().tolist(),
    "hv": hv.tolist(),
    "eigenvalues": eigenvalues.tolist(),
    "trace": torch.trace(hessian).item(),
    "torch": torch.__version__,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", "test", "resources", "losssurface", "nn", "dense",
                    "hessian-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {path}: loss {value.item():.6f}, top eigenvalue {eigenvalues[0].item():.6g}, trace {torch.trace(hessian).item():.6g}")
