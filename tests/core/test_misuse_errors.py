"""Misuse PyTorch refuses, refused with PyTorch's words: loss targets of the wrong dtype,
integer outputs of custom Functions, integer trunc division, index errors of index_select,
gather and scatter, dtypes named as PyTorch's messages name them (`long int`)."""

import pytest

import gradsh


def attempts(torch):
    F = torch.nn.functional
    x = torch.tensor([[0.1, 0.2, 0.3, 0.4], [1., 2., 3., 4.], [-1., 0., 1., 2.]],
                     requires_grad=True)
    emb = torch.tensor([[0.5, 1.], [2., 3.], [4., 5.]])
    return [
        lambda: F.nll_loss(x.log_softmax(1), torch.tensor([0., 1., 2.])),
        lambda: F.cross_entropy(x, torch.tensor([0., 1., 2.])),
        lambda: F.cross_entropy(x, torch.tensor([0, 1, 2], dtype=torch.int32)),
        lambda: F.cross_entropy(x, torch.zeros(3, 4, dtype=torch.long)),
        lambda: F.nll_loss(x.log_softmax(1), torch.tensor([0, 1, 2], dtype=torch.uint8)),
        lambda: F.cross_entropy(torch.tensor([1., 2., 3.]), torch.tensor(1.)),
        lambda: torch.div(torch.tensor([7, -7, 6, -6]), 2, rounding_mode="trunc"),
        lambda: torch.div(torch.tensor([7, -7]), torch.tensor([2, -2]), rounding_mode="trunc"),
        lambda: torch.div(torch.tensor([7, -7], dtype=torch.int32), 2.5, rounding_mode="trunc"),
        lambda: torch.div(torch.tensor([7, -7], dtype=torch.int32), torch.tensor(2),
                          rounding_mode="trunc"),
        lambda: torch.div(torch.tensor([2 ** 62 + 1]), 1, rounding_mode="trunc"),
        lambda: torch.div(torch.tensor([7., -7.]), 2, rounding_mode="trunc"),
        lambda: torch.index_select(emb, 0, torch.tensor([7])),
        lambda: emb.index_select(0, torch.tensor([-1])),
        lambda: emb.index_select(1, torch.tensor([1, 0], dtype=torch.int32)),
        lambda: emb.index_select(0, torch.tensor([1.])),
        lambda: torch.gather(emb, 1, torch.tensor([[0.]])),
        lambda: torch.gather(emb, 1, torch.tensor([[9]])),
        lambda: torch.gather(emb, 0, torch.tensor([[-1]])),
        lambda: torch.gather(emb, 1, torch.tensor([[1], [0]], dtype=torch.int32)),
        lambda: torch.autograd.grad([x.sum()], []),
        lambda: torch.ones("a"), lambda: torch.ones(2, "a"), lambda: torch.zeros((2, 1.5)),
        lambda: torch.rand(2.5), lambda: torch.randn(None), lambda: torch.empty("x"),
        lambda: torch.full("a", 1.0),
        lambda: setattr(torch.ones(2, requires_grad=True), "data", torch.ones(3, dtype=torch.long)),
        lambda: setattr(torch.ones(2), "data", torch.ones(3, dtype=torch.long)),
    ] + [f for dt in ("int64", "int32", "int16", "int8", "uint8", "float32", "float64") for f in (
        lambda dt=dt: torch.ones(2).masked_fill(torch.tensor([1, 0], dtype=getattr(torch, dt)), 0.),
        lambda dt=dt: torch.zeros(3).scatter_add(0, torch.tensor([0], dtype=getattr(torch, dt)),
                                                 torch.ones(1)),
        lambda dt=dt: torch.zeros(3).scatter(0, torch.tensor([1], dtype=getattr(torch, dt)), 1.))]


def outcome(f):
    try:
        return ("ok", repr(f()))
    except Exception as e:   # noqa: BLE001 - the type is part of what is compared
        return (type(e).__name__, str(e))


def test_misuse_is_refused_as_pytorch_refuses_it():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert [outcome(f) for f in attempts(gradsh)] == [outcome(f) for f in attempts(real)]


def custom_function_outputs(torch):
    class ToLong(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x * 3).long(), x * 2

        @staticmethod
        def backward(ctx, g, h):
            return h

    x = torch.ones(2, requires_grad=True)
    a, b = ToLong.apply(x)
    b.sum().backward()
    return [repr(a), a.requires_grad, a.grad_fn is None, repr(b), repr(x.grad)]


def test_integer_output_of_a_custom_function_is_not_differentiable():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert custom_function_outputs(gradsh) == custom_function_outputs(real)
    assert custom_function_outputs(gradsh)[1:3] == [False, True]
