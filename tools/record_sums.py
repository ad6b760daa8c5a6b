"""Record PyTorch's float32 and float64 sums into tests/data/float32_sums.json and
tests/data/float64_sums.json.

Run with PyTorch 2.13 installed:  python tools/record_sums.py
Inputs are float32 arrays from numpy's default_rng(7), standard normal times a uniform scale,
drawn in order for sizes 1..300, a spread up to 5000 and a few 2-d shapes (the test draws the
same arrays: `inputs()`); recorded: the shape, the first element (a check that the draw is the
same), torch's `x.sum().item()` and `x.mean().item()`. Sums and means over dims (`dim_inputs()`:
every set of dims of a few shapes, each array as drawn and transposed, first and last dims
swapped) are recorded as a SHA-256 of the result's float32 bytes (single-threaded; below 32768
elements PyTorch reduces in one thread anyway). The CPU's vector width matters
(recorded on x86-64, torch.backends.cpu.get_cpu_capability() is stored too). The float64 file
holds the same records for float64 arrays (`inputs(np.float64)`: numpy's default_rng(13), sizes
as for float32 and a few up to 32767, the 16-row cascade's third level; `dim_inputs(np.float64)`:
the same draws as the float32 ones, not rounded to float32), digests of float64 bytes.
"""

import hashlib
import itertools
import json
import pathlib

import numpy as np

try:
    import torch
except ImportError:  # the test imports inputs() without torch
    torch = None

SIZES = list(range(1, 301)) + list(range(301, 5001, 97))
LONG_SIZES = [8191, 8192, 8193, 16383, 16448, 32767]  # float64 only
SHAPES = [[3, 7], [16, 16], [5, 40], [33, 31]]
SEEDS = {np.float32: 7, np.float64: 13}


def inputs(dtype=np.float32):
    """The arrays, in order (the test imports this file to draw the same ones)."""
    rng = np.random.default_rng(SEEDS[dtype])
    sizes = SIZES + (LONG_SIZES if dtype is np.float64 else [])
    for shape in [[n] for n in sizes] + SHAPES:
        scale = float(rng.uniform(0.1, 100.0))
        yield shape, (rng.standard_normal(shape) * scale).astype(dtype)


DIM_SHAPES = [[9, 7], [40, 3], [3, 40], [33, 65], [256, 64], [256, 1], [100, 257],
              [5, 7, 9], [3, 17, 33], [2, 3, 4, 5], [1000, 30]]


def dim_inputs(dtype=np.float32):
    """(shape, dims, layout, array) for the sums over dims; layout "t" is the array drawn
    with its first and last dims swapped, then viewed back (a non-contiguous input)."""
    rng = np.random.default_rng(11)
    for shape in DIM_SHAPES:
        a = (rng.standard_normal(shape) * float(rng.uniform(0.1, 100.0))).astype(dtype)
        swapped = np.swapaxes(np.ascontiguousarray(np.swapaxes(a, 0, -1)), 0, -1)
        for r in range(1, len(shape) + 1):
            for dims in itertools.combinations(range(len(shape)), r):
                yield shape, list(dims), "c", a
                yield shape, list(dims), "t", swapped


def digest(values, dtype=np.float32):
    """SHA-256 of an array's bytes (float32 or float64) in C order."""
    return hashlib.sha256(np.ascontiguousarray(values, dtype).tobytes()).hexdigest()


def record(dtype):
    """The cases and dim_cases of one dtype, as PyTorch sums them."""
    dim_cases = []
    for shape, dims, layout, a in dim_inputs(dtype):
        t = torch.from_numpy(np.ascontiguousarray(np.swapaxes(a, 0, -1))).swapaxes(0, -1) \
            if layout == "t" else torch.from_numpy(a)
        dim_cases.append({"shape": shape, "dims": dims, "layout": layout,
                          "sum": digest(t.sum(dims).numpy(), dtype),
                          "mean": digest(t.mean(dims).numpy(), dtype)})
    cases = []
    for shape, a in inputs(dtype):
        t = torch.from_numpy(a)
        cases.append({"shape": shape, "first": float(a.reshape(-1)[0]),
                      "sum": t.sum().item(), "mean": t.mean().item()})
    return {"torch": torch.__version__, "cpu": torch.backends.cpu.get_cpu_capability(),
            "cases": cases, "dim_cases": dim_cases}


def main():
    torch.set_num_threads(1)
    data = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
    for dtype, name in ((np.float32, "float32_sums.json"), (np.float64, "float64_sums.json")):
        path = data / name
        path.write_text(json.dumps(record(dtype)) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
