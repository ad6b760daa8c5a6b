"""The layouts of the gradients torch.autograd.grad returns (issue 15): not a leaf's .grad (the
gradient layout contract lays that out) but each backward formula's own result, which PyTorch
returns as it is: an expanded view with stride 0 from sum's backward, passed on by add, view,
unsqueeze, cat...; a transposed one from t()'s; a pointwise formula's result in the layout
TensorIterator gives its operands. Every sample of the strides sweep in its four input layouts
(tests/data/nonleaf_grad_layouts_cases.py), compared with the facts recorded from PyTorch
(`python tools/record_nonleaf_grad_layouts.py`); the cases left are KNOWN, with the reason,
and listed in docs/autograd.md ("Memory layout")."""

import functools
import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import nonleaf_grad_layouts_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "nonleaf_grad_layouts.json").read_text())["facts"]
RUNS = {key: (fn, layout) for key, fn, layout in cases.cases()}

# case -> why its layout is not PyTorch's (docs/autograd.md, "Memory layout").
_CONFLICT = ("a pointwise formula over operands laid out differently: numpy makes C order where "
             "TensorIterator follows the first operand that tells the dims apart, or an "
             "intermediate of gradsh's formula is not PyTorch's")
_SELECT = ("PyTorch's formula fills a new tensor (zeros then scatter/index_put/masked_scatter, "
           "or grad.masked_fill's clone): its layout is that tensor's, gradsh's is numpy's")
_MATMUL = ("a matrix product's gradient: PyTorch's mm backward chooses which operand to "
           "transpose from the strides (mm_mat1_backward), gradsh's product is contiguous")
_SINGULAR = ("the expanded input is a singular matrix: gradsh's backward raises (its solve "
             "refuses), where PyTorch's triangular solve runs on to inf/nan")
KNOWN = {"qr[0] expanded": _SINGULAR, "qr[1] expanded": _SINGULAR,
         "slogdet[0] expanded": _SINGULAR}
KNOWN.update({k: _MATMUL for k in (
    "baddbmm[0] contiguous", "baddbmm[0] transposed", "baddbmm[0] sliced", "baddbmm[0] expanded",
    "linear[0] transposed", "linear[0] sliced", "linear[0] expanded", "pinverse[0] contiguous",
    "pinverse[0] transposed", "pinverse[0] sliced", "pinverse[0] expanded", "qr[0] contiguous",
    "qr[0] transposed", "qr[0] sliced",
)})
KNOWN.update({k: _SELECT for k in (
    "fmax[2] transposed", "fmin[2] transposed", "fmod[0] transposed", "fmod[0] expanded",
    "fmod[2] transposed", "fmod[2] expanded", "logcumsumexp[1] transposed",
    "logcumsumexp[1] expanded", "masked_fill[0] transposed", "masked_select[0] transposed",
    "max[0] transposed", "median[0] transposed", "min[0] transposed", "nanmedian[0] transposed",
    "multi_margin_loss[0] transposed", "pdist[0] transposed", "pdist[0] expanded",
    "remainder[0] transposed", "remainder[0] expanded", "remainder[2] transposed",
    "remainder[2] expanded", "scatter_reduce[0] transposed", "take[0] transposed",
)})
KNOWN.update({k: _CONFLICT for k in (
    "alpha_dropout[0] transposed", "atan2[0] transposed", "atan2[1] transposed",
    "renorm[0] transposed", "renorm[1] transposed",
    "atanh[0] transposed", "binary_cross_entropy[0] transposed",
    "binary_cross_entropy[1] transposed", "binary_cross_entropy_with_logits[0] transposed",
    "binary_cross_entropy_with_logits[1] transposed", "clamp[1] transposed",
    "copysign[2] transposed", "cosine_similarity[0] transposed", "dist[0] transposed",
    "div[2] transposed", "float_power[1] transposed", "glu[0] transposed", "glu[1] transposed",
    "hardsigmoid[0] transposed", "hypot[1] transposed", "logaddexp[0] transposed",
    "logaddexp[1] transposed", "mvlgamma[0] transposed",
    "mvlgamma[1] transposed", "ndtr[0] transposed", "poisson_nll_loss[1] transposed",
    "polygamma[0] transposed", "polygamma[1] transposed", "pow[0] transposed",
    "softsign[0] transposed", "xlog1py[0] transposed", "xlogy[0] transposed",
)})


@functools.cache
def _differences():
    """{case: (PyTorch's layouts, gradsh's)} where they differ (a case PyTorch does not
    differentiate is not compared)."""
    out = {}
    for key, want in FACTS.items():
        if want is None:
            continue
        got = cases.run(gradsh, *RUNS[key])
        if got != want:
            out[key] = (want, got)
    return out


def test_the_facts_cover_the_cases():
    assert set(FACTS) == set(RUNS), "re-record: python tools/record_nonleaf_grad_layouts.py"


@pytest.mark.parametrize("op", sorted({cases.op_of(k) for k in FACTS}))
def test_autograd_grad_layouts_as_pytorch(op):
    diffs = {k: v for k, v in _differences().items() if cases.op_of(k) == op}
    known = {k for k in KNOWN if cases.op_of(k) == op}
    new = [f"{k}: gradsh {got} != PyTorch's {want}" for k, (want, got) in diffs.items()
           if k not in known]
    fixed = sorted(known - set(diffs))
    assert not new and not fixed, "\n".join(new + [f"{k}: now as PyTorch (drop it from KNOWN)"
                                                    for k in fixed])


# as_strided's gradient (branch linalg3) is laid out contiguously: PyTorch's accumulates into a
# buffer shaped as the input's storage and returns it with the input's own strides
_AS_STRIDED = ("as_strided's gradient is contiguous here; PyTorch's has the input's strides "
               "(a view of the storage-shaped buffer it accumulates into)")
KNOWN.update({f"{op}[{k}] {layout}": _AS_STRIDED for op, ks in (("as_strided", (0, 1)),
                                                                 ("as_strided_copy", (0,)))
              for k in ks for layout in ("transposed", "sliced", "expanded")})


def test_the_known_differences_are_few():
    # (70 at branch layout2; nanmedian and renorm, merged beside it, add three of the known
    # kinds; as_strided and as_strided_copy, nine of their own)
    assert len(_differences()) == len(KNOWN) <= 82


def test_the_recorded_facts_are_pytorchs():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the recorded facts")
    torch.set_num_threads(1)
    wrong = [key for key, (fn, layout) in RUNS.items()
             if cases.run(torch, fn, layout) != FACTS.get(key)]
    assert not wrong, f"re-record: python tools/record_nonleaf_grad_layouts.py ({wrong[:5]})"
