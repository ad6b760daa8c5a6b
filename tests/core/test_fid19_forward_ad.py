"""Branch fid19: forward AD's tangents under a reverse graph. When grad mode is on and a dual
argument's primal or tangent requires grad, PyTorch's forward formulas (written with
differentiable ops) give the tangent a grad_fn; gradsh's rules now do too, with PyTorch's
node on top where the formula divides (log: self_t / self_p) or calls a backward kernel
(tanh_backward), and the divided rules' values are PyTorch's bit for bit. PyTorch is the oracle
(skipped without it)."""

import numpy as np
import pytest

import gradsh
from gradsh.autograd import forward_ad as gradsh_fwad

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for forward AD")
from torch.autograd import forward_ad as torch_fwad  # noqa: E402

OPS = ["sin", "cos", "exp", "log", "tanh", "sigmoid", "sqrt", "abs", "neg", "square",
       "reciprocal", "erf", "log1p", "expm1", "atan", "asinh", "log2", "rsqrt", "sum", "t",
       "pow2", "softplus", "sum_of_square"]


def _apply(mod, name, d):
    if name == "pow2":
        return d ** 2
    if name == "softplus":
        return mod.nn.functional.softplus(d)
    if name == "sum_of_square":
        return (d * d).sum()
    return getattr(d, name)()


def _tangent_node(mod, fwad, name, primal_grad, tangent_grad):
    x = mod.tensor([[0.3, 0.7], [0.2, 0.9]], requires_grad=primal_grad)
    v = mod.tensor([[1.0, -0.5], [0.25, 2.0]], requires_grad=tangent_grad)
    with fwad.dual_level():
        t = fwad.unpack_dual(_apply(mod, name, fwad.make_dual(x, v))).tangent
        node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
        return node, t.requires_grad, [float(f"{float(e):.5g}") for e in t.reshape(-1)]


@pytest.mark.parametrize("name", OPS)
def test_a_tangent_from_a_primal_that_requires_grad_has_pytorchs_node(name):
    assert (_tangent_node(gradsh, gradsh_fwad, name, True, False)
            == _tangent_node(torch, torch_fwad, name, True, False))


@pytest.mark.parametrize("name", ["sin", "log", "sigmoid", "pow2", "sum_of_square"])
def test_a_tangent_that_requires_grad_has_a_node_and_none_without_grad_mode(name):
    assert (_tangent_node(gradsh, gradsh_fwad, name, False, True)
            == _tangent_node(torch, torch_fwad, name, False, True))
    with gradsh.no_grad():
        assert _tangent_node(gradsh, gradsh_fwad, name, True, True)[:2] == (None, False)


def test_the_tangent_graph_reaches_the_primal():
    """backward through a tangent: d/dx sum(2 x v) = 2 v, as PyTorch."""
    grads = []
    for mod, fwad in ((gradsh, gradsh_fwad), (torch, torch_fwad)):
        x = mod.tensor([1.0, 2.0], requires_grad=True)
        with fwad.dual_level():
            t = fwad.unpack_dual((fwad.make_dual(x, mod.tensor([1.0, 3.0])) ** 2).sum()).tangent
        t.backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [2.0, 6.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["log", "log1p", "log2", "atan", "sigmoid"])
def test_divided_tangents_are_pytorchs_bits(name, dtype):
    rng = np.random.default_rng(0)
    a = (np.abs(rng.standard_normal(200)) + 0.1).astype(dtype)
    v = rng.standard_normal(200).astype(dtype)
    got = []
    for mod, fwad in ((gradsh, gradsh_fwad), (torch, torch_fwad)):
        with fwad.dual_level():
            d = fwad.make_dual(mod.from_numpy(a.copy()), mod.from_numpy(v.copy()))
            got.append(np.array(fwad.unpack_dual(getattr(d, name)()).tangent.tolist()))
    if name == "sigmoid" and dtype == "float64":
        # float64 sigmoid's primal is PyTorch's vectorised exp (a last bit in 2 of 200)
        assert np.abs(got[0] - got[1]).max() <= 4e-16 * np.abs(got[1]).max()
    else:
        assert np.array_equal(got[0], got[1])
