"""Record PyTorch's float32 softmax and log_softmax over a dim that is not the last (and the
input's gradient through each) into tests/data/softmax_inner.json, as SHA-256 digests.

Run with PyTorch 2.13 installed:  python tools/record_softmax_inner.py
Recorded single-threaded, for each case of `cases()` (float32 arrays from numpy's
default_rng(11), with NaN, +-inf and a column of -inf in the larger ones; the upstream gradient
from default_rng(12)). tests/core/test_softmax_inner.py computes the same in gradsh.
"""

import hashlib
import json

import numpy as np

try:
    import torch
except ImportError:  # the test imports cases() without torch
    torch = None

# (shape, dim): columns fewer than, equal to and past the vector lanes (16 on AVX-512, 8 on
# AVX2), a remainder of scalar columns per outer row, and log_softmax's several chunks
SHAPES = [((2, 3), 0), ((5, 7), 0), ((4, 20), 0), ((3, 37, 2), 0), ((3, 37, 2), 1),
          ((2, 5, 40), 1), ((6, 33), 0), ((2, 3, 17, 5), 1), ((64, 50), 0), ((3, 1), 0),
          ((100, 700), 0), ((7, 3000), 0)]
OPS = ("softmax", "log_softmax")


def cases():
    """[(name, x, dim, upstream gradient)]: float32 arrays."""
    rng, grad_rng = np.random.default_rng(11), np.random.default_rng(12)
    out = []
    for shape, dim in SHAPES:
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
        if x.size > 1000:
            x[0, 5], x[1, 20], x[3, 7], x[2, 9] = np.nan, np.nan, np.inf, -np.inf
            x[:, 30] = -np.inf
        g = grad_rng.standard_normal(shape).astype(np.float32)
        out.append((f"{shape}/{dim}", x, dim, g))
    return out


def digest(a):
    """SHA-256 of a float32 array's bytes, every NaN made the same NaN."""
    a = np.where(np.isnan(a), np.float32(np.nan), a).astype(np.float32)
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def main():
    torch.set_num_threads(1)
    facts = {}
    for name, x, dim, g in cases():
        for op in OPS:
            t = torch.tensor(x, requires_grad=True)
            y = getattr(torch, op)(t, dim)
            y.backward(torch.tensor(g))
            facts[f"{op} {name}"] = [digest(y.detach().numpy()), digest(t.grad.numpy())]
    import facts_file
    path = facts_file.for_this_cpu("softmax_inner")
    path.write_text(json.dumps({"torch": torch.__version__, "threads": 1, "facts": facts},
                               indent=1) + "\n")
    print(f"wrote {path}: {len(facts)} cases")


if __name__ == "__main__":
    main()
