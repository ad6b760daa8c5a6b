"""Measure (and record) how gradsh's float32 activations compare with PyTorch 2.13's bit for bit.

    python tools/measure_activation_kernels.py            # rates of differing values
    python tools/measure_activation_kernels.py --record   # tests/data/activation_kernels_avx2.json

The sweep: 300000 float32 values (uniform in [-10, 10] and [-30, 30], standard normal; |x| for
log1p), run as one contiguous tensor (PyTorch single-threaded), the value and the gradient of a
fixed random upstream gradient. The recording keeps SHA-256 digests, for the results gradsh
reproduces bit for bit, of every size 1..70 and 1000, 4099 (the kernels' vector lanes and scalar
tail) of the sweep's first values.
"""

import hashlib
import sys

import numpy as np

OPS = {
    "silu": lambda L, t: L.nn.functional.silu(t),
    "softplus": lambda L, t: L.nn.functional.softplus(t),
    "logsigmoid": lambda L, t: L.nn.functional.logsigmoid(t),
    "elu": lambda L, t: L.nn.functional.elu(t),
    "mish": lambda L, t: L.nn.functional.mish(t),
    "gelu": lambda L, t: L.nn.functional.gelu(t),
    "gelu_tanh": lambda L, t: L.nn.functional.gelu(t, approximate="tanh"),
    "log1p": lambda L, t: L.log1p(t.abs()),
    "expm1": lambda L, t: L.expm1(t),
}
# the results gradsh computes as PyTorch does, bit for bit (recorded); the others are modelled
EXACT = {"silu": ("value", "grad"), "softplus": ("grad",), "logsigmoid": ("grad",),
         "elu": ("grad",)}
SIZES = list(range(1, 71)) + [1000, 4099]


def sweep():
    rng = np.random.default_rng(15)
    return np.concatenate([rng.uniform(-10, 10, 200000), rng.uniform(-30, 30, 50000),
                           rng.standard_normal(50000)]).astype(np.float32)


def upstream(n):
    return np.random.default_rng(16).standard_normal(n).astype(np.float32)


def results(lib, op, x):
    t = lib.from_numpy(x.copy()).requires_grad_()
    y = OPS[op](lib, t)
    y.backward(lib.from_numpy(upstream(x.size).reshape(x.shape)))
    return {"value": y.detach().numpy(), "grad": t.grad.numpy()}


def digest(a):
    return hashlib.sha256(np.ascontiguousarray(a, np.float32).tobytes()).hexdigest()[:16]


def digests(lib):
    x = sweep()
    return {f"{op} {n}": {k: digest(v) for k, v in results(lib, op, x[:n]).items() if k in kinds}
            for op, kinds in EXACT.items() for n in SIZES}


def rates(lib, torch):
    x = sweep()
    out = {}
    for op in OPS:
        ours, theirs = results(lib, op, x), results(torch, op, x)
        out[op] = {k: float(np.mean(ours[k].view(np.int32) != theirs[k].view(np.int32)))
                   for k in theirs}
    return out


if __name__ == "__main__":
    import torch
    torch.set_num_threads(1)
    if "--record" in sys.argv:
        import facts_file
        facts_file.write(facts_file.for_this_cpu("activation_kernels").name, digests(torch),
                         torch.__version__)
    else:
        import gradsh
        for op, r in rates(gradsh, torch).items():
            print(f"{op:10} value {100 * r['value']:6.2f}%  grad {100 * r['grad']:6.2f}%")
