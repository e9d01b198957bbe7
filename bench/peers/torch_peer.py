#!/usr/bin/env python3
"""PyTorch peer of `losssurface bench`: the same workload the plain way, timed.

Usage: python3 torch_peer.py JOB_DIR

JOB_DIR is written by the Java side: job.json, the flat parameter vectors (theta.npy, and
direction-1.npy, direction-2.npy for a surface) in DL4J's order, and the data, named as in a run
folder. A job names either 'layers' (a multilayer perceptron built here) or 'model' (a network
of mnist_cnn.py, with its 'parameters' named and shaped as in its ONNX file, in C order). The method is that of the loss-landscape
reference tool (tomgoldstein/loss-landscape): for each grid point set the weights to
theta + a*d1 + b*d2 and evaluate the loss over the whole data set in batches, nothing cached
between points. Prints exactly one JSON line on stdout; anything else goes to stderr.

Exit codes: 0 done, 2 bad job (the JSON line is {"error": ...}), 3 PyTorch not installed.

DL4J's flat parameter order is, per layer, the [in, out] weight matrix column-major (element
(i, j) at i + j*in) then the bias [out]. torch.nn.Linear keeps weight[j, i] (shape [out, in],
row-major, element at j*in + i), so the DL4J slice reshaped to (out, in) is exactly the torch
weight, and the whole flat vector is in torch's own parameters() order.
"""

import json
import math
import os
import sys
import time

import numpy as np

INSTALL = "pip install torch"
SURFACE_BATCH = 10_000
WARMUP_BATCHES = 20
ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity", "softmax")
OBJECTIVES = ("cross-entropy", "td", "return")
# CartPole-v1 (Gymnasium classic_control/cartpole.py, euler integration)
GRAVITY = 9.8
MASS_POLE = 0.1
TOTAL_MASS = 1.1
LENGTH = 0.5
POLE_MASS_LENGTH = 0.05
FORCE_MAG = 10.0
TAU = 0.02
THETA_THRESHOLD = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4


class JobError(Exception):
    """A problem with the job; its message is one sentence for the {"error": ...} line."""


def emit(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def fail(message, code=2):
    emit({"error": message})
    sys.exit(code)


def finite_or_none(v):
    v = float(v)
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------------------------------------
# Reading the job


def read_job(job_dir):
    if not os.path.isdir(job_dir):
        raise JobError(f"The job directory {job_dir} does not exist.")
    path = os.path.join(job_dir, "job.json")
    if not os.path.isfile(path):
        raise JobError(f"The job file {path} is missing.")
    try:
        with open(path, encoding="utf-8") as f:
            job = json.load(f)
    except (OSError, ValueError) as e:
        raise JobError(f"The job file {path} is not readable JSON ({e}).") from e
    if not isinstance(job, dict):
        raise JobError("job.json must hold a JSON object.")
    for key in ("kind", "objective", "threads"):
        if key not in job:
            raise JobError(f"job.json has no '{key}'.")
    if "model" in job:
        return read_named_model(job)
    if "layers" not in job:
        raise JobError("job.json has neither 'layers' (a multilayer perceptron) nor 'model' (a network defined here).")
    if job["kind"] not in ("surface", "train", "curvature"):
        raise JobError(f"Unknown job kind '{job['kind']}'; expected 'surface', 'train' or 'curvature'.")
    if job["objective"] not in OBJECTIVES:
        raise JobError(f"Unknown objective '{job['objective']}'; expected one of {', '.join(OBJECTIVES)}.")
    if job["kind"] in ("train", "curvature") and job["objective"] != "cross-entropy":
        raise JobError(f"Training and curvature are only defined for the cross-entropy objective, not '{job['objective']}'.")
    if not isinstance(job["threads"], int) or job["threads"] < 1:
        raise JobError(f"'threads' must be a positive integer, was {job['threads']!r}.")
    layers = job["layers"]
    if not isinstance(layers, list) or not layers:
        raise JobError("'layers' must be a non-empty list.")
    for k, layer in enumerate(layers):
        try:
            n_in, n_out, act = int(layer["in"]), int(layer["out"]), layer["activation"]
        except (KeyError, TypeError, ValueError) as e:
            raise JobError(f"Layer {k} must have integer 'in', 'out' and an 'activation'.") from e
        if n_in < 1 or n_out < 1:
            raise JobError(f"Layer {k} has a non-positive size ({n_in} -> {n_out}).")
        if act not in ACTIVATIONS:
            raise JobError(f"Layer {k} has unknown activation '{act}'; supported: {', '.join(ACTIVATIONS)}.")
        if act == "softmax" and k != len(layers) - 1:
            raise JobError(f"Layer {k} uses softmax, which is only supported on the last layer.")
        if k > 0 and n_in != int(layers[k - 1]["out"]):
            raise JobError(f"Layer {k} takes {n_in} inputs but layer {k - 1} gives {layers[k - 1]['out']} outputs.")
    return job


# A named model: its module in this folder, and the shape of one example (x.npy holds them flat).
MODELS = {"mnist-cnn": ("mnist_cnn", (1, 28, 28)), "resnet18-cifar": ("resnet18_cifar", (3, 32, 32))}


def read_named_model(job):
    """A job on a network defined in this folder (MODELS), its parameters named and shaped as in the ONNX file."""
    if job["model"] not in MODELS:
        raise JobError(f"Unknown model '{job['model']}'; known: {', '.join(MODELS)}.")
    if job["kind"] not in ("surface", "train") or job["objective"] != "cross-entropy":
        raise JobError("A named model is probed (kind 'surface') or trained (kind 'train') with the cross-entropy objective only.")
    params = job.get("parameters")
    if not isinstance(params, list) or not params:
        raise JobError("A named model needs 'parameters': a list of {'name': ..., 'shape': [...]} in the flat vector's order.")
    for k, p in enumerate(params):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not isinstance(p.get("shape"), list):
            raise JobError(f"Parameter {k} must have a 'name' and a 'shape' list.")
    job["layers"] = None
    return job


def load(job_dir, name, ndim=None):
    path = os.path.join(job_dir, name)
    if not os.path.isfile(path):
        raise JobError(f"The file {name} is missing from {job_dir}.")
    try:
        arr = np.load(path, allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - any unreadable file is the job's problem
        raise JobError(f"{name} is not a readable .npy file ({e}).") from e
    if ndim is not None and arr.ndim != ndim:
        raise JobError(f"{name} must be {ndim}-D, but has shape {list(arr.shape)}.")
    return arr


def parameter_count(layers, job=None):
    if job is not None and job.get("model"):
        return sum(int(np.prod(p["shape"])) for p in job["parameters"])
    return sum(int(l["in"]) * int(l["out"]) + int(l["out"]) for l in layers)


def load_vector(job_dir, name, layers, job=None):
    v = load(job_dir, name, ndim=1)
    expected = parameter_count(layers, job)
    if v.shape[0] != expected:
        raise JobError(f"{name} has {v.shape[0]} entries but the layers need {expected} parameters.")
    return np.ascontiguousarray(v, dtype=np.float32)


def load_labels(job_dir, name, n, classes):
    y = load(job_dir, name, ndim=1)
    if not np.issubdtype(y.dtype, np.integer):
        raise JobError(f"{name} must hold integers, but has dtype {y.dtype}.")
    if y.shape[0] != n:
        raise JobError(f"{name} has {y.shape[0]} entries but there are {n} examples.")
    if n and (y.min() < 0 or y.max() >= classes):
        raise JobError(f"{name} holds values outside 0..{classes - 1} (min {y.min()}, max {y.max()}).")
    return y.astype(np.int64)


def load_inputs(job_dir, name, n_in):
    x = load(job_dir, name, ndim=2)
    if x.shape[1] != n_in:
        raise JobError(f"{name} has {x.shape[1]} features per example but the first layer takes {n_in} inputs.")
    if x.shape[0] == 0:
        raise JobError(f"{name} holds no examples.")
    return np.ascontiguousarray(x, dtype=np.float32)


# ---------------------------------------------------------------------------------------------
# The model


def build_model(torch, layers, logits):
    """nn.Sequential of Linear + activations; with logits=True the last activation is left off."""
    nn = torch.nn
    modules = []
    for k, layer in enumerate(layers):
        modules.append(nn.Linear(int(layer["in"]), int(layer["out"])))
        act = layer["activation"]
        if logits and k == len(layers) - 1:
            continue
        if act == "relu":
            modules.append(nn.ReLU())
        elif act == "tanh":
            modules.append(nn.Tanh())
        elif act == "sigmoid":
            modules.append(nn.Sigmoid())
        elif act == "softmax":
            modules.append(nn.Softmax(dim=1))
        # identity: nothing
    return nn.Sequential(*modules)


def linears(torch, model):
    return [m for m in model if isinstance(m, torch.nn.Linear)]


def set_parameters(torch, model, flat):
    """Copy a flat float32 torch vector in DL4J order into the model's Linear layers."""
    off = 0
    for lin in linears(torch, model):
        n_out, n_in = lin.weight.shape
        # DL4J: W[i, j] at off + i + j*n_in, so row j of the (n_out, n_in) view is unit j's weights
        lin.weight.copy_(flat[off:off + n_in * n_out].view(n_out, n_in))
        off += n_in * n_out
        lin.bias.copy_(flat[off:off + n_out])
        off += n_out


# ---------------------------------------------------------------------------------------------
# Objectives (evaluated under torch.no_grad())


def cross_entropy_loss(torch, model, x, y):
    F = torch.nn.functional
    n = x.shape[0]
    total = 0.0
    for s in range(0, n, SURFACE_BATCH):
        logits = model(x[s:s + SURFACE_BATCH])
        total += F.cross_entropy(logits, y[s:s + SURFACE_BATCH], reduction="sum").item()
    return total / n


def td_loss(torch, model, states, actions, targets):
    n = states.shape[0]
    total = 0.0
    for s in range(0, n, SURFACE_BATCH):
        q = model(states[s:s + SURFACE_BATCH])
        chosen = q.gather(1, actions[s:s + SURFACE_BATCH].unsqueeze(1)).squeeze(1)
        diff = chosen - targets[s:s + SURFACE_BATCH]
        total += (diff * diff).sum(dtype=torch.float64).item()
    return total / n


def greedy(values):
    """Index of the largest value, the first on ties; NaN never wins over a number (as the Java side)."""
    best, best_value = 0, values[0]
    for a in range(1, len(values)):
        v = values[a]
        if v > best_value or (best_value != best_value and v == v):
            best, best_value = a, v
    return best


def cartpole_step(x, x_dot, theta, theta_dot, action):
    """One CartPole-v1 step in float64: the next state and whether the episode terminated."""
    force = FORCE_MAG if action == 1 else -FORCE_MAG
    cos, sin = math.cos(theta), math.sin(theta)
    temp = (force + POLE_MASS_LENGTH * theta_dot * theta_dot * sin) / TOTAL_MASS
    theta_acc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS))
    x_acc = temp - POLE_MASS_LENGTH * theta_acc * cos / TOTAL_MASS
    x = x + TAU * x_dot
    x_dot = x_dot + TAU * x_acc
    theta = theta + TAU * theta_dot
    theta_dot = theta_dot + TAU * theta_acc
    terminated = x < -X_THRESHOLD or x > X_THRESHOLD or theta < -THETA_THRESHOLD or theta > THETA_THRESHOLD
    return x, x_dot, theta, theta_dot, terminated


def mean_return(torch, model, starts, max_steps):
    """Mean over the start states of the greedy policy's CartPole-v1 return; one forward per step."""
    total = 0
    for start in starts:
        x, x_dot, theta, theta_dot = (float(v) for v in start)
        steps = 0
        while steps < max_steps:
            obs = torch.tensor([[x, x_dot, theta, theta_dot]], dtype=torch.float32)
            action = greedy(model(obs)[0].tolist())
            x, x_dot, theta, theta_dot, terminated = cartpole_step(x, x_dot, theta, theta_dot, action)
            steps += 1  # the terminating step's reward counts
            if terminated:
                break
        total += steps
    return total / len(starts)


class NamedModel:
    """A network of this folder (MODELS) whose flat parameter vector is its named tensors in the job's order (C order, as ONNX)."""

    def __init__(self, torch, job):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import importlib  # noqa: E402
        self.module = importlib.import_module(MODELS[job["model"]][0]).network(torch).eval()  # next to this script
        state = dict(self.module.named_parameters())
        self.slots = []
        for p in job["parameters"]:
            if p["name"] not in state:
                raise JobError(f"The parameter {p['name']} is not one of {job['model']}'s: {', '.join(state)}.")
            if list(state[p["name"]].shape) != [int(d) for d in p["shape"]]:
                raise JobError(f"The parameter {p['name']} has shape {p['shape']} in the job but {list(state[p['name']].shape)} here.")
            self.slots.append(state[p["name"]])

    def __call__(self, x):
        return self.module(x)

    def set(self, flat):
        off = 0
        for t in self.slots:
            n = t.numel()
            t.copy_(flat[off:off + n].view(t.shape))
            off += n


def make_objective(torch, job, job_dir, layers):
    """Returns (model, evaluate) where evaluate(model) is the objective at the model's parameters."""
    objective = job["objective"]
    if job.get("model"):
        model = NamedModel(torch, job)
        x = load(job_dir, "x.npy", ndim=2)
        x = np.ascontiguousarray(x, dtype=np.float32).reshape((-1,) + MODELS[job["model"]][1])
        y = load_labels(job_dir, "y.npy", x.shape[0], 10)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        return model, lambda m: cross_entropy_loss(torch, m, xt, yt)
    n_in = int(layers[0]["in"])
    n_out = int(layers[-1]["out"])
    if objective == "cross-entropy":
        x = load_inputs(job_dir, "x.npy", n_in)
        y = load_labels(job_dir, "y.npy", x.shape[0], n_out)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        return build_model(torch, layers, logits=True), lambda m: cross_entropy_loss(torch, m, xt, yt)
    if objective == "td":
        states = load_inputs(job_dir, "transitions-states.npy", n_in)
        actions = load_labels(job_dir, "transitions-actions.npy", states.shape[0], n_out)
        targets = load(job_dir, "td-targets.npy", ndim=1)
        if targets.shape[0] != states.shape[0]:
            raise JobError(f"td-targets.npy has {targets.shape[0]} entries but there are {states.shape[0]} states.")
        st = torch.from_numpy(states)
        at = torch.from_numpy(actions)
        tt = torch.from_numpy(np.ascontiguousarray(targets, dtype=np.float32))
        return build_model(torch, layers, logits=False), lambda m: td_loss(torch, m, st, at, tt)
    # return
    if n_in != 4:
        raise JobError(f"The return objective plays CartPole, whose states have 4 entries, but the first layer takes {n_in} inputs.")
    starts = load(job_dir, "episode-starts.npy", ndim=2)
    if starts.shape[1] != 4 or starts.shape[0] == 0:
        raise JobError(f"episode-starts.npy must have shape [E, 4] with E >= 1, but has shape {list(starts.shape)}.")
    starts = np.asarray(starts, dtype=np.float64)
    max_steps = int(job.get("max_steps", 500))
    if max_steps < 1:
        raise JobError(f"'max_steps' must be positive, was {max_steps}.")
    return build_model(torch, layers, logits=False), lambda m: mean_return(torch, m, starts, max_steps)


# ---------------------------------------------------------------------------------------------
# Jobs


def run_surface(torch, job, job_dir):
    layers = job["layers"]
    theta = torch.from_numpy(load_vector(job_dir, "theta.npy", layers, job))
    d1 = torch.from_numpy(load_vector(job_dir, "direction-1.npy", layers, job))
    d2 = torch.from_numpy(load_vector(job_dir, "direction-2.npy", layers, job))
    try:
        alphas = [float(a) for a in job["alphas"]]
        betas = [float(b) for b in job["betas"]]
        points = int(job["points"])
        budget = float(job.get("budget_seconds", 0))
    except (KeyError, TypeError, ValueError) as e:
        raise JobError("A surface job needs 'alphas' and 'betas' (lists of numbers), 'points' (an integer) and optionally"
                       " 'budget_seconds' (a number).") from e
    if not alphas or not betas:
        raise JobError("'alphas' and 'betas' must not be empty.")
    if points < 1 or points > len(alphas) * len(betas):
        raise JobError(f"'points' must be between 1 and {len(alphas) * len(betas)} (the grid size), was {points}.")
    model, evaluate = make_objective(torch, job, job_dir, layers)
    # Points in a seeded random order over the whole grid, so a share of them costs what the whole
    # grid costs on average (the return objective's episodes are much longer near theta*).
    order = np.random.default_rng(0).permutation(len(alphas) * len(betas))[:points]
    grid = [(alphas[k // len(betas)], betas[k % len(betas)]) for k in order]

    def at(a, b):
        p = torch.add(theta, d1, alpha=a)  # float32: theta + a*d1 + b*d2
        p.add_(d2, alpha=b)
        if isinstance(model, NamedModel):
            model.set(p)
        else:
            set_parameters(torch, model, p)
        return evaluate(model)

    with torch.no_grad():
        centre = at(0.0, 0.0)  # untimed warm-up
        start = time.perf_counter()
        done = 0
        for a, b in grid:
            at(a, b)
            done += 1
            # with a budget, stop once it is spent (after at least 3 points): the rate is what counts
            if budget > 0 and done >= 3 and time.perf_counter() - start >= budget:
                break
        seconds = time.perf_counter() - start
        points = done
    return {
        "kind": "surface",
        "workload": job.get("workload", job["objective"]),
        "points": points,
        "seconds": seconds,
        "points_per_second": points / seconds if seconds > 0 else None,
        "centre": finite_or_none(centre),
    }


def run_train(torch, job, job_dir):
    layers = job["layers"]
    named = bool(job.get("model"))
    theta = torch.from_numpy(load_vector(job_dir, "theta.npy", layers, job))
    try:
        batch_size = int(job["batch_size"])
        lr = float(job["learning_rate"])
    except (KeyError, TypeError, ValueError) as e:
        raise JobError("A train job needs 'batch_size' (an integer) and 'learning_rate' (a number).") from e
    if batch_size < 1:
        raise JobError(f"'batch_size' must be positive, was {batch_size}.")
    if named:  # a network of this folder (MODELS), 10 classes
        x = np.ascontiguousarray(load(job_dir, "x.npy", ndim=2), dtype=np.float32).reshape((-1,) + MODELS[job["model"]][1])
        n = x.shape[0]
        y = load_labels(job_dir, "y.npy", n, 10)
    else:
        x = load_inputs(job_dir, "x.npy", int(layers[0]["in"]))
        n = x.shape[0]
        y = load_labels(job_dir, "y.npy", n, int(layers[-1]["out"]))
    order = load(job_dir, "order.npy", ndim=1)
    if not np.issubdtype(order.dtype, np.integer) or order.shape[0] != n:
        raise JobError(f"order.npy must hold {n} integers (one per example), but has {order.shape[0]} of dtype {order.dtype}.")
    if order.min() < 0 or order.max() >= n:
        raise JobError(f"order.npy holds indices outside 0..{n - 1}.")
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    order_t = torch.from_numpy(order.astype(np.int64))
    batches = [order_t[s:s + batch_size] for s in range(0, n, batch_size)]
    F = torch.nn.functional

    def fresh():
        if named:
            model = NamedModel(torch, job)
            model.module.train()
            with torch.no_grad():
                model.set(theta)
            return model, torch.optim.Adam(model.module.parameters(), lr=lr)
        model = build_model(torch, layers, logits=True)
        with torch.no_grad():
            set_parameters(torch, model, theta)
        return model, torch.optim.Adam(model.parameters(), lr=lr)

    def step(model, opt, idx):
        opt.zero_grad()
        loss = F.cross_entropy(model(xt[idx]), yt[idx])
        loss.backward()
        opt.step()
        return loss.item()

    # untimed warm-up on a throwaway model and optimizer
    model, opt = fresh()
    for idx in batches[:WARMUP_BATCHES]:
        step(model, opt, idx)

    model, opt = fresh()
    total = 0.0
    start = time.perf_counter()
    for idx in batches:
        total += step(model, opt, idx) * idx.shape[0]
    seconds = time.perf_counter() - start
    return {
        "kind": "train",
        "workload": job.get("workload", job["objective"]),
        "seconds": seconds,
        "batches": len(batches),
        "mean_loss": finite_or_none(total / n),
    }


def run_curvature(torch, job, job_dir):
    """PyHessian's computation on the whole data set as one batch: the gradient with create_graph=True
    once, then each Hessian-vector product one double-backward pass (torch.autograd.grad of the
    gradient with grad_outputs=v). Lanczos with full reorthogonalisation for the top-k eigenvalues,
    Hutchinson's trace with a fixed number of Rademacher vectors. float32, as PyHessian runs."""
    layers = job["layers"]
    theta = torch.from_numpy(load_vector(job_dir, "theta.npy", layers, job))
    try:
        steps = int(job["steps"])
        k = int(job["k"])
        samples = int(job["trace_samples"])
        seed = int(job.get("seed", 0))
    except (KeyError, TypeError, ValueError) as e:
        raise JobError("A curvature job needs 'steps', 'k' and 'trace_samples' (integers).") from e
    if steps < k or k < 1 or samples < 2:
        raise JobError(f"Need 1 <= k <= steps and trace_samples >= 2, were k {k}, steps {steps}, samples {samples}.")
    x = load_inputs(job_dir, "x.npy", int(layers[0]["in"]))
    y = load_labels(job_dir, "y.npy", x.shape[0], int(layers[-1]["out"]))
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    model = build_model(torch, layers, logits=True)
    with torch.no_grad():
        set_parameters(torch, model, theta)
    params = [p for p in model.parameters()]
    F = torch.nn.functional

    # one plain gradient, timed (after an untimed warm-up)
    for timed in (False, True):
        start = time.perf_counter()
        loss = F.cross_entropy(model(xt), yt)
        torch.autograd.grad(loss, params)
        gradient_seconds = time.perf_counter() - start
    start = time.perf_counter()
    loss = F.cross_entropy(model(xt), yt)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    setup_seconds = time.perf_counter() - start
    products = [0]

    def hvp(v):
        parts, off = [], 0
        for p in params:
            parts.append(v[off:off + p.numel()].view_as(p))
            off += p.numel()
        hv = torch.autograd.grad(grads, params, grad_outputs=parts, retain_graph=True)
        products[0] += 1
        return torch.cat([h.reshape(-1) for h in hv])

    n = sum(p.numel() for p in params)
    gen = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    q = torch.randn(n, generator=gen)
    q /= q.norm()
    basis, alphas, betas = [q], [], []
    for j in range(steps):
        w = hvp(basis[-1])
        a = torch.dot(w, basis[-1]).item()
        alphas.append(a)
        for b in basis:  # full reorthogonalisation
            w -= torch.dot(w, b) * b
        beta = w.norm().item()
        if j == steps - 1 or beta < 1e-10:
            break
        betas.append(beta)
        basis.append(w / beta)
    t = np.diag(alphas) + np.diag(betas[:len(alphas) - 1], 1) + np.diag(betas[:len(alphas) - 1], -1)
    eigenvalues = sorted(np.linalg.eigvalsh(t).tolist(), reverse=True)[:k]
    lanczos_seconds = time.perf_counter() - start
    start = time.perf_counter()
    estimates = []
    for _ in range(samples):
        v = torch.randint(0, 2, (n,), generator=gen).float() * 2 - 1
        estimates.append(torch.dot(v, hvp(v)).item())
    trace_seconds = time.perf_counter() - start
    mean = float(np.mean(estimates))
    return {
        "kind": "curvature",
        "workload": job.get("workload", "curvature"),
        "seconds": lanczos_seconds + trace_seconds,
        "products": products[0],
        "product_seconds": (lanczos_seconds + trace_seconds) / products[0],
        "gradient_seconds": gradient_seconds,
        "setup_seconds": setup_seconds,
        "eigenvalues": eigenvalues,
        "trace": mean,
        "trace_stderr": float(np.std(estimates, ddof=1) / np.sqrt(len(estimates))),
        "dtype": "float32",
    }


def main(argv):
    if len(argv) != 2:
        fail("Usage: python3 torch_peer.py JOB_DIR (one argument, the job directory).")
    try:
        import torch
    except Exception:  # noqa: BLE001 - a broken install counts as not installed
        fail(f"PyTorch is not installed; install the CPU build with: {INSTALL}", code=3)
    job_dir = argv[1]
    try:
        job = read_job(job_dir)
        threads = job["threads"]
        torch.set_num_threads(threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
        run = {"surface": run_surface, "train": run_train, "curvature": run_curvature}[job["kind"]]
        result = run(torch, job, job_dir)
    except JobError as e:
        fail(str(e))
    except Exception as e:  # noqa: BLE001 - still one JSON line, never a traceback on stdout
        print(f"torch_peer: {type(e).__name__}: {e}", file=sys.stderr)
        fail(f"The PyTorch peer failed: {type(e).__name__}: {e}".replace("\n", " "))
    result["torch"] = torch.__version__
    result["threads"] = torch.get_num_threads()
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
