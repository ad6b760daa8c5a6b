"""How many of the strides sweep's samples give autograd.grad results (gradients that do not end
in a leaf's .grad) with other strides than PyTorch's: every op, sample and input layout of
tests/core/test_strides_sweep.py, the gradients for both leaves compared (stride() and
is_contiguous()), live against PyTorch (the cases: tests/data/nonleaf_grad_layouts_cases.py;
tests/core/test_nonleaf_grad_layouts.py checks the same against recorded facts). Needs torch.
Run from the checkout:

    PYTHONPATH=. python tools/measure_nonleaf_grad_layouts.py [-v]

With -v, each differing case: PyTorch's layouts, then gradsh's.
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "data"))
import nonleaf_grad_layouts_cases as cases  # noqa: E402

import gradsh  # noqa: E402
import torch  # noqa: E402


def main():
    total = diff = contig = 0
    ops = collections.Counter()
    for key, fn, layout in cases.cases():
        want, got = cases.run(torch, fn, layout), cases.run(gradsh, fn, layout)
        if want is None or got is None:
            continue
        total += 1
        if want != got:
            diff += 1
            ops[cases.op_of(key).strip()] += 1
            contig += any(a and b and a[1] != b[1] for a, b in zip(want, got))
            if "-v" in sys.argv:
                print(key, want, got, sep="\t")
    print(f"samples {total}, strides differ in {diff}, is_contiguous() differs in {contig}")
    print(f"{len(ops)} ops:", ", ".join(f"{n}:{c}" for n, c in ops.most_common(30)))


if __name__ == "__main__":
    main()
