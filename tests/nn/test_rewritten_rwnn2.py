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
