"""Record PyTorch's float32 and float64 var, std, 2-norm and var_mean into
tests/data/moments.json.

Run with PyTorch 2.13 installed:  python tools/record_moments.py
The inputs are record_sums.py's (`inputs(dtype)`: sizes 1..300, a spread to 5000, for float64 a
few up to 32767; `dim_inputs(dtype)`: every set of dims of 11 shapes, contiguous and with the
first and last dims swapped in memory), so the test draws the same arrays. Recorded per flat
input: `var()`, `std()`, `norm()`, `norm(1)` as Python floats; per dim case: a SHA-256 of the
bytes of `var(dims)`, `std(dims)`, `norm(2, dims)`, `norm(1, dims)` and of `var_mean(dims)`'s
two results (in a row).
PyTorch single-threaded (below 32768 elements it reduces in one thread anyway), on x86-64
(`get_cpu_capability()` is stored too).
"""

import json
import pathlib

import numpy as np

from record_sums import digest, dim_inputs, inputs

try:
    import torch
except ImportError:  # the test imports the helpers without torch
    torch = None

DTYPES = {"float32": np.float32, "float64": np.float64}


def flat_values(t):
    """The recorded values of a flat input t (a tensor of gradsh or PyTorch)."""
    return {"var": t.var().item(), "std": t.std().item(), "norm": t.norm().item(),
            "norm1": t.norm(1).item()}


def dim_values(lib, t, dims, dtype):
    """The digests recorded for a reduction of t over dims (lib: gradsh or torch)."""
    v, m = lib.var_mean(t, dims)
    return {"var": digest(t.var(dims).numpy(), dtype), "std": digest(t.std(dims).numpy(), dtype),
            "norm": digest(t.norm(2, dims).numpy(), dtype),
            "norm1": digest(t.norm(1, dims).numpy(), dtype),
            "var_mean": digest(np.concatenate([v.numpy().reshape(-1), m.numpy().reshape(-1)]),
                               dtype)}


def as_tensor(lib, a, layout):
    """a as a tensor of lib: as drawn ("c") or its first and last dims swapped in memory ("t")."""
    if layout == "t":
        return lib.from_numpy(np.ascontiguousarray(np.swapaxes(a, 0, -1))).swapaxes(0, -1)
    return lib.from_numpy(a)


def record(dtype):
    flat = [{"shape": shape, **flat_values(torch.from_numpy(a))} for shape, a in inputs(dtype)]
    dims = [{"shape": shape, "dims": d, "layout": layout,
             **dim_values(torch, as_tensor(torch, a, layout), d, dtype)}
            for shape, d, layout, a in dim_inputs(dtype)]
    return {"flat": flat, "dims": dims}


def main():
    torch.set_num_threads(1)
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "moments.json"
    facts = {"torch": torch.__version__, "cpu": torch.backends.cpu.get_cpu_capability(),
             **{name: record(dtype) for name, dtype in DTYPES.items()}}
    path.write_text(json.dumps(facts) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
