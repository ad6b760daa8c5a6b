"""F.unfold / F.fold and Unfold / Fold against PyTorch beyond the op sweep's samples: larger
overlapping blocks bit for bit (fold adds in PyTorch's col2im order), the modules' reprs, and
the refusals in PyTorch's words."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for fold and unfold")


def _run(lib, dtype):
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((2, 3, 7, 6)).astype(dtype), requires_grad=True)
    cols = lib.nn.Unfold((3, 2), dilation=(1, 2), padding=1, stride=(2, 1))(x)
    out = lib.nn.Fold((7, 6), (3, 2), dilation=(1, 2), padding=1, stride=(2, 1))(cols * 1.5)
    grad, = lib.autograd.grad(out, x, lib.tensor(rng.standard_normal((2, 3, 7, 6)).astype(dtype)))
    return [t.detach().numpy() for t in (cols, out, grad)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unfold_then_fold_matches_pytorch_bit_for_bit(dtype):
    for a, b in zip(_run(gradsh, dtype), _run(torch, dtype)):
        np.testing.assert_array_equal(a, b)


def test_modules_print_as_pytorchs():
    for make in (lambda nn: nn.Unfold((2, 3), padding=1), lambda nn: nn.Fold((4, 5), 2, stride=2)):
        assert repr(make(gradsh.nn)) == repr(make(torch.nn))


BAD = {
    "blocks": lambda F, r: F.unfold(r(2, 3, 4), 5),
    "unfold rank": lambda F, r: F.unfold(r(2, 2, 2, 4, 4), 2),
    "unfold 2-d": lambda F, r: F.unfold(r(3, 4), 2),
    "kernel": lambda F, r: F.unfold(r(1, 2, 4, 4), 0),
    "stride": lambda F, r: F.unfold(r(1, 2, 4, 4), 2, stride=0),
    "dilation": lambda F, r: F.unfold(r(1, 2, 4, 4), 2, dilation=0),
    "padding": lambda F, r: F.unfold(r(1, 2, 4, 4), 2, padding=-1),
    "fold blocks": lambda F, r: F.fold(r(1, 12, 6), (4, 4), 2),
    "fold divisible": lambda F, r: F.fold(r(1, 13, 9), (4, 4), 2),
    "fold rank": lambda F, r: F.fold(r(2, 2, 12, 9), (4, 4), 2),
}


def _refusal(lib, make):
    with pytest.raises(Exception) as info:
        make(lib.nn.functional, lambda *shape: lib.ones(*shape))
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name", list(BAD))
def test_refusals_have_pytorchs_class_and_words(name):
    assert _refusal(gradsh, BAD[name]) == _refusal(torch, BAD[name])
