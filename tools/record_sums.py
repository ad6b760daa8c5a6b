"""Record PyTorch's float32 sums into tests/data/float32_sums.json.

Run with PyTorch 2.13 installed:  python tools/record_sums.py
Inputs are float32 arrays from numpy's default_rng(7), standard normal times a uniform scale,
drawn in order for sizes 1..300, a spread up to 5000 and a few 2-d shapes (the test draws the
same arrays: `inputs()`); recorded: the shape, the first element (a check that the draw is the
same), torch's `x.sum().item()` and `x.mean().item()`. The CPU's vector width matters
(recorded on x86-64, torch.backends.cpu.get_cpu_capability() is stored too).
"""

import json
import pathlib

import numpy as np

try:
    import torch
except ImportError:  # the test imports inputs() without torch
    torch = None

SIZES = list(range(1, 301)) + list(range(301, 5001, 97))
SHAPES = [[3, 7], [16, 16], [5, 40], [33, 31]]


def inputs():
    """The float32 arrays, in order (the test imports this file to draw the same ones)."""
    rng = np.random.default_rng(7)
    for shape in [[n] for n in SIZES] + SHAPES:
        scale = float(rng.uniform(0.1, 100.0))
        yield shape, (rng.standard_normal(shape) * scale).astype(np.float32)


def main():
    cases = []
    for shape, a in inputs():
        t = torch.from_numpy(a)
        cases.append({"shape": shape, "first": float(a.reshape(-1)[0]),
                      "sum": t.sum().item(), "mean": t.mean().item()})
    out = {"torch": torch.__version__, "cpu": torch.backends.cpu.get_cpu_capability(),
           "cases": cases}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "float32_sums.json"
    path.write_text(json.dumps(out) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
