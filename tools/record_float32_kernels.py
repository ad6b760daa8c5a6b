"""Record PyTorch's float32 sigmoid, softmax(-1), log_softmax(-1), cross_entropy, nll_loss, sin,
cos and log into tests/data/float32_kernels.json, and measure which library computes them.

Run with PyTorch 2.13 installed:  python tools/record_float32_kernels.py [--measure]
Recorded (single-threaded): for each case of `cases()` (float32 arrays from numpy's
default_rng(5): sizes 0..80 and a spread to 5000 around the 32-element vector step, 2-D and
transposed inputs, special values) a SHA-256 of torch's result bytes (and of the input's
gradient through softmax and log_softmax: `GRADS`); for `loss_cases()`
cross_entropy's and nll_loss's `.item()` (mean or sum, class weights, ignored targets); for
`sweep()` (200000 values over several ranges) a SHA-256 per op and, for sin, cos and log on
every 25th value, torch's raw results (the test counts how many of gradsh's differ: PyTorch's
are MKL's, which gradsh does not reproduce).

--measure also prints, over 2**20 random inputs per range, how many of torch's float32 sin, cos,
exp, tanh and log differ from MKL's vmsSin/... in VML_HA mode (called through ctypes from the
libtorch_cpu library, which exports them), from numpy's float32 functions and from float64's
value rounded to float32. On x86-64 with MKL the first count is 0 for all five: PyTorch's CPU
kernels for these functions are MKL's VML, not SLEEF.
"""

import base64
import ctypes
import hashlib
import json
import os
import sys

import numpy as np

try:
    import torch
except ImportError:  # the test imports cases() and sweep() without torch
    torch = None

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 1e-38, 88.72, 88.73, -103.9, -104.0,
           -104.1, 100.0, 100.1, -87.3, 3e38, -3e38, 1e20, -1e20, 0.5, -0.5, 1.0, -1.0]
SIZES = list(range(0, 81)) + [95, 96, 97, 127, 128, 129, 255, 1000, 1023, 4099]


def cases():
    """(name, array, layout) in order; layout "t" is the array transposed (a view)."""
    rng = np.random.default_rng(5)
    for n in SIZES:
        scale = float(rng.choice([0.1, 3.0, 20.0, 90.0]))
        yield f"n{n}", (rng.standard_normal(n) * scale).astype(np.float32), "c"
    for shape in ([13, 45], [7, 16], [37, 33], [3, 5, 40]):
        a = (rng.standard_normal(shape) * 8).astype(np.float32)
        yield f"{shape}", a, "c"
        yield f"{shape}t", a, "t"
    yield "special", np.array(SPECIAL * 3, np.float32), "c"


LOSS_BATCHES = [1, 2, 5, 16, 17, 33, 60, 255, 256, 257, 1000, 4097]


def loss_cases():
    """(batch, logits, targets, weight or None, reduction) for cross_entropy and nll_loss:
    numpy's default_rng(8); every third case has about 30% of targets ignored (-100), every
    other case class weights."""
    rng = np.random.default_rng(8)
    for k, n in enumerate(LOSS_BATCHES * 2):
        c = int(rng.integers(2, 12))
        logits = (rng.standard_normal((n, c)) * 30).astype(np.float32)
        targets = rng.integers(0, c, n)
        if k % 3 == 0:
            targets[rng.random(n) < 0.3] = -100
        weight = (rng.random(c) * 3).astype(np.float32) if k % 2 else None
        yield n, logits, targets, weight, "sum" if k % 4 == 1 else "mean"


def losses(module, functional):
    """[cross_entropy, nll_loss, the digest of cross_entropy's gradient for the logits] of each
    loss case."""
    out = []
    for _, logits, targets, weight, reduction in loss_cases():
        args = (module.from_numpy(logits) if module is torch else module.tensor(logits),
                module.from_numpy(targets) if module is torch else module.tensor(targets))
        w = None if weight is None else (
            module.from_numpy(weight) if module is torch else module.tensor(weight))
        logits_leaf = args[0].requires_grad_()
        loss = functional.cross_entropy(logits_leaf, args[1], weight=w, reduction=reduction)
        loss.backward()
        out.append([loss.item(), functional.nll_loss(*args, weight=w, reduction=reduction).item(),
                    digest(logits_leaf.grad.numpy())])
    return out


def sweep():
    """200000 float32 values: uniform over [-10, 10], [-100, 100], [1e-3, 1e3] (log-uniform) and
    standard normal times 1e-3."""
    rng = np.random.default_rng(6)
    parts = [rng.uniform(-10, 10, 50000), rng.uniform(-100, 100, 50000),
             10.0 ** rng.uniform(-3, 3, 50000), rng.standard_normal(50000) * 1e-3]
    return np.concatenate(parts).astype(np.float32)


def layout(a, how, module):
    t = module.from_numpy(np.ascontiguousarray(a)) if module is torch else module.tensor(a)
    return t.transpose(0, -1) if how == "t" else t


def digest(values):
    """SHA-256 of float32 bytes, every NaN made the same (PyTorch's have the sign bit set here)."""
    values = np.ascontiguousarray(values, np.float32)
    values = np.where(np.isnan(values), np.float32(np.nan), values)
    return hashlib.sha256(values.tobytes()).hexdigest()


OPS = {"sigmoid": lambda t: t.sigmoid(), "softmax": lambda t: t.softmax(-1) if t.dim() else t,
       "log_softmax": lambda t: t.log_softmax(-1) if t.dim() else t}
def _grad_of(op):
    """x.grad after (op(x) * w).sum().backward(), w drawn from default_rng(9) (x: 1-d or more)."""
    def run(t):
        module = torch if isinstance(t, torch.Tensor) else sys.modules["gradsh"]
        x = t.detach().clone().requires_grad_()
        w = np.random.default_rng(9).standard_normal(tuple(x.shape)).astype(np.float32)
        w = module.from_numpy(w) if module is torch else module.tensor(w)
        (OPS[op](x) * w).sum().backward()
        return x.grad
    return run


GRADS = {op + " grad": _grad_of(op) for op in ("softmax", "log_softmax")}
LIBM = ("sin", "cos", "log")
LIBM_STEP = 25  # their raw results are kept for every 25th value of the sweep (8000 values)


def record():
    torch.set_num_threads(1)
    out = {"torch": torch.__version__, "cpu": torch.backends.cpu.get_cpu_capability(),
           "cases": [{"name": name, **{op: digest(fn(layout(a, how, torch)).numpy())
                                       for op, fn in {**OPS, **GRADS}.items()
                                       if a.ndim and a.size or op in OPS}}
                     for name, a, how in cases()]}
    import torch.nn.functional as functional
    out["losses"] = losses(torch, functional)
    x = torch.from_numpy(sweep())
    out["sweep"] = {op: digest(fn(x).numpy()) for op, fn in OPS.items()}
    x = x[::LIBM_STEP]
    out["sweep_libm"] = {op: base64.b64encode(getattr(torch, op)(x.abs() if op == "log" else x)
                                              .numpy().tobytes()).decode() for op in LIBM}
    import facts_file
    path = facts_file.for_this_cpu("float32_kernels")
    path.write_text(json.dumps(out) + "\n")
    print(f"wrote {path}")


_VML_HA = 0x2 | 0x140000 | 0x100  # VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE, as ATen's vml.h


def measure():
    torch.set_num_threads(1)
    lib = ctypes.CDLL(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))
    pointer = ctypes.POINTER(ctypes.c_float)
    rng = np.random.default_rng(0)
    for op, vml, lo, hi in [("sin", "Sin", -10, 10), ("cos", "Cos", -10, 10), ("exp", "Exp", -20, 20),
                            ("tanh", "Tanh", -5, 5), ("log", "Ln", 0, 100)]:
        x = rng.uniform(lo, hi, 1 << 20).astype(np.float32)
        theirs = getattr(torch, op)(torch.from_numpy(x)).numpy()
        mkl = np.empty_like(x)
        fn = getattr(lib, "vms" + vml)
        fn.restype = None
        fn(ctypes.c_int(x.size), x.ctypes.data_as(pointer), mkl.ctypes.data_as(pointer),
           ctypes.c_longlong(_VML_HA))
        npf = getattr(np, op)
        print(f"{op:5} on [{lo}, {hi}], {x.size} values: differ from MKL VML_HA "
              f"{int((theirs != mkl).sum())}, from numpy float32 {int((theirs != npf(x)).sum())}, "
              f"from float64 rounded {int((theirs != npf(x.astype(np.float64)).astype(np.float32)).sum())}")


if __name__ == "__main__":
    measure() if "--measure" in sys.argv else record()
