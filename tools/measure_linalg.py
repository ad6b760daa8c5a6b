"""Measure how far gradsh's torch.linalg values (numpy's LAPACK) are from PyTorch 2.13's.

Run with PyTorch installed:  python tools/measure_linalg.py [trials]
For each op of a sweep over sizes 1..8, batches and both float dtypes, on random inputs (seeded),
prints the largest difference relative to the largest magnitude of PyTorch's result, for the
values and for the gradients of a random linear function of them. Singular and eigenvectors are
compared through their squares (their signs are LAPACK's choice).
"""

import sys

import numpy as np
import torch

import gradsh

OPS = {
    "inv": (lambda L, a: (L.linalg.inv(a),), "general"),
    "det": (lambda L, a: (L.linalg.det(a),), "general"),
    "slogdet": (lambda L, a: (L.linalg.slogdet(a).logabsdet,), "general"),
    "solve": (lambda L, a: (L.linalg.solve(a, a[..., :1] * 2 + 1),), "general"),
    "cholesky": (lambda L, a: (L.linalg.cholesky(a),), "spd"),
    "eigh": (lambda L, a: tuple(o * o for o in L.linalg.eigh(a)), "sym"),
    "svd": (lambda L, a: tuple(o * o for o in L.linalg.svd(a, full_matrices=False)), "general"),
    "qr": (lambda L, a: tuple(L.linalg.qr(a)), "general"),
    "matrix_exp": (lambda L, a: (L.linalg.matrix_exp(a),), "general"),
    "pinv": (lambda L, a: (L.linalg.pinv(a),), "general"),
}


def _input(rng, kind, shape):
    a = rng.standard_normal(shape)
    n = shape[-1]
    if kind == "spd":
        return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
    if kind == "sym":
        return a + np.swapaxes(a, -1, -2)
    return a + np.eye(n) * 0.5


def _rel(got, want):
    got, want = np.asarray(got, float), np.asarray(want, float)
    scale = max(np.abs(want).max(), 1e-300) if want.size else 1.0
    return float(np.abs(got - want).max() / scale) if want.size else 0.0


def main(trials=5):
    rng = np.random.default_rng(0)
    for name, (fn, kind) in OPS.items():
        for dt in ("float64", "float32"):
            worst_v = worst_g = 0.0
            for _ in range(trials):
                for shape in [(n, n) for n in range(1, 9)] + [(3, 4, 4), (2, 2, 5, 5)]:
                    a = _input(rng, kind, shape)
                    res = []
                    for L in (gradsh, torch):
                        x = L.tensor(a.tolist(), dtype=getattr(L, dt), requires_grad=True)
                        outs = fn(L, x)
                        w = np.random.default_rng(1).standard_normal(8)
                        loss = sum((o * float(w[i])).sum() for i, o in enumerate(outs))
                        loss.backward()
                        res.append(([o.tolist() for o in outs], x.grad.tolist()))
                    worst_v = max([worst_v] + [_rel(g, w) for g, w in zip(res[0][0], res[1][0])])
                    worst_g = max(worst_g, _rel(res[0][1], res[1][1]))
            print(f"{name:11s} {dt}: values {worst_v:.2e}  gradients {worst_g:.2e}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
