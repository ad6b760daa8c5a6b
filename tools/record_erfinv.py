"""Record PyTorch's erfinv values and nn.init.trunc_normal_ draws into tests/data/erfinv.json.

Run with PyTorch 2.13 installed:  python tools/record_erfinv.py
erfinv: `inputs()` (numpy's default_rng(15): 4000 uniform in (-1, 1), 1000 of 1 - 10**-u near
1 with random signs, then zeros, +-1, outside values and nan), `torch.erfinv` of them as float64
and as float32, stored as base64 of the result bytes. trunc_normal_: for each of TRUNC_CASES
(seed, shape, dtype, keyword arguments), the SHA-256 of the filled tensor's bytes after
`torch.manual_seed(seed)` and the `torch.rand(1).item()` drawn after it (the generator's
position). PyTorch single-threaded.
"""

import base64
import hashlib
import json
import math

import numpy as np

try:
    import torch
except ImportError:  # the test imports the helpers without torch
    torch = None

TRUNC_CASES = [
    (0, [3, 5], "float32", {}),
    (1, [64, 33], "float32", {"std": 0.02}),
    (2, [1000], "float32", {"mean": 0.5, "std": 0.3, "a": 0.0, "b": 1.0}),
    (3, [40, 7], "float32", {"a": -0.5, "b": 0.5}),           # under 30% of the mass
    (4, [17], "float32", {"mean": 1.0, "std": 2.0, "a": -0.1, "b": 0.1}),
    (5, [8, 8], "float64", {"std": 0.5}),
    (6, [300], "float64", {"a": 2.0, "b": 3.0}),
]


def inputs():
    """The erfinv inputs, float64."""
    rng = np.random.default_rng(15)
    near_one = (1 - 10.0 ** -rng.uniform(0, 7, 1000)) * rng.choice([-1.0, 1.0], 1000)
    specials = [0.0, -0.0, 1.0, -1.0, 1.5, -2.0, math.nan, 1e-300, 0.7, -0.7, 0.5, 0.5000001]
    return np.concatenate([rng.uniform(-1, 1, 4000), near_one, specials])


def encode(values):
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode()


def decode(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype)


def trunc_draw(lib, seed, shape, dtype, kwargs):
    """(digest of the tensor trunc_normal_ fills, the next uniform) under lib.manual_seed(seed)."""
    lib.manual_seed(seed)
    w = lib.empty(shape, dtype=getattr(lib, dtype))
    lib.nn.init.trunc_normal_(w, **kwargs)
    return [hashlib.sha256(w.numpy().tobytes()).hexdigest(), lib.rand(1).item()]


def main():
    torch.set_num_threads(1)
    x = inputs()
    facts = {"torch": torch.__version__,
             "float64": encode(torch.erfinv(torch.from_numpy(x)).numpy()),
             "float32": encode(torch.erfinv(torch.from_numpy(x.astype(np.float32))).numpy()),
             "trunc_normal": [trunc_draw(torch, *case) for case in TRUNC_CASES]}
    import facts_file
    path = facts_file.for_this_cpu("erfinv")
    path.write_text(json.dumps(facts, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
