"""Forward-mode AD over the op sweep: for every op of the registry that takes float inputs, on
the op sweep's samples in float64, the tangent of each output (fwAD.make_dual / unpack_dual),
torch.func.jvp and torch.func.jacfwd, or the error PyTorch raises, against PyTorch 2.13's facts
in tests/data/forward_ad_sweep.json (recorded by tools/record_forward_ad_sweep.py; the cases
are tests/data/forward_ad_cases.py). No torch needed; the live test re-runs PyTorch when it is
installed. jacfwd (a dual level per input element) runs on one op in four (by name)'s first sample;
GRADSH_FULL_SWEEP=1 runs it on every case."""

import functools
import json
import os
import pathlib
import sys

import pytest

import cpu_capability

import gradsh
from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()  # every op, the first-use modules' too (gradsh/core/ops_index.py)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import forward_ad_cases as fwd  # noqa: E402
import third_order_cases as third  # noqa: E402

FACTS = json.loads((DATA / "forward_ad_sweep.json").read_text())["facts"]
CASES = fwd.cases(OPS)
BY_OP = {}
for _case in CASES:
    BY_OP.setdefault(_case[0], []).append(_case)
FULL = bool(os.environ.get("GRADSH_FULL_SWEEP"))
JACFWD_OPS = {name for name in BY_OP if third.sampled(name, 4)}  # stable as ops are added

# Known differences (docs/autograd.md, "What differs from PyTorch"): (op, field) -> why. The
# op's test ignores that field; test_known_difference checks it and fails (strict xfail).
KNOWN = {
    ("dropout", "jacfwd"): "PyTorch's jacfwd runs f under vmap, which refuses random ops; gradsh "
                           "raises that error only when the generator's state moved (the sweep "
                           "reseeds inside f)",
    ("dropout2d", "jacfwd"): "as dropout's: PyTorch's vmap refuses the random op; gradsh raises "
                             "that error only when the generator's state moved",
    ("multinomial", "jacfwd"): "PyTorch's vmap refuses the random op before f's empty output "
                               "is seen (the sweep reseeds inside f)",
    ("gumbel_softmax", "jacfwd"): "as dropout's: PyTorch's vmap refuses the random op; gradsh "
                                  "raises that error only when the generator's state moved",
    ("dot", "jacfwd"): "PyTorch's jacfwd of dot over empty vectors raises an IndexError (a vmap "
                       "limit); gradsh returns the empty Jacobian",
    **{("logcumsumexp", f): "logcumsumexp's tangent where the input is -inf: nan in gradsh (0/0 "
                            "of its formula), 0 in PyTorch; the other entries 1e-13 apart"
       for f in ("tangent", "jvp")},
    **{("norm_except_dim", f): "PyTorch refuses the tangent of norm_except_dim(v, 2, -1) (the "
                               "0-d norm: a forward gradient of size [1, 1] for a tensor of "
                               "size []); gradsh gives the norm's tangent"
       for f in ("tangent", "jvp", "error")},
    # branch aliases
    **{("resize", f): "Tensor.resize is PyTorch's custom Function Resize without a jvp (its "
                      "NotImplementedError); gradsh's node has the tangent of a reshape"
       for f in ("error", "tangent", "jvp", "jacfwd")},
    **{("resize_as", f): "as resize's: PyTorch's Resize has no jvp" for f in (
        "error", "tangent", "jvp", "jacfwd")},
    **{("is_shared", f): "PyTorch's jvp/jacfwd wrap the tensor (no storage to ask); gradsh "
                         "answers False" for f in ("jvp", "jacfwd")},
    **{("nanmedian", f): "nanmedian's tangent where every value is NaN: PyTorch's is NaN, "
                         "gradsh's the tangent at the index it picks" for f in ("tangent", "jvp")},
    **{("view_copy", f): "view_copy of a non-contiguous dual tensor: PyTorch views its tangent "
                         "and refuses; gradsh copies both" for f in ("error", "tangent", "jvp")},
    # --- linalg ---
    **{("svd", f): "singular vectors' signs: numpy's LAPACK build chose others than PyTorch's "
                   "for the 2 x 3 sample (docs/autograd.md, Linear algebra)"
       for f in ("tangent", "jvp")},
    **{("cholesky_inverse", f): "cholesky_inverse is composed (inv, matmul) over the whole "
                                "factor given; PyTorch's reads one triangle"
       for f in ("tangent", "jvp")},
    # --- branch linalg2: forward mode through the new ops is not yet PyTorch's ---
    **{(op, f): f"PyTorch refuses forward AD through {op} (not implemented); gradsh's forward "
                "mode (from the reverse rule) gives the tangent in x"
       for op in ("igamma", "igammac") for f in ("error", "jvp", "tangent")},
    ("lu_unpack", "error"): "lu_unpack(unpack_data=False) under forward AD: PyTorch refuses the "
                            "tangent's size, gradsh fails in the rule's triu",
    ("slice_inverse", "jacfwd"): "PyTorch's vmap has no batching rule for aten::slice_inverse "
                                 "(a view op); gradsh's jacfwd gives the Jacobian (branch linalg3)",
    **{("triangular_solve", f): "triangular_solve's tangent differs from PyTorch's (gradsh's "
                                "forward mode of its reverse rule; the reverse gradients agree, "
                                "tests/core/test_linalg_more.py): to be fixed"
       for f in ("tangent", "jvp")},
}


@functools.lru_cache(maxsize=None)
def _facts(case, jacfwd):
    return fwd.run(gradsh, case, jacfwd=jacfwd)


def differences(case, jacfwd, fields=None):
    want = dict(FACTS[fwd.key(case)])
    if not jacfwd:
        want.pop("jacfwd", None)
    got = _facts(case, jacfwd)
    return sorted(f for f in set(want) | set(got) if (fields is None or f in fields)
                  and not fwd.close(got.get(f), want.get(f)))


def test_the_recorded_facts_cover_every_case():
    missing = [fwd.key(c) for c in CASES if fwd.key(c) not in FACTS]
    assert not missing, f"re-record with python tools/record_forward_ad_sweep.py: {missing[:5]}"


@pytest.mark.parametrize("name", sorted(BY_OP))
def test_tangents_match_pytorch(name):
    ignored = {field for (op, field) in KNOWN if op == name}
    found = {}
    for case in BY_OP[name]:
        jacfwd = "jacfwd" not in ignored and (FULL or (name in JACFWD_OPS and case[2] == 0))
        diff = [f for f in differences(case, jacfwd) if f not in ignored]
        if diff:
            found[fwd.key(case)] = diff
    assert not found


@pytest.mark.parametrize("name,field", [
    pytest.param(op, field, marks=pytest.mark.xfail(strict=True, reason=why))
    for (op, field), why in KNOWN.items()])
def test_known_difference(name, field):
    assert not [c for c in BY_OP[name] if differences(c, True, {field})]


def test_ops_pytorch_refuses_raise_its_error():
    fwAD = gradsh.autograd.forward_ad
    with fwAD.dual_level():
        d = fwAD.make_dual(gradsh.tensor([1.0, 2.0]), gradsh.ones(2))
        with pytest.raises(NotImplementedError, match=r"^Trying to use forward AD with "
                           r"aten::floor_divide that does not support it\.$"):
            d // 2
        with pytest.raises(NotImplementedError, match="^Trying to use forward AD with _unique2 "
                           "that does not support it because it has not been implemented yet"):
            d.unique()


def test_live_pytorch_gives_the_recorded_facts():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live sweep skipped")
    cpu_capability.skip_unless_recorded_here(torch, "forward_ad_sweep.json")
    sample = CASES if FULL else CASES[::25]
    stale = [fwd.key(c) for c in sample if fwd.run(torch, c) != FACTS[fwd.key(c)]]
    assert not stale, f"re-record with python tools/record_forward_ad_sweep.py: {stale[:5]}"
