"""The modules rewritten on branch rwnn2 (parametrizations, Linear/Bilinear, Embedding/
EmbeddingBag, nn.init, the lazy modules) against PyTorch, in the situations the learner
programs do not reach: other dims and dtypes, conv weights, zero sizes, eval mode, repr of
unusual option values, the draws under a seed, and the argument errors (PyTorch is the oracle;
skipped without it)."""

import warnings

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these modules")


def _both(act):
    """act(lib) for gradsh and for PyTorch: its value, or (exception class name, message)."""
    out = []
    for lib in (gradsh, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                out.append(act(lib))
            except Exception as e:  # the oracle's exception is the expected value
                out.append((type(e).__name__, str(e)))
    return out


def _same(a, b, rtol=1e-6, atol=1e-7):
    """Equal; float lists within float32 rounding (the matrix products are BLAS's)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return False
        return all(_same(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=rtol, atol=atol))
    return a == b


def _assert_same(act, **tol):
    ours, theirs = _both(act)
    assert _same(ours, theirs, **tol), (ours, theirs)


# ----- parametrizations.spectral_norm / weight_norm -----

def _spectral(lib, make, kw, dtype, train):
    lib.manual_seed(5)
    m = make(lib).to(dtype)
    lib.nn.utils.parametrizations.spectral_norm(m, **kw)
    if not train:
        m.eval()
    first = m.weight
    second = m.weight  # a second read runs more power rounds in training mode
    second.sum().backward()
    bufs = {k: v.tolist() for k, v in m.named_buffers()}
    orig = m.parametrizations.weight.original
    return (repr(m), sorted(bufs), [bufs[k] for k in sorted(bufs)], first.tolist(),
            second.tolist(), second.grad_fn.name(), orig.grad.tolist())


_MODULES = {
    "linear": lambda lib: lib.nn.Linear(4, 3),
    "conv2d": lambda lib: lib.nn.Conv2d(2, 3, 2),
    "convT1d": lambda lib: lib.nn.ConvTranspose1d(3, 2, 3),
    "bilinear": lambda lib: lib.nn.Bilinear(2, 3, 4),
}


@pytest.mark.parametrize("name", sorted(_MODULES))
@pytest.mark.parametrize("kw", [{}, {"dim": -1}, {"n_power_iterations": 3, "eps": 1e-4}])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("train", [True, False])
def test_spectral_norm_is_pytorchs(name, kw, dtype, train):
    _assert_same(lambda lib: _spectral(lib, _MODULES[name], kw, getattr(lib, dtype), train),
                 rtol=1e-5, atol=1e-6)


def test_spectral_norm_of_a_vector_only_normalises_it():
    def act(lib):
        m = lib.nn.BatchNorm1d(3)
        with lib.no_grad():
            m.weight.copy_(lib.tensor([3.0, -4.0, 12.0]))
        lib.nn.utils.parametrizations.spectral_norm(m)
        return (m.weight.tolist(), m.weight.grad_fn.name(),
                [k for k, _ in m.named_buffers()], hasattr(m.parametrizations.weight[0],
                                                           "n_power_iterations"))
    _assert_same(act)


@pytest.mark.parametrize("act", [
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), dim=2),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), dim=-3),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2),
                                                            n_power_iterations=0),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), "foo"),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.ReLU()),
])
def test_spectral_norm_errors_are_pytorchs(act):
    ours, theirs = _both(act)
    assert isinstance(theirs, tuple) and ours == theirs


@pytest.mark.parametrize("dim", [0, 1, -1, None])
def test_weight_norm_of_a_conv_is_pytorchs(dim):
    def act(lib):
        lib.manual_seed(2)
        m = lib.nn.Conv1d(2, 3, 2).double()
        lib.nn.utils.parametrizations.weight_norm(m, dim=dim)
        w = m.weight
        (w * w).sum().backward()
        g, v = m.parametrizations.weight.original0, m.parametrizations.weight.original1
        return (list(g.shape), g.tolist(), w.tolist(), w.grad_fn.name(), g.grad.tolist(),
                v.grad.tolist(), m.parametrizations.weight[0].dim)
    _assert_same(act, rtol=1e-12, atol=1e-14)


# ----- Linear, Bilinear -----

def _affine(lib, make, dtype):
    lib.manual_seed(7)
    m = make(lib)
    params = [(n, list(p.shape), p.dtype == dtype, p.tolist()) for n, p in m.named_parameters()]
    return repr(m), params, list(m.state_dict()), lib.rand(2).tolist()  # and the draws used


@pytest.mark.parametrize("make", [
    lambda lib, **kw: lib.nn.Linear(3, 4, **kw),
    lambda lib, **kw: lib.nn.Linear(1, 1, bias=False, **kw),
    lambda lib, **kw: lib.nn.Linear(0, 3, **kw),
    lambda lib, **kw: lib.nn.Linear(5, 0, **kw),
    lambda lib, **kw: lib.nn.Linear(17, 2, **kw),
    lambda lib, **kw: lib.nn.Bilinear(2, 3, 4, **kw),
    lambda lib, **kw: lib.nn.Bilinear(3, 0, 2, **kw),
    lambda lib, **kw: lib.nn.Bilinear(1, 2, 2, bias=False, **kw),
    lambda lib, **kw: lib.nn.Bilinear(0, 2, 3, **kw),
    lambda lib, **kw: lib.nn.Bilinear(-1, 2, 3, **kw),
    lambda lib, **kw: lib.nn.Linear(-1, 3, **kw),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_affine_layers_draw_pytorchs_parameters(make, dtype):
    # float64 shows every bit of the bounds (kaiming's rounding of 1/sqrt(in_features))
    _assert_same(lambda lib: _affine(lib, lambda l: make(l, dtype=getattr(l, dtype)),
                                     getattr(lib, dtype)), rtol=0, atol=0)


def test_an_empty_linear_warns_as_pytorch():
    for lib in (gradsh, torch):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            lib.nn.Linear(0, 3)
        assert [str(w.message) for w in seen] == ["Initializing zero-element tensors is a no-op"]


# ----- nn.init -----

_INITS = [
    ("uniform_", (-0.5, 2.0), {}), ("normal_", (1.0, 0.3), {}), ("constant_", (0.25,), {}),
    ("ones_", (), {}), ("zeros_", (), {}), ("xavier_uniform_", (), {"gain": 1.7}),
    ("xavier_normal_", (), {}), ("kaiming_uniform_", (), {"a": 0.3, "mode": "FAN_OUT"}),
    ("kaiming_uniform_", (), {"nonlinearity": "relu"}),
    ("kaiming_normal_", (), {"mode": "fan_out", "nonlinearity": "tanh"}),
    ("kaiming_normal_", (), {"a": 2}), ("trunc_normal_", (), {}),
    ("trunc_normal_", (), {"mean": 1.0, "std": 2.0, "a": 1.5, "b": 1.7}),   # proposals
    ("trunc_normal_", (), {"mean": 0.0, "std": 1.0, "a": -0.1, "b": 3.0}),   # redraws
    ("orthogonal_", (), {"gain": 2.0}), ("sparse_", (0.4,), {"std": 0.5}),
]


@pytest.mark.parametrize("name,args,kw", _INITS)
@pytest.mark.parametrize("shape", [(3, 5), (6, 2), (4, 3, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_initialisers_draw_pytorchs_numbers(name, args, kw, shape, dtype):
    if name == "sparse_" and len(shape) != 2:
        shape = shape[:2]

    def act(lib):
        lib.manual_seed(11)
        t = lib.empty(*shape, dtype=getattr(lib, dtype), requires_grad=True)
        out = getattr(lib.nn.init, name)(t, *args, **kw)
        return out is t, t.requires_grad, t.grad_fn is None, t.tolist(), lib.rand(3).tolist()
    # orthogonal_'s QR is LAPACK's on both sides: last bits (docs/nn.md)
    tol = dict(rtol=1e-5, atol=1e-6) if name == "orthogonal_" else dict(rtol=0, atol=0)
    _assert_same(act, **tol)


@pytest.mark.parametrize("name", ["xavier_uniform_", "kaiming_normal_", "uniform_"])
def test_initialisers_use_the_generator_given(name):
    def act(lib):
        lib.manual_seed(1)
        g = lib.Generator().manual_seed(4)
        t = getattr(lib.nn.init, name)(lib.empty(3, 4, dtype=lib.float64), generator=g)
        return t.tolist(), lib.rand(2).tolist()
    _assert_same(act, rtol=0, atol=0)


@pytest.mark.parametrize("shape,groups", [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((2, 4, 1, 2, 3), 1),
                                          ((0, 3, 2), 1), ((4, 2, 3), 3), ((3, 2), 1)])
def test_dirac_is_pytorchs(shape, groups):
    _assert_same(lambda lib: lib.nn.init.dirac_(lib.empty(*shape), groups).tolist())


@pytest.mark.parametrize("nonlinearity,param", [
    (n, p) for n in ("linear", "conv1d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                     "leaky_relu", "selu", "Linear", "gelu") for p in (None, 0.2)
] + [("leaky_relu", 3), ("leaky_relu", True), ("leaky_relu", "0.1"), (None, None), ([1], None)])
def test_calculate_gain_is_pytorchs(nonlinearity, param):
    ours, theirs = _both(lambda lib: lib.nn.init.calculate_gain(nonlinearity, param))
    assert ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize("act", [
    lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(2, 3), mode="fan_avg"),
    lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3)),
    lambda lib: lib.nn.init.xavier_normal_(lib.empty(())),
    lambda lib: lib.nn.init.orthogonal_(lib.empty(3)),
    lambda lib: lib.nn.init.sparse_(lib.empty(2, 3, 2), 0.5),
    lambda lib: lib.nn.init.eye_(lib.empty(2, 2, 2)),
    lambda lib: lib.nn.init.dirac_(lib.empty(3, 2, 3), groups=2),
    lambda lib: lib.nn.init.uniform_(3),
])
def test_initialiser_errors_are_pytorchs(act):
    ours, theirs = _both(act)
    assert isinstance(theirs, tuple) and ours == theirs


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_", "xavier_uniform_",
                                  "uniform_", "trunc_normal_", "orthogonal_"])
def test_zero_element_initialisers_warn_as_pytorch(name):
    seen = []
    for lib in (gradsh, torch):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            getattr(lib.nn.init, name)(lib.empty(0, 3), mode="bad") if "kaiming" in name else \
                getattr(lib.nn.init, name)(lib.empty(0, 3))
        seen.append([(w.category.__name__, str(w.message), w.filename) for w in got])
    assert seen[0] == seen[1]


# ----- Embedding, EmbeddingBag -----

_TABLE_OPTIONS = [dict(sparse=0), dict(sparse=1), dict(scale_grad_by_freq=0),
                  dict(scale_grad_by_freq=None), dict(norm_type=2), dict(norm_type=2.5),
                  dict(max_norm=0), dict(padding_idx=0), dict(padding_idx=-1),
                  dict(max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True, padding_idx=2),
                  dict(padding_idx=4), dict(padding_idx=-5)]


@pytest.mark.parametrize("kw", _TABLE_OPTIONS)
@pytest.mark.parametrize("cls", ["Embedding", "EmbeddingBag"])
def test_lookup_tables_print_and_draw_as_pytorch(cls, kw):
    def act(lib):
        lib.manual_seed(3)
        m = getattr(lib.nn, cls)(4, 3, dtype=lib.float64, **kw)
        return repr(m), m.padding_idx, m.weight.tolist(), m.weight.requires_grad
    _assert_same(act, rtol=0, atol=0)


@pytest.mark.parametrize("act", [
    lambda lib: lib.nn.Embedding(3, 2, _weight=lib.ones(2, 2)),
    lambda lib: lib.nn.EmbeddingBag(3, 2, _weight=lib.ones(3, 3)),
    lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(3)),
    lambda lib: lib.nn.EmbeddingBag.from_pretrained(lib.ones(3, 2, 1)),
])
def test_lookup_table_errors_are_pytorchs(act):
    ours, theirs = _both(act)
    assert isinstance(theirs, tuple) and ours == theirs


@pytest.mark.parametrize("cls,kw", [
    ("Embedding", dict(freeze=False, padding_idx=1, max_norm=2.0, norm_type=3.0,
                       scale_grad_by_freq=True, sparse=True)),
    ("Embedding", dict(padding_idx=-1)),
    ("EmbeddingBag", dict(freeze=True, padding_idx=1, mode="sum")),
    ("EmbeddingBag", dict(freeze=False, mode="max", include_last_offset=True)),
])
def test_from_pretrained_keeps_the_rows_and_options(cls, kw):
    def act(lib):
        rows = lib.arange(6.0).reshape(3, 2)
        m = getattr(lib.nn, cls).from_pretrained(rows, **kw)
        given = lib.nn.Embedding(3, 2, _weight=rows, padding_idx=0, _freeze=True)
        return (repr(m), m.weight.tolist(), m.weight.requires_grad, m.weight is rows,
                given.weight.tolist(), given.weight.requires_grad)
    _assert_same(act)


# ----- lazy modules -----

@pytest.mark.parametrize("make,shape", [
    (lambda lib: lib.nn.LazyLinear(3, bias=False, dtype=lib.float64), (4,)),
    (lambda lib: lib.nn.LazyConv1d(4, 2), (3, 5)),
    (lambda lib: lib.nn.LazyConv2d(4, 2, groups=2, bias=False), (1, 6, 4, 4)),
    (lambda lib: lib.nn.LazyConv2d(4, 2, groups=2), (1, 3, 4, 4)),
    (lambda lib: lib.nn.LazyConv1d(4, 2), (2, 3, 5, 5)),
    (lambda lib: lib.nn.LazyConvTranspose2d(4, 3, stride=2), (3, 4, 4)),
    (lambda lib: lib.nn.LazyConvTranspose1d(2, 3, groups=2), (1, 4, 5)),
    (lambda lib: lib.nn.LazyBatchNorm2d(affine=False), (2, 3, 2, 2)),
    (lambda lib: lib.nn.LazyInstanceNorm1d(affine=True, track_running_stats=True), (2, 3, 4)),
    (lambda lib: lib.nn.LazyBatchNorm3d(momentum=None, track_running_stats=False),
     (2, 2, 2, 2, 2)),
])
def test_lazy_modules_take_their_sizes_as_pytorch(make, shape):
    def act(lib):
        lib.manual_seed(0)
        m = make(lib)
        before = (repr(m), [n for n, _ in m.named_parameters()],
                  [n for n, _ in m.named_buffers()], m.has_uninitialized_params())
        x = lib.randn(*shape, dtype=lib.float64)
        try:
            m.double()(x)
        except Exception as e:  # the oracle's error is the expected value
            after = (type(e).__name__, str(e), getattr(m, "in_channels", None))
        else:
            after = (type(m).__name__, repr(m), hasattr(m, "_initialize_hook"),
                     {k: v.tolist() for k, v in m.state_dict().items()})
        return before, after
    _assert_same(act, rtol=0, atol=0)
