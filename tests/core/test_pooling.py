"""max_pool2d / avg_pool2d and their modules against PyTorch: values bit for bit, indices,
gradients (first and second order), node names, error messages and reprs over a small sweep."""

import numpy as np
import pytest

import gradsh as G
import gradsh.nn.functional as GF

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for pooling")
TF = torch.nn.functional

# (input shape, kwargs): kernel/stride/padding/dilation/ceil_mode as PyTorch takes them
MAX_CASES = [
    ((1, 1, 6, 6), dict(kernel_size=2)),
    ((2, 3, 7, 5), dict(kernel_size=(3, 2), stride=(2, 1), padding=1)),
    ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((2, 1, 9, 8), dict(kernel_size=2, stride=1, dilation=2)),
    ((1, 1, 8, 8), dict(kernel_size=3, stride=3, dilation=(1, 2), padding=(1, 0),
                        ceil_mode=True)),
    ((3, 5, 5), dict(kernel_size=2, stride=None)),
]
AVG_CASES = [
    ((1, 1, 6, 6), dict(kernel_size=2)),
    ((2, 3, 7, 5), dict(kernel_size=(3, 2), stride=(2, 1), padding=1)),
    ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                        count_include_pad=False)),
    ((2, 1, 6, 9), dict(kernel_size=3, stride=1, padding=1, divisor_override=5)),
    ((3, 5, 5), dict(kernel_size=2, stride=1)),
]


def _pair(shape, seed, ties=False):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal(shape).astype(np.float32)
    if ties:
        data = np.round(data)  # many equal maxima: PyTorch keeps the first in scan order
    return (G.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True))


def _check_grads(gx, tx, gy, ty, seed):
    gout = np.random.default_rng(seed + 1).standard_normal(ty.shape).astype(np.float32)
    gg_out, tg_out = G.tensor(gout, requires_grad=True), torch.tensor(gout, requires_grad=True)
    g1, = G.autograd.grad(gy, gx, gg_out, create_graph=True)
    t1, = torch.autograd.grad(ty, tx, tg_out, create_graph=True)
    assert np.array_equal(g1.detach().numpy(), t1.detach().numpy())
    assert g1.grad_fn.name() == t1.grad_fn.name()
    w = np.random.default_rng(seed + 2).standard_normal(tuple(tx.shape)).astype(np.float32)
    ours = G.autograd.grad((g1 * G.tensor(w)).sum(), (gx, gg_out), allow_unused=True)
    theirs = torch.autograd.grad((t1 * torch.tensor(w)).sum(), (tx, tg_out), allow_unused=True)
    for o, t in zip(ours, theirs):  # zeros for the input (None after a mean), the window
        assert (o is None) == (t is None)  # gather for grad_output
        assert t is None or np.array_equal(o.numpy(), t.numpy())


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("case", range(len(MAX_CASES)))
def test_max_pool2d_matches_pytorch(case, ties):
    shape, kw = MAX_CASES[case]
    gx, tx = _pair(shape, case, ties)
    gy, gi = GF.max_pool2d(gx, return_indices=True, **kw)
    ty, ti = TF.max_pool2d(tx, return_indices=True, **kw)
    assert np.array_equal(gy.detach().numpy(), ty.detach().numpy())
    assert np.array_equal(gi.numpy(), ti.numpy()) and gi.dtype == G.int64
    assert gy.grad_fn.name() == ty.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    _check_grads(gx, tx, gy, ty, case)


@pytest.mark.parametrize("case", range(len(AVG_CASES)))
def test_avg_pool2d_matches_pytorch(case):
    shape, kw = AVG_CASES[case]
    gx, tx = _pair(shape, 10 + case)
    gy, ty = GF.avg_pool2d(gx, **kw), TF.avg_pool2d(tx, **kw)
    assert np.array_equal(gy.detach().numpy(), ty.detach().numpy())
    assert gy.grad_fn.name() == ty.grad_fn.name() == "AvgPool2DBackward0"
    _check_grads(gx, tx, gy, ty, 10 + case)


def test_max_pool2d_nan_and_minus_inf_windows():
    data = np.array([[[[1.0, np.nan, 2.0, np.nan],
                       [np.nan, 0.0, -np.inf, -np.inf],
                       [3.0, 3.0, 5.0, 5.0],
                       [3.0, 1.0, 5.0, 6.0]]]], np.float32)
    gy, gi = GF.max_pool2d(G.tensor(data), 2, return_indices=True)
    ty, ti = TF.max_pool2d(torch.tensor(data), 2, return_indices=True)
    assert np.array_equal(gy.numpy(), ty.numpy(), equal_nan=True)
    assert np.array_equal(gi.numpy(), ti.numpy())
    allinf = np.full((1, 1, 2, 2), -np.inf, np.float32)
    gy, gi = GF.max_pool2d(G.tensor(allinf), 2, padding=1, return_indices=True)
    ty, ti = TF.max_pool2d(torch.tensor(allinf), 2, padding=1, return_indices=True)
    assert np.array_equal(gi.numpy(), ti.numpy())


@pytest.mark.parametrize("call", [
    lambda F, x: F.max_pool2d(x, 5),
    lambda F, x: F.avg_pool2d(x, 5),
    lambda F, x: F.max_pool2d(x, 2, padding=2),
    lambda F, x: F.avg_pool2d(x, 2, padding=2),
    lambda F, x: F.max_pool2d(x[0, 0, 0], 2),
])
def test_pool_errors_match_pytorch(call):
    data = np.zeros((1, 1, 4, 4), np.float32)
    with pytest.raises(RuntimeError) as theirs:
        call(TF, torch.tensor(data))
    with pytest.raises(RuntimeError) as ours:
        call(GF, G.tensor(data))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("make", [
    lambda nn: nn.MaxPool2d(2),
    lambda nn: nn.MaxPool2d((2, 3), 1, 1, ceil_mode=True),
    lambda nn: nn.AvgPool2d(3, stride=2, padding=1),
    lambda nn: nn.AvgPool2d(3, divisor_override=2),
    lambda nn: nn.MaxPool1d(3, 2, 1),
    lambda nn: nn.MaxPool3d((2, 3, 1), padding=(1, 1, 0)),
    lambda nn: nn.AvgPool1d(3, padding=1, count_include_pad=False),
    lambda nn: nn.AvgPool3d(2, ceil_mode=True),
    lambda nn: nn.AdaptiveAvgPool1d(3),
    lambda nn: nn.AdaptiveAvgPool2d((None, 4)),
    lambda nn: nn.AdaptiveAvgPool3d(2),
    lambda nn: nn.AdaptiveMaxPool1d(4),
    lambda nn: nn.AdaptiveMaxPool2d(3, return_indices=True),
    lambda nn: nn.AdaptiveMaxPool3d((1, 2, 3)),
])
def test_pool_modules_repr_and_forward(make):
    ours, theirs = make(G.nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    shape = (2, 7, 6) if type(ours).__name__.endswith("1d") else (2, 2, 7, 6)
    data = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    got, want = ours(G.tensor(data)), theirs(torch.tensor(data))
    for g, t in zip(*((got, want) if isinstance(want, tuple) else ((got,), (want,)))):
        assert np.array_equal(g.numpy(), t.numpy())


# (op, input shape, kwargs): the 1d and 3d pools, and the adaptive ones (their uneven windows)
ND_CASES = [
    ("max_pool1d", (2, 3, 9), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ("max_pool1d", (3, 8), dict(kernel_size=2, dilation=2)),
    ("max_pool3d", (1, 2, 5, 6, 4), dict(kernel_size=2)),
    ("max_pool3d", (2, 4, 5, 7), dict(kernel_size=(3, 2, 2), stride=(2, 1, 2), padding=1,
                                      dilation=(1, 2, 1), ceil_mode=True)),
    ("avg_pool1d", (2, 3, 9), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                                   count_include_pad=False)),
    ("avg_pool1d", (3, 8), dict(kernel_size=4, padding=2)),
    ("avg_pool3d", (1, 2, 5, 6, 4), dict(kernel_size=2)),
    ("avg_pool3d", (2, 4, 5, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ("avg_pool3d", (1, 1, 4, 5, 6), dict(kernel_size=(2, 3, 2), padding=1, divisor_override=7)),
    ("adaptive_avg_pool1d", (2, 3, 10), dict(output_size=4)),
    ("adaptive_avg_pool2d", (2, 3, 7, 10), dict(output_size=(3, 4))),
    ("adaptive_avg_pool2d", (3, 5, 6), dict(output_size=(None, 4))),
    ("adaptive_avg_pool2d", (2, 3, 5, 5), dict(output_size=1)),
    ("adaptive_avg_pool3d", (1, 2, 5, 7, 3), dict(output_size=(2, 3, 5))),
    ("adaptive_max_pool1d", (2, 3, 10), dict(output_size=4)),
    ("adaptive_max_pool2d", (2, 3, 7, 10), dict(output_size=(3, 4))),
    ("adaptive_max_pool2d", (3, 5, 6), dict(output_size=(7, 4))),
    ("adaptive_max_pool3d", (1, 2, 5, 7, 3), dict(output_size=(2, 3, 5))),
]


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("case", range(len(ND_CASES)))
def test_nd_and_adaptive_pools_match_pytorch(case, ties):
    name, shape, kw = ND_CASES[case]
    gx, tx = _pair(shape, 20 + case, ties)
    gy, ty = getattr(GF, name)(gx, **kw), getattr(TF, name)(tx, **kw)
    if "max" in name:
        (_, gi), (_, ti) = (getattr(F, name)(x, return_indices=True, **kw)
                            for F, x in ((GF, gx), (TF, tx)))
        assert np.array_equal(gi.numpy(), ti.numpy()) and gi.dtype == G.int64
    assert np.array_equal(gy.detach().numpy(), ty.detach().numpy())
    assert gy.stride() == ty.stride()
    assert gy.grad_fn.name() == ty.grad_fn.name()
    _check_grads(gx, tx, gy, ty, 20 + case)


@pytest.mark.parametrize("call", [
    "max_pool1d(x[0, 0, 0], 2)", "max_pool1d(x[0, 0], 0)", "max_pool1d(x[0, 0], 2, padding=2)",
    "max_pool1d(x[0, 0], 2, padding=-1)", "max_pool1d(x[0, 0], 5)", "max_pool1d(x[0, 0], 2, 0)",
    "max_pool1d(x[0, 0], (2, 2))", "max_pool1d(x[0, 0], 2, (1, 2))",
    "max_pool1d(x[0, 0], 2, dilation=0)", "avg_pool1d(x[0, 0, 0], 2)",
    "avg_pool1d(x[0, 0], (2, 2))", "avg_pool1d(x[0, 0], 5)", "avg_pool1d(x[0, 0], 2, 0)",
    "avg_pool1d(x[0, 0], 2, padding=2)", "max_pool3d(x, 2)", "max_pool3d(x[None], 5)",
    "max_pool3d(x[None], 2, padding=2)", "max_pool3d(x[None], (2, 2))",
    "max_pool3d(x[None], 2, dilation=(1, 0, 1))", "max_pool3d(x[None], 0)",
    "max_pool3d(x[None, :, :, :0], 2)", "avg_pool3d(x, 2)", "avg_pool3d(x[None], 5)",
    "avg_pool3d(x[None], (2, 2))", "avg_pool3d(x[None], 0, 1)", "avg_pool3d(x[None], 2, 1, 2)",
    "avg_pool3d(x[None], 2, divisor_override=0)", "avg_pool3d(x[None, :, :, :0], 2)",
    "avg_pool2d(x[0, 0], 2)", "avg_pool2d(x, 0, 1)", "max_pool2d(x, 2, padding=-1)",
    "adaptive_avg_pool1d(x[0, 0, 0], 2)", "adaptive_avg_pool1d(x[0], (2, 3))",
    "adaptive_avg_pool1d(x[0], -1)", "adaptive_avg_pool2d(x[0, 0, 0], 2)",
    "adaptive_avg_pool2d(x[:, :, :0], 2)", "adaptive_avg_pool2d(x, (2, 2, 2))",
    "adaptive_avg_pool2d(x, (3, -1))", "adaptive_avg_pool3d(x[0], 2)",
    "adaptive_avg_pool3d(x[None], (3, -1, 1))", "adaptive_avg_pool3d(x[None], (2, 2))",
    "adaptive_max_pool1d(x[0, 0, 0], 2)", "adaptive_max_pool1d(x[0], (1, 2))",
    "adaptive_max_pool1d(x[0, :, :0], 2)", "adaptive_max_pool2d(x[0, 0, 0], 2)",
    "adaptive_max_pool2d(x[:, :, :0], 2)", "adaptive_max_pool2d(x, (2, 2, 2))",
    "adaptive_max_pool2d(x, (3, -1))", "adaptive_max_pool3d(x[0], 2)",
    "adaptive_max_pool3d(x[None], (3, -1, 1))",
])
def test_nd_pool_errors_match_pytorch(call):
    data = np.zeros((1, 1, 4, 4), np.float32)
    with pytest.raises((RuntimeError, IndexError)) as theirs:
        eval("F." + call, {"F": TF, "x": torch.tensor(data)})
    with pytest.raises(type(theirs.value)) as ours:
        eval("F." + call, {"F": GF, "x": G.tensor(data)})
    assert str(ours.value).splitlines()[0] == str(theirs.value).splitlines()[0]
