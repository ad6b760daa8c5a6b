"""Record PyTorch's float32 layer_norm, group_norm, batch_norm, instance_norm, F.normalize and
var/std/var_mean over dims (values and gradients) into tests/data/norm_kernels_avx2.json (or
norm_kernels.json on an AVX-512 CPU: the lanes set the order of the sums), as SHA-256 digests.

Run with PyTorch 2.13 installed:  python tools/record_norm_kernels.py
The inputs are drawn by `cases()` from fixed seeds, so tests/core/test_norm_kernels.py draws the
same arrays; each case runs `run(lib, case)` (lib: torch or gradsh) single-threaded: the forward,
then backward of a fixed random upstream gradient, giving the output, the input's gradient and
the weight's and bias's where the case has them. Row lengths 1..70 and a spread to 4100 (the
moments' 8-lane chunks of 16 vectors and their cascade), values far from 0 (catastrophic
rounding in x - mean), with and without weight and bias.

`python tools/record_norm_kernels.py --measure` prints, per op, how many results differ from
PyTorch bit for bit (run it with gradsh as it was to get the "before" figures).
"""

import hashlib
import sys

import numpy as np

OPS = ("layer_norm", "group_norm", "batch_norm", "batch_norm_eval", "instance_norm",
       "normalize", "var", "std", "var_mean")


def _shapes(op):
    if op == "layer_norm":
        return ([(3, n) for n in range(1, 71)] + [(2, n) for n in (127, 128, 129, 255, 256, 257,
                                                                   300, 513, 1000, 2049, 4100)]
                + [(2, 3, 10), (4, 5, 6)])
    if op in ("group_norm", "instance_norm"):
        return [(2, c, hw) for c in (2, 4, 6, 12, 16, 32) for hw in (1, 5, 8, 33)
                if hw > 1 or op == "group_norm"] + [(2, 4, 5, 7)]
    if op.startswith("batch_norm"):
        return [(4, 7), (16, 3), (33, 2), (4, 7, 5), (2, 3, 10), (4, 3, 5, 3), (2, 8, 4, 4)]
    return [(4, 7), (3, 16), (2, 33), (5, 64), (2, 3, 10), (8, 100)]


def cases():
    """(name, op, x, upstream, params) for every recorded case; params: a dict of arrays."""
    out = []
    for op in OPS:
        for i, shape in enumerate(_shapes(op)):
            for affine in ((True, False) if op in ("layer_norm", "group_norm", "batch_norm",
                                                    "batch_norm_eval", "instance_norm")
                           else (False,)):
                rng = np.random.default_rng([OPS.index(op), i, affine])
                x = (rng.standard_normal(shape) * rng.uniform(0.1, 10)
                     + rng.uniform(-30, 30)).astype(np.float32)
                up = rng.standard_normal(shape).astype(np.float32)
                pshape = shape[-1:] if op == "layer_norm" else shape[1:2]
                params = {}
                if affine:
                    params = {"weight": rng.standard_normal(pshape).astype(np.float32),
                              "bias": rng.standard_normal(pshape).astype(np.float32)}
                name = f"{op}{list(shape)}{'_affine' if affine else ''}"
                out.append((name, op, x, up, params))
    return out


def _forward(lib, op, x, w, b):
    F = lib.nn.functional
    if op == "layer_norm":
        return F.layer_norm(x, x.shape[-1:], w, b)
    if op == "group_norm":
        c = x.shape[1]
        return F.group_norm(x, c // 2 if c < 12 else 2, w, b)  # groups of 2, 3, 6, 8, 16
    if op == "batch_norm":
        return F.batch_norm(x, None, None, w, b, training=True)
    if op == "batch_norm_eval":
        c = x.shape[1]
        return F.batch_norm(x, lib.linspace(-1.0, 1.0, c), lib.linspace(0.5, 2.0, c), w, b)
    if op == "instance_norm":
        return F.instance_norm(x, weight=w, bias=b)
    if op == "normalize":
        return F.normalize(x, dim=-1)
    if op == "var_mean":
        v, m = lib.var_mean(x, -1)
        return v * 3 + m
    return getattr(x, op)(-1)


def digest(a):
    return hashlib.sha256(np.ascontiguousarray(a, np.float32).tobytes()).hexdigest()[:16]


def results(lib, case):
    """{"y": ..., "dx": ..., "dw": ..., "db": ...}: lib's results for case, as arrays."""
    _, op, x, up, params = case
    t = lib.from_numpy(x.copy()).requires_grad_()
    ps = {k: lib.from_numpy(v.copy()).requires_grad_() for k, v in params.items()}
    y = _forward(lib, op, t, ps.get("weight"), ps.get("bias"))
    y.backward(lib.from_numpy(up.reshape(-1)[:y.numel()].reshape(tuple(y.shape)).copy()))
    out = {"y": y.detach().numpy(), "dx": t.grad.numpy()}
    if ps:
        out["dw"], out["db"] = ps["weight"].grad.numpy(), ps["bias"].grad.numpy()
    return out


def run(lib, case):
    """The digests of lib's results for case."""
    return {k: digest(v) for k, v in results(lib, case).items()}


def record():
    import torch
    torch.set_num_threads(1)
    import facts_file
    facts = {case[0]: run(torch, case) for case in cases()}
    facts_file.write(facts_file.for_this_cpu("norm_kernels").name, facts, torch.__version__)


def measure():
    """Per op and result, how many float32 values differ from PyTorch's bit for bit (gradsh as
    it is now)."""
    import torch
    import gradsh
    torch.set_num_threads(1)
    counts = {}
    for case in cases():
        ours, theirs = results(gradsh, case), results(torch, case)
        for k in theirs:
            key = (case[1], k)
            n, d = counts.get(key, (0, 0))
            counts[key] = (n + theirs[k].size,
                           d + int((ours[k].view(np.int32) != theirs[k].view(np.int32)).sum()))
    for (op, k), (n, d) in counts.items():
        print(f"{op:16} {k:3} {d:6} of {n:6} differ ({100 * d / n:.1f}%)")


if __name__ == "__main__":
    measure() if "--measure" in sys.argv else record()
