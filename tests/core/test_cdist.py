"""torch.cdist and F.pdist against PyTorch beyond the op sweep's samples: the matrix-product
path PyTorch takes for p = 2 past 25 rows (EuclideanDistBackward0 under ViewBackward0), batched
and broadcast inputs, values and gradients, and the refusals in PyTorch's words."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for cdist")


def _graph(t):
    out, queue = [], [t.grad_fn]
    while queue:
        node = queue.pop(0)
        if node is not None:
            out.append(node.name())
            queue.extend(n for n, _ in node.next_functions)
    return out


def _run(lib, fn, shapes):
    rng = np.random.default_rng(0)
    xs = [lib.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    y = fn(lib, *xs)
    grads = lib.autograd.grad(y, xs, lib.tensor(rng.standard_normal(tuple(y.shape))))
    return _graph(y), [t.detach().numpy() for t in (y, *grads)]


CASES = {
    "p=2 over 25 rows: the matrix product": (lambda t, a, b: t.cdist(a, b), [(30, 3), (4, 3)]),
    "p=2 batched broadcast, mm": (
        lambda t, a, b: t.cdist(a, b, compute_mode="use_mm_for_euclid_dist"), [(2, 3, 4), (5, 4)]),
    "p=2 over 25 rows, mm refused": (
        lambda t, a, b: t.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist"),
        [(30, 3), (4, 3)]),
    "p=1.5 batched": (lambda t, a, b: t.cdist(a, b, 1.5), [(2, 3, 4), (2, 5, 4)]),
    "pdist p=3": (lambda t, a: t.nn.functional.pdist(a, 3), [(5, 3)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cdist_matches_pytorch(name):
    fn, shapes = CASES[name]
    (ours, our_values), (theirs, their_values) = (_run(lib, fn, shapes) for lib in (gradsh, torch))
    assert ours == theirs
    for a, b in zip(our_values, their_values):  # the matrix product rounds as BLAS does
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


BAD = {
    "1-d": lambda t: t.cdist(t.ones(3), t.ones(2, 3)),
    "columns": lambda t: t.cdist(t.ones(2, 3), t.ones(2, 4)),
    "negative p": lambda t: t.cdist(t.ones(2, 3), t.ones(2, 3), -1),
    "integers": lambda t: t.cdist(t.ones(2, 3).long(), t.ones(2, 3).long()),
    "mode": lambda t: t.cdist(t.ones(2, 3), t.ones(2, 3), compute_mode="fast"),
    "dtypes": lambda t: t.cdist(t.ones(2, 3), t.ones(2, 3).double()),
    "pdist 3-d": lambda t: t.nn.functional.pdist(t.ones(2, 3, 3)),
    "pdist negative p": lambda t: t.pdist(t.ones(2, 3), -1),
    "pdist integers": lambda t: t.pdist(t.ones(2, 3).long()),
}


def _refusal(lib, make):
    with pytest.raises(Exception) as info:
        make(lib)
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name", list(BAD))
def test_refusals_have_pytorchs_class_and_words(name):
    assert _refusal(gradsh, BAD[name]) == _refusal(torch, BAD[name])
