"""What issue 15's op-sweep work changed, checked beyond the sweep's fixed samples: through the
shared checker (values, node names and graphs, gradients against PyTorch when installed, and
gradients / second derivatives against finite differences), and PyTorch's refusals."""

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op, nograd

def _f(t):
    return t.nn.functional


@pytest.mark.parametrize("name,fn,args", [
    ("layer_norm", lambda t, x, w, b: _f(t).layer_norm(x, (3,), w, b), [(2, 3), (3,), (3,)]),
    ("batch_norm", lambda t, x, w, b: _f(t).batch_norm(x, None, None, w, b, training=True),
     [(4, 3), (3,), (3,)]),
    ("conv1d", lambda t, x, w, b: _f(t).conv1d(x, w, b, padding=1), [(1, 2, 5), (3, 2, 2), (3,)]),
    ("conv2d", lambda t, x, w: _f(t).conv2d(x, w, stride=2), [(1, 1, 4, 4), (2, 1, 2, 2)]),
    ("bilinear", lambda t, a, b, w: _f(t).bilinear(a, b, w), [(2, 2), (2, 3), (2, 2, 3)]),
])
def test_composite_backward_ops_have_true_second_derivatives(name, fn, args):
    # the gradient is one node with PyTorch's name; its own derivative is gradsh's formula's,
    # checked here by finite differences of the first derivative (gradgradcheck)
    check_op(fn, *args, gradgrad=True, strides=False)


@pytest.mark.parametrize("fn,args", [
    (lambda t, a, b: t.mm(a.t(), b), [(3, 2), (3, 4)]),         # column-major mat1
    (lambda t, a, b: t.mm(a, b.t()), [(2, 3), (4, 3)]),         # column-major mat2
    (lambda t, c, a, b: t.addmm(c, a.t(), b, beta=0.5, alpha=2.0), [(2, 4), (3, 2), (3, 4)]),
    (lambda t, a, v: t.mv(a, v), [(2, 3), (3,)]),
    (lambda t, a, b: t.bmm(a, b), [(2, 2, 3), (2, 3, 1)]),
])
def test_products_differentiate_twice_as_pytorch(fn, args):
    check_op(fn, *args, gradgrad=True)


@pytest.mark.parametrize("fn,args", [
    (lambda t, x, y: t.fmod(x, y), [(5,), nograd(np.array([1.5, -2.0, 0.7, 3.0, -1.1]))]),
    (lambda t, x, y: t.remainder(x, y), [(5,), (5,)]),
    (lambda t, x, y: t.div(x, y, rounding_mode=None), [(3,), (3,)]),  # DivBackward2
    (lambda t, x, y: x.div(y, rounding_mode="floor") + x, [(3,), (3,)]),
    (lambda t, x: t.nansum(x, 1), [(2, 3)]),
    (lambda t, x: t.repeat_interleave(x, 2, dim=1), [(2, 3)]),
    (lambda t, x: t.repeat_interleave(x, t.tensor([1, 0, 2]), dim=1), [(2, 3)]),
    (lambda t, x: t.tensor_split(x, [1, -1], dim=1), [(2, 4)]),
    (lambda t, x: t.masked_select(x, t.tensor([[True], [False]])), [(2, 3)]),
    (lambda t, x: x.sort(stable=True, descending=True)[0], [(5,)]),
    (lambda t, x, y: t.pow(x, y), [(4,), (4,)]),
    (lambda t, x: x.std(0), [(3, 2)]),
    (lambda t, x: x.norm(3, dim=1), [(2, 3)]),
])
def test_ops_match_pytorch_to_second_order(fn, args):
    check_op(fn, *args, domain=(0.2, 2.0), gradgrad=True)


@pytest.mark.parametrize("fill", ["uniform_()", "normal_()", "bernoulli_(0.5)",
                                  "exponential_()", "random_(0, 5)"])
def test_a_random_fill_of_a_view_is_a_node_with_a_zero_gradient(fill):
    for torch in [gradsh] + ([TORCH] if TORCH is not None else []):
        leaf = torch.ones(2, 3, requires_grad=True)
        y = leaf * 1
        eval(f"y[0].{fill}", {"y": y})
        assert y.grad_fn.name() == "torch::autograd::CopySlices"
        (g,) = torch.autograd.grad(y.sum(), leaf)
        assert g.tolist() == [[0.0] * 3, [1.0] * 3]  # zero for the filled row


@pytest.mark.parametrize("expr,error,message", [
    ("torch.div(x, x, rounding_mode='round')", RuntimeError,
     "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'"),
    ("torch.flip(x, 0)", TypeError,
     "flip(): argument 'dims' (position 2) must be tuple of ints, not int"),
    ("torch.permute(x, 1, 0)", TypeError, "permute() takes 2 positional arguments but 3 were given"),
    ("x.where(1.0, x)", TypeError, "where() received an invalid combination of arguments - got "
     "(float, Tensor), but expected one of:"),
    ("x.repeat_interleave(-1)", RuntimeError, "Repeats must be non-negative"),
    ("torch.tensor_split(x, 0)", RuntimeError, "number of sections must be larger than 0, got 0"),
    ("torch.masked_select(x, torch.tensor([1, 0]))", RuntimeError,
     "masked_select: expected BoolTensor for mask"),
])
def test_pytorchs_refusals(expr, error, message):
    for torch in [gradsh] + ([TORCH] if TORCH is not None else []):
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        with pytest.raises(error) as e:
            eval(expr, {"torch": torch, "x": x})
        assert str(e.value).splitlines()[0] == message


def test_matmul_in_place_operator_rebinds_as_in_pytorch():
    x = gradsh.ones(2, 2)
    y = x
    y @= gradsh.ones(2, 2)
    assert y is not x and x.tolist() == [[1.0, 1.0], [1.0, 1.0]] and y.tolist() == [[2.0, 2.0]] * 2


@pytest.mark.parametrize("loss", ["huber_loss(x * w, y, delta=0.5)", "smooth_l1_loss(x * w, y)",
                                  "mse_loss(x * w, y)", "binary_cross_entropy((x * w).sigmoid(), y.abs() / 3)"])
def test_third_derivatives_of_the_losses_record_pytorchs_nodes(loss):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live comparison skipped")
    from op_sweep_cases import graph

    def third(T):
        x = T.tensor([0.1, -0.4, 0.6, 0.3], dtype=T.float64, requires_grad=True)
        y = T.tensor([1.0, 2.0, -2.0, 0.5], dtype=T.float64)
        w = T.tensor(0.9, dtype=T.float64, requires_grad=True)
        out = eval(f"T.nn.functional.{loss}", {"T": T, "x": x, "y": y, "w": w})
        (g,) = T.autograd.grad(out, x, create_graph=True)
        (gg,) = T.autograd.grad((g * g).sum(), w, create_graph=True)
        return graph(gg), gg.item()

    names, value = third(gradsh)
    want_names, want_value = third(torch)
    assert names == want_names
    assert value == pytest.approx(want_value, rel=1e-12)
