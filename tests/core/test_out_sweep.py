"""`out=` on every torch.* function whose PyTorch signature has it (issue 16, round 10): the
list in gradsh/core/ops/out.py is the signatures' list, and each function with `out=` does what
PyTorch 2.13 does (tests/data/out_sweep.json, recorded by tools/record_out_sweep.py): the same
values into an empty out, PyTorch's resize warning for an out of the wrong size, the error for
an out requiring grad, of the wrong dtype, or aliasing an input; KNOWN lists, case by case, the
functions where gradsh still differs."""

import json
import pathlib
import sys
import warnings

import pytest

import gradsh as torch
from gradsh.core.bindings import TORCH_FUNCTIONS, load_all
from gradsh.core.ops.out import OUT_FUNCTIONS

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FACTS = json.loads((ROOT / "tests" / "data" / "out_sweep.json").read_text())["facts"]
sys.path.insert(0, str(ROOT / "tools"))
import record_out_sweep as recorder  # noqa: E402 - the same calls, made with gradsh

# where gradsh still differs, by case (a new difference, or one that went away, fails):
# "empty"/"wrong_size": PyTorch refuses out= in the overload called (argsort, median; sum's
# and prod's refusal are PyTorch's since branch gaps15) or computes the cholesky family from
# the lower triangle where gradsh's inputs differ (column_stack of vectors); "requires_grad": PyTorch's composite ops say an inner op's
# own error (quantile, matrix_power: "a leaf Variable that requires grad..."); "wrong_dtype":
# PyTorch's per-op words ("Found dtype Long but expected Float", "Expected out tensor to have
# dtype long int") where gradsh gives the general casting rule's (amax, amin, argmax, argmin,
# logsumexp and the casting cumsum/cumprod are PyTorch's since branch adv3a); "alias_first":
# PyTorch's kernels read an input while writing it (mm(x, x, out=x) gives what its order of
# writes gives), or check the out's dtype first (argmax/argmin: gradsh too since adv3a)
KNOWN = {
    'wrong_dtype': frozenset((
        'abs absolute addmm aminmax argsort bucketize cat ceil cholesky_inverse '
        'cholesky_solve column_stack concat concatenate cross cummax cummin diag dot '
        'dstack fix float_power floor frac frexp gather hardshrink heaviside histc '
        'histogram hstack inverse kthvalue ldexp lerp log_softmax logcumsumexp matmul '
        'matrix_power max mean median min mm mode msort multinomial mv mvlgamma '
        'nan_to_num nanmean nanquantile nansum neg negative nonzero qr quantile '
        'round row_stack scatter scatter_add searchsorted sgn sign slice_scatter '
        'slogdet softmax sort stack svd take take_along_dim topk tril triu trunc '
        'vdot vstack where ').split()),
    'alias_first': frozenset((
        'addmm all amax amin any argsort bucketize cholesky_inverse '
        'cholesky_solve cross dot float_power gather histc histogram isin isneginf '
        'isposinf matmul max mean median min mm multinomial mv nanmean nanquantile nansum '
        'nonzero qr quantile scatter scatter_add searchsorted signbit slogdet sort '
        'std svd take take_along_dim var vdot where').split()),
    'empty': frozenset((
        'argsort cholesky_inverse cholesky_solve median where').split()),
    'wrong_size': frozenset((
        'argsort cholesky_inverse cholesky_solve kthvalue median mode multinomial '
        'where').split()),
    'requires_grad': frozenset((
        'argsort histc matrix_power median nanquantile quantile '
        'where').split()),
}
# the names that took out= at the merge of branches aliases and linalg2 (2026-12-04): the copy
# family's and triangular_solve's dtype checks are PyTorch's per-op words ("Expected out tensor
# to have dtype float"); torch.bernoulli(x, p, out=) and nanmedian(x, out=) match none of
# PyTorch's overloads (its out= forms take no p, and need dim), which gradsh runs;
# nuclear_norm's out= goes through an in-place copy in PyTorch (the leaf's message);
# split_copy/unbind_copy take a tuple of outs, which the sweep's single out is not
# the names that took out= at the merge of branches complex and linalg3 (2026-12-04, second
# session): a complex result written into a real out= says gradsh's cast message where
# PyTorch's says "Expected object of scalar type ComplexFloat"; conj_physical and
# frobenius_norm go through other ATen paths (a copy, at::norm) with their own words for a
# wrong dtype, an out= that requires grad and an out= aliasing the input
_NEW = {
    'wrong_dtype': 'alias_copy bernoulli detach_copy diagonal_copy nanmedian nuclear_norm '
                   'select_copy slice_copy split_copy squeeze_copy t_copy transpose_copy '
                   'triangular_solve unbind_copy unsqueeze_copy complex polar conj_physical '
                   'frobenius_norm',
    'alias_first': 'bernoulli nanmedian complex polar frobenius_norm',
    'empty': 'bernoulli nanmedian split_copy unbind_copy',
    'requires_grad': 'bernoulli nanmedian nuclear_norm split_copy conj_physical frobenius_norm',
    'wrong_size': 'bernoulli nanmedian split_copy unbind_copy'}
KNOWN = {case: names | frozenset(_NEW.get(case, '').split()) for case, names in KNOWN.items()}
# the functions whose results are random draws (gradsh's stream is PyTorch's only from the same
# seed, and the recording's seed was not kept): compared by dtype and shape
DRAWN = {"multinomial"}
# the calls gradsh refuses where PyTorch runs them
REFUSED = {"inner": "gradsh's inner is dot's alias, for vectors only"}


def test_the_out_functions_are_the_signatures_with_out():
    names = set()
    for line in (ROOT / "gradsh" / "core" / "signatures.txt").read_text().splitlines():
        if line.startswith("#"):
            continue
        name, *sigs = line.split("\t")
        surface, _, n = name.partition(".")
        if surface == "torch" and any(" out=None" in s and "|deprecated" not in s for s in sigs):
            names.add(n)
    # the registry's functions (the factories, arange to randperm, take out= themselves)
    # (and torch.norm, a Python function in PyTorch whose signature takes out=)
    load_all()  # the first-use op modules' functions too (gradsh/core/ops_index.py)
    assert OUT_FUNCTIONS - {"addmv", "norm"} == {n for n in names if n in TORCH_FUNCTIONS}


def _mine(name):
    recorder.torch = torch
    try:  # PyTorch's call, whatever gradsh makes of the candidates before it
        return recorder.record(name, FACTS[name]["call"][len("torch.%s(" % name):-1])
    finally:
        recorder.torch = sys.modules.get("torch", torch)


@pytest.mark.parametrize("name", sorted(n for n, f in FACTS.items()
                                         if f["cases"] and n not in REFUSED))
def test_out_does_what_pytorch_does(name):
    theirs = FACTS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call, mine = _mine(name)
    assert call == theirs["call"], "gradsh refuses the call PyTorch runs"
    differ = sorted(case for case, t in theirs["cases"].items()
                    if not _same(case, t, mine[case], name))
    assert differ == sorted(c for c, names in KNOWN.items() if name in names), "\n".join(
        "%s\n  torch:  %s\n  gradsh: %s" % (c, theirs["cases"][c], mine[c]) for c in differ)


def _same(case, t, m, name=None):
    if t[0] == "ok" and m[0] == "ok":
        if name in DRAWN:  # (the values are random draws: their dtypes and shapes)
            return [o[:2] for o in t[1]] == [o[:2] for o in m[1]] and t[2] == m[2]
        return _rounded(t) == _rounded(m)
    return t == m


def _rounded(o):
    def r(v):
        if isinstance(v, float):
            return round(v, 4) if v == v else "nan"
        if isinstance(v, list):
            return [r(x) for x in v]
        return v
    return [o[0], r(o[1]), o[2]]
