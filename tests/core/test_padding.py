"""F.pad (constant mode), torch.constant_pad_nd and the ConstantPad / ZeroPad modules against
PyTorch: values, strides, node names, first and second derivatives, errors and reprs."""

import numpy as np
import pytest

import gradsh as G

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for padding")

PADS = [(1, 2, 0, 1), (-1, 2), (1,) * 6, (-3, -1, 2, 0), (0, 0), (2, -1, 1, 1, 0, 1)]


def _facts(T, pad, value):
    x = T.tensor(np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32),
                 requires_grad=True)
    out = T.nn.functional.pad(x, pad, value=value)
    weights = np.arange(out.numel(), dtype=np.float32).reshape(tuple(out.shape))
    go = T.tensor(weights, requires_grad=True)
    g, = T.autograd.grad(out, x, go, create_graph=True)
    gg, = T.autograd.grad((g * g).sum(), go)
    return (tuple(out.shape), out.stride(), out.grad_fn.name(), g.grad_fn.name(),
            out.detach().numpy().tolist(), g.detach().numpy().tolist(), gg.numpy().tolist())


@pytest.mark.parametrize("pad", PADS)
def test_pad_matches_pytorch(pad):
    assert _facts(G, pad, 0.5) == _facts(torch, pad, 0.5)


@pytest.mark.parametrize("call", [
    "F.pad(x, (1,))", "F.pad(x, (1,) * 8)", "F.pad(x, (-3, -2))", "F.pad(x, (1.5, 1))",
    "F.pad(x, (1, 1), mode='foo')",
])
def test_pad_errors_match_pytorch(call):
    data = np.zeros((2, 3, 4), np.float32)
    with pytest.raises(Exception) as theirs:
        eval(call, {"F": torch.nn.functional, "x": torch.tensor(data)})
    with pytest.raises(type(theirs.value)) as ours:
        eval(call, {"F": G.nn.functional, "x": G.tensor(data)})
    assert str(ours.value).splitlines()[0] == str(theirs.value).splitlines()[0]


def test_pad_modes_not_there_say_so():
    with pytest.raises(NotImplementedError, match="mode='constant'"):
        G.nn.functional.pad(G.zeros(1, 2, 3), (1, 1), mode="reflect")


def test_pad_of_integer_and_bool_tensors_converts_the_value_as_pytorch():
    for T in (G, torch):
        assert T.nn.functional.pad(T.tensor([1, 2]), (1, 1), value=2.7).tolist() == [2, 1, 2, 2]
        assert T.nn.functional.pad(T.tensor([True]), (1, 1)).tolist() == [False, True, False]


@pytest.mark.parametrize("make", [
    lambda nn: nn.ZeroPad1d(1), lambda nn: nn.ZeroPad2d(2), lambda nn: nn.ZeroPad2d((1, 2, 3, 0)),
    lambda nn: nn.ZeroPad3d(1), lambda nn: nn.ConstantPad1d(2, 3.5),
    lambda nn: nn.ConstantPad2d((1, 0, 2, -1), -1.0), lambda nn: nn.ConstantPad3d(1, 0.0),
])
def test_pad_modules_repr_and_forward(make):
    ours, theirs = make(G.nn), make(torch.nn)
    assert repr(ours) == repr(theirs) and ours.padding == theirs.padding
    data = np.random.default_rng(1).standard_normal((2, 3, 4, 5)).astype(np.float32)
    assert np.array_equal(ours(G.tensor(data)).numpy(), theirs(torch.tensor(data)).numpy())
