"""Record PyTorch's double-backward facts into tests/data/double_backward.json.

Run with PyTorch 2.13 installed:  python tools/record_double_backward.py
For each case below (an op applied to a small float32 input with zeros, negatives and ties),
it computes g = grad(f(x).sum(), x, create_graph=True) and records g's values, whether g
requires grad, the name of g's grad_fn (the backward-of-backward node) and the gradient of
g.sum() (grad-of-grad). tests/core/test_double_backward.py runs the same cases in gradsh.
The cases are shared with the test through tests/data/double_backward_cases.py.
"""

import json
import pathlib
import sys

import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
from double_backward_cases import CASES, run  # noqa: E402


def main():
    out = {}
    for name, (fn, inputs) in CASES.items():
        out[name] = [run(torch, fn, v) for v in inputs]
    path = ROOT / "tests" / "data" / "double_backward.json"
    path.write_text(json.dumps({"torch": torch.__version__, "cases": out}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
