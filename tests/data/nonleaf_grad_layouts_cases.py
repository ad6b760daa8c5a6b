"""The cases of nonleaf_grad_layouts.json: every sample of the strides sweep
(tests/core/test_strides_sweep.py: each op of the registry) with its leaf `x` in each of the
sweep's four layouts, and what `torch.autograd.grad` returns for the two leaves `x` and `c`:
each gradient's stride() and is_contiguous(). Those gradients are the backward formulas' own
results (an expanded view from sum's backward, a transposed one from t()'s), not a leaf's .grad,
which the gradient layout contract lays out (the sweep checks those).

`run(T, fn, layout)` gives the same answer for torch and gradsh: None where the op is not
differentiable there (or raises), else [[stride, is_contiguous] or None for each leaf].
"""

import pathlib
import sys
import warnings

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "core"))
import test_strides_sweep as sweep  # noqa: E402  (the samples live with the sweep)


def cases():
    """(key, fn, layout) for every sample and layout: key 'op[k] layout'."""
    for name in sweep._names():
        for k, fn in enumerate(sweep.SAMPLES[name]):
            for layout in sweep.LAYOUTS:
                yield f"{name}[{k}] {layout}", fn, layout


def op_of(key):
    return key.rsplit("[", 1)[0]


def run(T, fn, layout):
    rng = np.random.default_rng(0)
    x = sweep._leaf(T, layout, rng.uniform(0.1, 0.9, sweep.SHAPE).astype(np.float32))
    c = sweep._leaf(T, "contiguous", rng.uniform(0.1, 0.9, sweep.SHAPE).astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            outs = [o for o in sweep._outputs(fn(T, x, c)) if o.requires_grad]
            if not outs:
                return None
            g = T.autograd.grad(sum(o.sum() for o in outs), [x, c], allow_unused=True)
        except Exception:  # not differentiable here: nothing to compare
            return None
    return [None if a is None else [list(a.stride()), a.is_contiguous()] for a in g]
