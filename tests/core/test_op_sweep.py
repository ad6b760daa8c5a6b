"""The op sweep, PyTorch's OpInfo in spirit: every op of the registry, through every surface it
declares, on samples with zeros, negatives, ties, empty and non-contiguous tensors, in float32
and float64 (and int64 / bool where the op takes them), against PyTorch 2.13's facts in
tests/data/op_sweep.json (recorded by tools/record_op_sweep.py; the samples and what is
compared are tests/data/op_sweep_cases.py): values, dtype, shape, the raised exception's class,
the backward graph's node names, the gradients, the double-backward graph's node names and the
grad-of-grad. No torch needed; the live test re-runs PyTorch when it is installed."""

import functools
import json
import math
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
import op_sweep_cases as sweep  # noqa: E402

FACTS = json.loads((DATA / "op_sweep.json").read_text())["facts"]
CASES = sweep.cases(OPS)
BY_OP = {}
for _case in CASES:
    BY_OP.setdefault(_case[0], []).append(_case)

# float values agree within a few units in the last place (the last bit is checked by the
# kernels' own tests: tests/core/test_sum_order.py, test_pow_kernel.py, ...)
GRAD_FIELDS = {"grad", "grad_graph", "grad_node", "gg"}
TOLERANCE = {"float32": 2e-6, "float64": 1e-13}

# Known differences (docs/autograd.md, "The op sweep's known differences"): (op, field) -> why.
# The sweep of the op ignores that field; test_known_difference checks it and fails (strict
# xfail). Since issue 15's sweep work every fact of every case is PyTorch's but these:
KNOWN = {
    (op, fact): f"{op}_ records {op.capitalize()}Backward0 and has a gradient; PyTorch records "
                f"{op.capitalize()}Backward1, whose backward raises NotImplementedError"
    for op in ("asinh", "acosh", "atanh") for fact in ("graph", "grad_error")}
KNOWN.update({  # the same through the torch-level in-place functions (branch torchbreadth)
    (name + "_", fact): f"torch.{name}_ records {op.capitalize()}Backward0 and has a gradient; "
                        f"PyTorch records {op.capitalize()}Backward1"
    for op, names in (("asinh", ("asinh", "arcsinh")), ("acosh", ("acosh", "arccosh")),
                      ("atanh", ("atanh", "arctanh")))
    for name in names for fact in ("graph", "grad_error")})
KNOWN[("grid_sample", "grad_error")] = (
    "grid_sample's second derivative: gradsh raises 'derivative for aten::grid_sampler_2d_backward "
    "is not implemented'; PyTorch differentiates its backward (docs/autograd.md, branch nnmore)")
KNOWN[("group_norm", "grad_graph")] = (
    "group_norm's gradient under create_graph is gradsh's composition (mean, rsqrt, ...), not "
    "PyTorch's infinitely_differentiable_native_group_norm_backward (values agree)")
KNOWN.update({
    ("dist", fact): "dist(p=inf)'s double-backward graph has a ToCopyBackward0 node more than "
                    "PyTorch's (the same values)" for fact in ("grad_graph", "grad_node")})
KNOWN.update({
    ("logcumsumexp", fact): "the gradient of an empty logcumsumexp is recorded (PyTorch's "
                            "backward of an empty input records nothing)"
    for fact in ("gg", "grad_graph", "grad_node")})

# branch torchbreadth: compositions whose double-backward graphs list PyTorch's nodes in another
# order (the same nodes where the order differs and the same grad-of-grad values)
KNOWN.update({
    (op, "grad_graph"): f"{op}'s gradient graph under create_graph orders some nodes otherwise "
                        "than PyTorch's (an engine ordering of the reduction of broadcast "
                        "gradients; the values agree)"
    for op in ("trapezoid", "cumulative_trapezoid", "corrcoef")})
# branch missing: embedding_bag with per_sample_weights under create_graph
KNOWN.update({
    ("embedding_bag", fact): "embedding_bag's gradients record no graph; with per_sample_weights "
                             "PyTorch records EmbeddingBagBackwardBackward0 for the weight's and "
                             "a NotImplemented node for per_sample_weights' (the same first-order "
                             "values)"
    for fact in ("grad_error",)})
# --- linalg --- (docs/autograd.md, "Linear algebra")
KNOWN.update({
    ("det", fact): "det's gradient under create_graph is grad * det * A^-T with gradsh's ops: "
                   "PyTorch solves with diag_embed (other nodes, the same values)"
    for fact in ("grad_graph", "grad_node")})
KNOWN.update({
    (op, fact): f"{op}'s backward is written with gradsh's ops in another order than PyTorch's "
                "(svd: the diagonal by a product with the identity, not a copy; qr: through "
                "linalg.solve, not solve_triangular); the same values"
    for op in ("svd", "qr") for fact in ("grad_graph", "grad_node")})
KNOWN.update({
    ("svd", fact): "singular vectors are unique up to sign: numpy's LAPACK build (OpenBLAS) "
                   "chose other signs than PyTorch's (MKL) for the 2 x 3 sample"
    for fact in ("out", "grad", "gg")})
KNOWN.update({
    (op, fact): f"{op} is composed (solve, inv, svd) where PyTorch records one node of its own; "
                "the same values"
    for op in ("cholesky_solve", "cholesky_inverse", "pinverse")
    for fact in ("graph", "grad_graph", "grad_node")
    if (op, fact) != ("pinverse", "graph")})  # (pinv records LinalgPinvBackward0: cplxdist)
KNOWN.update({
    ("matrix_exp", fact): "matrix_exp is the [13/13] Pade approximant with scaling and "
                          "squaring, PyTorch's a Taylor polynomial of chosen degree: float32 "
                          "results differ in the last bits (up to ~4e-6 relative)"
    for fact in ("grad", "gg")})

KNOWN.update({  # branch linalg2 (docs/autograd.md, "Linear algebra")
    (op, "grad_graph"): f"{op}'s rule is PyTorch's formula on gradsh's ops, recorded in another "
                        "order (lu_solve's gradient in LU goes through the gradient in A and "
                        "matrix products, not two triangular solves); the same values"
    for op in ("lu", "lu_solve")})
KNOWN[("renorm", "grad_graph")] = (
    "renorm's rule is PyTorch's renorm_backward on gradsh's ops, recorded in another order "
    "(its norm through gradsh's norm, not linalg_vector_norm); the same values")
KNOWN.update({
    ("nuclear_norm", fact): "nuclear_norm with keepdim is linalg.matrix_norm('nuc'), whose "
                            "keepdim unsqueezes twice (PyTorch once, to the same shape); the "
                            "same values" for fact in ("graph", "grad_graph")})
KNOWN.update({  # branch linalg2 (docs/autograd.md, "torch.special")
    (op, "out"): f"{op} is computed to float64 precision (within 1e-12 of mpmath, "
                 "tests/core/test_bessel.py); PyTorch 2.13's kernel is off by up to 2e-7 "
                 "relative between 2 and 25"
    for op in ("bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1")})


def _close(a, b, tol):
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and tol:
        return a == b or math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    return a == b and type(a) is type(b)


@functools.lru_cache(maxsize=None)
def _gradsh_facts(case):
    return sweep.run(gradsh, case)  # (read-only: the op test and the xfails share it)


def differences(case, fields=None):
    """The fields of one case where gradsh differs from PyTorch's recorded facts."""
    want = FACTS[sweep.key(case)]
    got = _gradsh_facts(case)
    tol = TOLERANCE.get(case[3], TOLERANCE["float32"])
    names = set(want) | set(got)
    for first in ("error", "grad_error"):  # what follows a different exception is not compared
        if got.get(first) != want.get(first):
            names = {first} if first == "error" else names - GRAD_FIELDS
    return sorted(f for f in names if (fields is None or f in fields)
                  and not _close(got.get(f), want.get(f), tol))


def _ignored(name):
    return {field for (op, field) in KNOWN if op == name}


def test_the_recorded_facts_cover_every_case():
    missing = [sweep.key(c) for c in CASES if sweep.key(c) not in FACTS]
    assert not missing, f"re-record with python tools/record_op_sweep.py: {missing[:5]}"


def test_every_op_has_samples_that_fit_it():
    """An op without an entry in SAMPLES is swept with the unary samples: at least one of them
    must run (else give it samples in tests/data/op_sweep_cases.py)."""
    names = {o.name for o in OPS}
    named = {k.split("|")[0] for k in sweep.SAMPLES}  # ("unfold|method": one surface's samples)
    assert not named - names, "samples for ops the registry does not declare"
    assert not set(sweep.NOT_SWEPT) - names
    unfit = [n for n, cases in BY_OP.items() if n not in sweep.SAMPLES
             and all("error" in FACTS[sweep.key(c)] for c in cases)]
    assert not unfit


@pytest.mark.parametrize("name", sorted(BY_OP))
def test_op_matches_pytorch(name):
    ignored = _ignored(name)
    found = {}
    for case in BY_OP[name]:
        diff = [f for f in differences(case) if f not in ignored]
        if diff:
            found[sweep.key(case)] = diff
    assert not found


@pytest.mark.parametrize("name,field", [
    pytest.param(op, field, marks=pytest.mark.xfail(strict=True, reason=why))
    for (op, field), why in KNOWN.items()])
def test_known_difference(name, field):
    assert not [c for c in BY_OP[name] if differences(c, {field})]


def test_live_pytorch_gives_the_recorded_facts():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live sweep skipped")
    cpu_capability.skip_unless_recorded_here(torch, "op_sweep.json")
    sample = CASES if _full() else CASES[::25]
    stale = [sweep.key(c) for c in sample if sweep.run(torch, c) != FACTS[sweep.key(c)]]
    assert not stale, f"re-record with python tools/record_op_sweep.py: {stale[:5]}"


def _full():
    import os
    return bool(os.environ.get("GRADSH_FULL_SWEEP"))
