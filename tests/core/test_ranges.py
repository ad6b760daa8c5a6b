"""linspace / arange / logspace bit for bit against PyTorch 2.13 (skipped without torch)."""

import math

import numpy as np
import pytest

import gradsh
from gradsh.core import ranges

DTYPES = ["float32", "float64"]


@pytest.fixture(scope="module")
def torch():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    threads = torch.get_num_threads()
    # arange's values over 32768 elements depend on how the range is cut between threads
    torch.set_num_threads(ranges._threads())
    yield torch
    torch.set_num_threads(threads)


def same(ours, theirs):
    a, b = ours.numpy(), theirs.numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes(), (a.size, np.flatnonzero(a != b)[:10])


def test_linspace_minus_pi_to_pi_is_pytorchs(torch):
    for dt in DTYPES:
        same(gradsh.linspace(-math.pi, math.pi, 2000, dtype=getattr(gradsh, dt)),
             torch.linspace(-math.pi, math.pi, 2000, dtype=getattr(torch, dt)))


def sweep(seed, count):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        a, b = (float(v) for v in rng.uniform(-50, 50, 2) * 10.0 ** rng.integers(-3, 3, 2))
        yield a, b, int(rng.choice([0, 1, 2, 3, 5, 16, 17, 31, 33, 100, 257, 1000, 4097]))


@pytest.mark.parametrize("dt", DTYPES + ["int64", "int32"])
def test_linspace_sweep(torch, dt):
    for a, b, n in list(sweep(1, 60)) + [(0, 10, 70001), (5, -5, 11), (3, 3, 4)]:
        same(gradsh.linspace(a, b, n, dtype=getattr(gradsh, dt)),
             torch.linspace(a, b, n, dtype=getattr(torch, dt)))


@pytest.mark.parametrize("dt", DTYPES)
def test_logspace_sweep(torch, dt):
    cases = [(a / 10, b / 10, n, base) for (a, b, n), base in
             zip(sweep(2, 40), [10.0, 2.0, math.e, 1.5, 0.5] * 8)]
    for a, b, n, base in cases + [(-3, 3, 100, 10.0), (0.3, 9.1, 50000, 1.5)]:
        same(gradsh.logspace(a, b, n, base=base, dtype=getattr(gradsh, dt)),
             torch.logspace(a, b, n, base=base, dtype=getattr(torch, dt)))


@pytest.mark.parametrize("dt", DTYPES)
def test_arange_sweep(torch, dt):
    rng = np.random.default_rng(3)
    cases = [(0, 1, 0.1), (-10, 10, 0.013), (1, 2, 1 / 3), (0, 5000.5, 0.0999), (0, 300000, 0.7),
             (5, -3, -0.3), (0, 10, 1), (2.5, 9, 2)]
    for _ in range(40):
        start = float(rng.uniform(-100, 100))
        step = float(rng.choice([-1, 1]) * rng.uniform(0.001, 3))
        cases.append((start, start + step * int(rng.integers(0, 3000)) + step / 3, step))
    for start, end, step in cases:
        same(gradsh.arange(start, end, step, dtype=getattr(gradsh, dt)),
             torch.arange(start, end, step, dtype=getattr(torch, dt)))


def test_default_dtypes_follow_pytorch(torch):
    same(gradsh.arange(0, 1, 0.1), torch.arange(0, 1, 0.1))
    same(gradsh.arange(7), torch.arange(7))
    same(gradsh.linspace(0, 1, 7), torch.linspace(0, 1, 7))
    same(gradsh.logspace(0, 1, 7), torch.logspace(0, 1, 7))


# ----- torch.range (deprecated in PyTorch, end included) and arange's out= -------------------
def _outcome(T, fn, *args, **kwargs):
    """What a call gives: its values, dtype and the categories and texts of its warnings, or
    its error's type and message."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = fn(T)(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared
            return type(e).__name__, str(e)
    return (r.detach().numpy().tobytes(), str(r.dtype), tuple(r.shape), r.requires_grad,
            [(w.category.__name__, str(w.message)) for w in caught])


RANGE_CALLS = [((0, 3), {}), ((1, 4, 0.5), {}), ((0, 1, 0.1), {}), ((0., 1., 0.3), {"dtype": "float64"}),
               ((5, 0, -1), {}), ((0, 0), {}), ((-1.7, 2.2, 1 / 3), {}), ((0, 3), {"requires_grad": True}),
               ((0, 5), {"dtype": "int64"}), ((0, 5, 1.5), {"dtype": "int64"}),
               ((0.5, 5.7, 1), {"dtype": "int32"}), ((-1, 1, 0.1), {"dtype": "float16"}),
               ((0, -1), {}), ((0, 3, 0), {}), ((2.5,), {}), ((0, math.inf), {}),
               ((math.nan, 1), {}), ((0, 3), {"dtype": "bool"})]


@pytest.mark.parametrize("args, kwargs", RANGE_CALLS)
def test_torch_range_is_pytorchs(torch, args, kwargs):
    def call(T):
        kw = {k: getattr(T, v) if k == "dtype" else v for k, v in kwargs.items()}
        return lambda *a: T.range(*a, **kw)
    assert _outcome(gradsh, call, *args) == _outcome(torch, call, *args)


def test_torch_range_sweep_is_pytorchs(torch):
    rng = np.random.default_rng(15)
    for _ in range(300):
        start = float(rng.choice([0, 1, -2, 0.1, 0.3, -1.7, 3.25]))
        step = float(rng.choice([0.1, 0.3, 0.7, 1, 2, 0.01, 1 / 3, -0.1, -0.3, -1]))
        end = start + step * int(rng.integers(0, 300)) + float(rng.choice([0, 1e-9, 0.05 * step]))
        for dt in DTYPES:
            def call(T):
                return lambda *a: T.range(*a, dtype=getattr(T, dt))
            assert _outcome(gradsh, call, start, end, step) == _outcome(torch, call, start, end, step)


@pytest.mark.parametrize("name", ["range", "arange"])
@pytest.mark.parametrize("out", [(2,), (0,), (2, 2), ("int32", 0), (4,)])
def test_range_and_arange_write_their_out(torch, name, out):
    def call(T):
        o = T.empty(0, dtype=getattr(T, out[0])) if isinstance(out[0], str) else T.empty(*out)

        def run(*a):
            r = getattr(T, name)(*a, out=o)
            assert r is o
            return o
        return run
    assert _outcome(gradsh, call, 0, 3) == _outcome(torch, call, 0, 3)
