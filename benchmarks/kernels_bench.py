"""The cost of gradsh's float32 kernels that follow PyTorch's (sigmoid, softmax, log_softmax,
cross_entropy; sin and log rounded from float64), against numpy's float32 functions (what gradsh
used before) and against PyTorch (single-threaded) when it is installed.

Run: python benchmarks/kernels_bench.py [--repeats 7]
Each op at 2000 and 10**6 elements (softmax family: rows of 10 and of 1000 classes), the three
timed alternately in the same run; the medians (CPU time of this process) and their ratios.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import gradsh  # noqa: E402
import gradsh.nn.functional as GF  # noqa: E402

try:
    import torch
    import torch.nn.functional as TF
    torch.set_num_threads(1)
except ImportError:
    torch = None


def _numpy_softmax(a):
    e = np.exp(a - a.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _numpy_log_softmax(a):
    s = a - a.max(-1, keepdims=True)
    return s - np.log(np.exp(s).sum(-1, keepdims=True))


def _cases(n):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(n) * 3).astype(np.float32)
    rows = x.reshape(-1, 10 if n <= 2000 else 1000)
    y = rng.integers(0, rows.shape[1], rows.shape[0])
    g, gr, gy = gradsh.tensor(x), gradsh.tensor(rows), gradsh.tensor(y)
    out = {
        "sigmoid": (lambda: g.sigmoid(), lambda: 1 / (1 + np.exp(-x))),
        "softmax": (lambda: gr.softmax(-1), lambda: _numpy_softmax(rows)),
        "log_softmax": (lambda: gr.log_softmax(-1), lambda: _numpy_log_softmax(rows)),
        "cross_entropy": (lambda: GF.cross_entropy(gr, gy),
                          lambda: -_numpy_log_softmax(rows)[np.arange(len(y)), y].mean()),
        "sin": (lambda: g.sin(), lambda: np.sin(x)),
        "log": (lambda: g.abs().log(), lambda: np.log(np.abs(x))),
    }
    if torch is not None:
        t, tr, ty = torch.from_numpy(x), torch.from_numpy(rows), torch.from_numpy(y)
        torch_ops = {"sigmoid": lambda: t.sigmoid(), "softmax": lambda: tr.softmax(-1),
                     "log_softmax": lambda: tr.log_softmax(-1),
                     "cross_entropy": lambda: TF.cross_entropy(tr, ty),
                     "sin": lambda: t.sin(), "log": lambda: t.abs().log()}
        out = {k: v + (torch_ops[k],) for k, v in out.items()}
    return out


def _cpu(fn, inner):
    start = time.process_time()
    for _ in range(inner):
        fn()
    return (time.process_time() - start) / inner


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"{'op':14} {'n':>8} {'gradsh':>10} {'numpy':>10} {'torch':>10} "
          f"{'vs numpy':>9} {'vs torch':>9}")
    for n in (2000, 10 ** 6):
        inner = 200 if n <= 2000 else 2
        for name, fns in _cases(n).items():
            for fn in fns:
                fn()
            times = [[] for _ in fns]
            for _ in range(args.repeats):
                for k, fn in enumerate(fns):
                    times[k].append(_cpu(fn, inner))
            med = [statistics.median(t) for t in times]
            vs_torch = f"{med[0] / med[2]:8.1f}x" if len(med) > 2 else "-"
            torch_us = f"{med[2] * 1e6:9.0f}u" if len(med) > 2 else "-"
            print(f"{name:14} {n:8} {med[0] * 1e6:9.0f}u {med[1] * 1e6:9.0f}u {torch_us:>10} "
                  f"{med[0] / med[1]:8.1f}x {vs_torch:>9}")


if __name__ == "__main__":
    main()
