"""How many of the strides sweep's samples give autograd.grad results (gradients that do not end
in a leaf's .grad) with other strides than PyTorch's: every op, sample and input layout of
tests/core/test_strides_sweep.py, the gradients for both leaves compared (stride() and
is_contiguous()). Needs torch. Run from the checkout:

    PYTHONPATH=. python tools/measure_nonleaf_grad_layouts.py

Leaf .grad layouts are PyTorch's for every sample (the sweep asserts it); these are not, by
design (docs/autograd.md, "What differs"): the backward rules return their own layout.
"""

import collections
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))
import test_strides_sweep as t  # noqa: E402  (the samples live with the sweep)

torch, gradsh = t.torch, t.gradsh


def run(T, fn, layout):
    rng = np.random.default_rng(0)
    x = t._leaf(T, layout, rng.uniform(0.1, 0.9, t.SHAPE).astype(np.float32))
    c = t._leaf(T, "contiguous", rng.uniform(0.1, 0.9, t.SHAPE).astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            outs = [o for o in t._outputs(fn(T, x, c)) if o.requires_grad]
            if not outs:
                return None
            g = T.autograd.grad(sum(o.sum() for o in outs), [x, c], allow_unused=True)
        except Exception:  # not differentiable here: nothing to compare
            return None
    return [None if a is None else (a.stride(), a.is_contiguous()) for a in g]


def main():
    total = diff = contig = 0
    ops = collections.Counter()
    for name in t._names():
        for fn in t.SAMPLES[name]:
            for layout in t.LAYOUTS:
                want, got = run(torch, fn, layout), run(gradsh, fn, layout)
                if want is None or got is None:
                    continue
                total += 1
                if want != got:
                    diff += 1
                    ops[name.strip()] += 1
                    contig += any(a and b and a[1] != b[1] for a, b in zip(want, got))
    print(f"samples {total}, strides differ in {diff}, is_contiguous() differs in {contig}")
    print(f"{len(ops)} ops:", ", ".join(f"{n}:{c}" for n, c in ops.most_common(30)))


if __name__ == "__main__":
    main()
