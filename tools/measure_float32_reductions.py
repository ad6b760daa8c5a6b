"""Measure how often gradsh's float32 (and float64) reductions differ from PyTorch's in the last bit.

Run with PyTorch 2.13 installed:  python tools/measure_float32_reductions.py
Random float32 inputs (numpy's default_rng(2026)) of a sweep of sizes and shapes (up to 32767
elements, but for the line that says otherwise), PyTorch single-threaded; each line
prints how many results (tensors compared whole, bit for bit) differ out of how many. The
figures in docs/autograd.md ("Float32 reductions") come from this script.
"""

import itertools

import numpy as np
import torch

import gradsh
import gradsh.nn.functional as GF
import torch.nn.functional as TF


def same(ours, theirs):
    a, b = ours.numpy(), theirs.detach().numpy()
    return a.shape == b.shape and np.array_equal(a.reshape(-1).view(np.uint8),
                                                 b.reshape(-1).view(np.uint8))


def shapes(rng, count):
    for _ in range(count):
        ndim = int(rng.integers(1, 4))
        yield tuple(int(n) for n in rng.integers(1, 60 if ndim < 3 else 32, size=ndim))


def sweep(rng):
    """(name, gradsh function, torch function, inputs) rows of the measurement."""
    rows = {}
    for shape in shapes(rng, 120):
        a = (rng.standard_normal(shape) * float(rng.uniform(0.1, 100))).astype(np.float32)
        perm = tuple(int(k) for k in rng.permutation(len(shape)))
        for r in range(1, len(shape) + 1):
            for dims in itertools.combinations(range(len(shape)), r):
                for layout, p in (("contiguous", tuple(range(len(shape)))), ("permuted", perm)):
                    for op in ("sum", "mean"):
                        rows.setdefault(f"{op} over dims, {layout}", []).append(
                            (lambda T, a=a, p=p, d=dims, op=op:
                             getattr(T.from_numpy(a).permute(*p), op)(d)))
        for x, label in ((a, "float32"), (a.astype(np.float64), "float64")):
            _moments(rows, x, perm, label)
        b = (rng.standard_normal(shape) * 3).astype(np.float32)
        rows.setdefault("mse_loss (mean, sum)", []).append(
            lambda T, a=a, b=b: _f(T).mse_loss(T.from_numpy(a), T.from_numpy(b)))
        rows["mse_loss (mean, sum)"].append(
            lambda T, a=a, b=b: _f(T).mse_loss(T.from_numpy(a), T.from_numpy(b), reduction="sum"))
        rows.setdefault("softmax(-1)", []).append(lambda T, a=a: T.from_numpy(a).softmax(-1))
        rows.setdefault("log_softmax(-1)", []).append(
            lambda T, a=a: T.from_numpy(a).log_softmax(-1))
        n = int(rng.integers(1, 300))
        x = (rng.standard_normal((n, 7)) * 3).astype(np.float32)
        y = rng.integers(0, 7, n)
        rows.setdefault("cross_entropy (mean) of class indices", []).append(
            lambda T, x=x, y=y: _f(T).cross_entropy(T.from_numpy(x), T.from_numpy(y)))
    for n in (32768, 40000, 100000):
        a = rng.standard_normal(n).astype(np.float32)
        rows.setdefault("sum() above 32767 elements", []).append(
            lambda T, a=a: T.from_numpy(a).sum())
    for n in range(5, 400, 7):
        a = rng.standard_normal(n)
        rows.setdefault("float64 sum()", []).append(lambda T, a=a: T.from_numpy(a).sum())
    return rows


def _moments(rows, a, perm, label):
    """var/std/var_mean/norm rows of one input (gradsh/core/ops/moments.py's orders)."""
    for op in ("var", "std"):
        for dim in ((), (-1,), (0,)):
            rows.setdefault(f"{label} var, std (all, dim=-1, dim=0)", []).append(
                lambda T, a=a, op=op, dim=dim: getattr(T.from_numpy(a), op)(*dim))
    rows.setdefault(f"{label} var_mean(dim=-1), var_mean()", []).append(
        lambda T, a=a: T.stack([*T.var_mean(T.from_numpy(a), -1)]))
    rows[f"{label} var_mean(dim=-1), var_mean()"].append(
        lambda T, a=a: T.stack([*T.var_mean(T.from_numpy(a))]))
    rows.setdefault(f"{label} norm(dim=-1), contiguous", []).append(
        lambda T, a=a: T.from_numpy(a).norm(dim=-1))
    rows.setdefault(f"{label} norm(), contiguous", []).append(
        lambda T, a=a: T.from_numpy(a).norm())
    rows.setdefault(f"{label} norm(dim=0) and norm() of a permuted tensor", []).append(
        lambda T, a=a: T.from_numpy(a).norm(dim=0))
    rows[f"{label} norm(dim=0) and norm() of a permuted tensor"].append(
        lambda T, a=a, p=perm: T.from_numpy(a).permute(*p).norm())


def _f(T):
    return GF if T is gradsh else TF


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(2026)
    for name, cases in sweep(rng).items():
        differ = sum(not same(case(gradsh), case(torch)) for case in cases)
        print(f"{name}: {differ} of {len(cases)} differ")


if __name__ == "__main__":
    main()
