"""F.pad (every mode), torch.constant_pad_nd and the padding modules against PyTorch: values,
strides, node names, first and second derivatives, errors and reprs."""

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




def _graph(t):
    names, queue, seen = [], [t.grad_fn], set()
    while queue:
        n = queue.pop(0)
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        names.append(n.name())
        queue.extend(m for m, _ in n.next_functions)
    return names


def _mode_facts(T, shape, pad, mode):
    rng = np.random.default_rng(0)
    x = T.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    out = T.nn.functional.pad(x, pad, mode)
    go = T.tensor(rng.standard_normal(tuple(out.shape)).astype(np.float32), requires_grad=True)
    g, = T.autograd.grad(out, x, go, create_graph=True)
    gg, = T.autograd.grad((g * g).sum(), go)
    return (tuple(out.shape), out.stride(), _graph(out), _graph(g), out.detach().numpy(),
            g.detach().numpy(), gg.numpy())


MODE_CASES = [((2, 5), (2, 1)), ((1, 2, 4), (-1, 3)), ((2, 3, 4, 5), (1, 2, 3, 0)),
              ((3, 4, 5), (2, 2, -1, 1)), ((1, 2, 3, 3, 4), (1, 1, 2, 0, 1, 2))]


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("shape,pad", MODE_CASES)
def test_pad_modes_match_pytorch(mode, shape, pad):
    ours, theirs = _mode_facts(G, shape, pad, mode), _mode_facts(torch, shape, pad, mode)
    # circular's double-backward graph is gradsh's CopySlices backward (docs/autograd.md)
    assert ours[:4] == theirs[:4] if mode != "circular" else ours[:3] == theirs[:3]
    for a, b in zip(ours[4:], theirs[4:]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("call", [
    "F.pad(x, (1,))", "F.pad(x, (1,) * 8)", "F.pad(x, (-3, -2))", "F.pad(x, (1.5, 1))",
    "F.pad(x, (1, 1), mode='foo')", "F.pad(x, (4, 1), 'reflect')", "F.pad(x, (1, 1, 3, 3), mode='reflect')",
    "F.pad(x, (4, 4, 3, 3), mode='reflect')", "F.pad(x[None], (0, 0, 0, 0, 2, 0), 'reflect')",
    "F.pad(x[None], (4, 0, 3, 0, 2, 0), 'reflect')",
    "F.pad(x, (5, 1), 'circular')", "F.pad(x, (1,) * 6, 'replicate')",
    "F.pad(x[0, 0], (1, 1), 'reflect')", "F.pad(x, (1, 1), 'reflect', 2.0)",
    "F.pad(x[:, :, :0], (1, 1), 'replicate')", "F.pad(x, (1, 1, 1), 'circular')",
])
def test_pad_errors_match_pytorch(call):
    data = np.zeros((2, 3, 4), np.float32)
    with pytest.raises(Exception) as theirs:
        eval(call, {"F": torch.nn.functional, "x": torch.tensor(data)})
    with pytest.raises(type(theirs.value)) as ours:
        eval(call, {"F": G.nn.functional, "x": G.tensor(data)})
    assert str(ours.value) == str(theirs.value)


def test_pad_of_integer_and_bool_tensors_converts_the_value_as_pytorch():
    for T in (G, torch):
        assert T.nn.functional.pad(T.tensor([1, 2]), (1, 1), value=2.7).tolist() == [2, 1, 2, 2]
        assert T.nn.functional.pad(T.tensor([True]), (1, 1)).tolist() == [False, True, False]


@pytest.mark.parametrize("make", [
    lambda nn: nn.ZeroPad1d(1), lambda nn: nn.ZeroPad2d(2), lambda nn: nn.ZeroPad2d((1, 2, 3, 0)),
    lambda nn: nn.ZeroPad3d(1), lambda nn: nn.ConstantPad1d(2, 3.5),
    lambda nn: nn.ConstantPad2d((1, 0, 2, -1), -1.0), lambda nn: nn.ConstantPad3d(1, 0.0),
    lambda nn: nn.ReflectionPad1d(2), lambda nn: nn.ReflectionPad2d((1, 2, 0, 1)),
    lambda nn: nn.ReflectionPad3d(1), lambda nn: nn.ReplicationPad1d((3, 0)),
    lambda nn: nn.ReplicationPad2d(2), lambda nn: nn.ReplicationPad3d((1, 0, 0, 1, 2, 1)),
    lambda nn: nn.CircularPad2d(1), lambda nn: nn.CircularPad3d((1, 0, 0, 1, 2, 1)),
])
def test_pad_modules_repr_and_forward(make):
    ours, theirs = make(G.nn), make(torch.nn)
    assert repr(ours) == repr(theirs) and ours.padding == theirs.padding
    shape = (2, 3, 4, 5, 6)[:len(ours.padding) // 2 + 2]
    data = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    assert np.array_equal(ours(G.tensor(data)).numpy(), theirs(torch.tensor(data)).numpy())


def test_circular_pad_module_checks_the_input_dims_as_pytorch():
    for T in (G, torch):
        with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
            T.nn.CircularPad1d(1)(T.zeros(1, 2, 3, 4))
