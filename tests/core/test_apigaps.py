"""The learner-reachable API of branch apigaps (issue 15) against PyTorch 2.13: torch.stft and
istft (values, nodes, gradients, messages), torch.signal.windows, the orthogonal
parametrization, Tensor.as_subclass, torch.embedding_bag, histogramdd, the low-rank and
Householder/LDL factorizations. The recorded text is tests/data/apigaps.json
(tools/record_apigaps.py); live checks compare values with PyTorch itself where installed."""

import json
import pathlib
import sys

import numpy as np
import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from apigaps_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "apigaps.json").read_text())["facts"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


# ----- live: the digits against PyTorch itself ---------------------------------------------------
def _both(fn):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the live checks")
    return fn(torch), fn(gradsh)


def _stft_run(seed, normalized):
    rng = np.random.default_rng(seed)
    length = int(rng.integers(20, 200))
    n_fft = int(rng.integers(4, min(length, 64)))
    hop, win = int(rng.integers(1, n_fft + 1)), int(rng.integers(1, n_fft + 1))
    signal = rng.standard_normal(length).astype(np.float32)

    def run(mod):
        x = mod.tensor(signal, requires_grad=True)
        s = mod.stft(x, n_fft, hop_length=hop, win_length=win, window=mod.hann_window(win),
                     normalized=normalized, return_complex=True)
        (s.real * 2 + s.imag * 3).sum().backward()
        return s.detach().numpy(), x.grad.numpy(), type(s.grad_fn).__name__
    return run


@pytest.mark.parametrize("seed", range(12))
def test_stft_values_and_gradients_agree_with_pytorch_to_float32_rounding(seed):
    (a, ga, na), (b, gb, nb) = _both(_stft_run(seed, bool(seed % 2)))
    assert na == nb == "SqueezeBackward4" and a.shape == b.shape and a.dtype == b.dtype
    # numpy's pocketfft and PyTorch's FFT round differently: within a few float32 ulps of scale
    assert np.abs(a - b).max() <= 1e-6 * np.abs(a).max()
    assert np.abs(ga - gb).max() <= 4e-6 * np.abs(ga).max()


@pytest.mark.parametrize("seed", range(6))
def test_istft_inverts_stft_and_its_gradient_agrees_with_pytorch(seed):
    rng = np.random.default_rng(100 + seed)
    n_fft = int(rng.integers(4, 33))
    hop = int(rng.integers(1, n_fft // 2 + 1))
    signal = rng.standard_normal(int(rng.integers(n_fft + 1, 150))).astype(np.float32)
    weights = rng.standard_normal(signal.size).astype(np.float32)

    def run(mod):
        x = mod.tensor(signal, requires_grad=True)
        w = mod.hann_window(n_fft)
        s = mod.stft(x, n_fft, hop_length=hop, window=w, return_complex=True)
        y = mod.istft(s, n_fft, hop_length=hop, window=w, length=signal.size)
        (y * mod.tensor(weights)).sum().backward()
        return y.detach().numpy(), x.grad.numpy()
    (a, ga), (b, gb) = _both(run)
    assert np.abs(a - b).max() <= 2e-6 * np.abs(a).max()
    assert np.abs(b - signal).max() <= 1e-5 * np.abs(signal).max()
    assert np.abs(ga - gb).max() <= 4e-6 * np.abs(ga).max()


_WINDOWS = {"bartlett": {}, "blackman": {}, "cosine": {}, "exponential": {"tau": 2.2},
            "gaussian": {"std": 3.1}, "general_cosine": {"a": [0.4, 0.3, 0.2]},
            "general_hamming": {"alpha": 0.6}, "hamming": {}, "hann": {}, "kaiser": {"beta": 7.3},
            "nuttall": {}}


@pytest.mark.parametrize("name", sorted(_WINDOWS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_signal_windows_agree_with_pytorch_to_the_last_digits(name, dtype):
    # measured over these lengths: float32 bit for bit in 74-100% of values (kaiser's edges,
    # i0 near a cancellation, least), float64 within 1e-13 of the window's peak
    def run(mod):
        fn = getattr(mod.signal.windows, name)
        return [fn(M, sym=sym, dtype=getattr(mod, dtype), **_WINDOWS[name]).numpy()
                for M in list(range(0, 40)) + [64, 257, 1000] for sym in (True, False)]
    theirs, ours = _both(run)
    tolerance = 1e-6 if dtype == "float32" else 1e-13
    for a, b in zip(theirs, ours):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert np.abs(a - b).max(initial=0) <= tolerance


@pytest.mark.parametrize("fn", ["svd_lowrank", "pca_lowrank"])
@pytest.mark.parametrize("shape", [(8, 5), (5, 8), (2, 7, 4), (10, 10)])
@pytest.mark.parametrize("q", [None, 2, 4])
def test_lowrank_draws_as_pytorch_draws_and_agrees(fn, shape, q):
    # the same test matrix under the seed (the generator's next draw agrees too), so values
    # and gradients agree to rounding; singular vectors compared up to sign; a centred 5 x 8
    # matrix has rank 4: its fifth right singular vector is any unit vector of the null space
    def run(mod):
        mod.manual_seed(0)
        A = mod.randn(*shape, dtype=mod.float64).requires_grad_()
        U, S, V = getattr(mod, fn)(A) if q is None else getattr(mod, fn)(A, q)
        S.sum().backward()
        return U.detach().numpy(), S.detach().numpy(), V.detach().numpy(), A.grad.numpy(), \
            mod.randn(3, dtype=mod.float64).numpy()
    theirs, ours = _both(run)
    rank_short = fn == "pca_lowrank" and shape == (5, 8) and q is None
    for k, (a, b) in enumerate(zip(theirs, ours)):
        assert a.shape == b.shape
        if k in (0, 2):
            if rank_short:
                a, b = a[..., :-1], b[..., :-1]
            a, b = a * np.sign(a[..., :1, :]), b * np.sign(b[..., :1, :])
        assert np.abs(a - b).max() <= 1e-9 * max(1.0, np.abs(a).max())


@pytest.mark.parametrize("seed", range(30))
def test_ldl_factor_pivots_as_pytorchs_and_values_to_rounding(seed):
    # Bunch-Kaufman chooses the same pivots as PyTorch's LAPACK (1 x 1 and 2 x 2 blocks: a
    # small diagonal forces the latter); measured: LD within 7e-16 (float64), 80% bit for bit
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    X = rng.standard_normal((n, n))
    S = X + X.T
    if seed % 3 == 0:
        np.fill_diagonal(S, rng.standard_normal(n) * 0.01)
    S = S.astype(np.float32 if seed % 5 == 0 else np.float64)
    B = rng.standard_normal((n, 2)).astype(S.dtype)

    def run(mod):
        LD, piv, info = mod.linalg.ldl_factor_ex(mod.tensor(S))
        X = mod.linalg.ldl_solve(LD, piv, mod.tensor(B))
        return LD.numpy(), piv.numpy(), info.item(), X.numpy()
    (a, pa, ia, xa), (b, pb, ib, xb) = _both(run)
    assert np.array_equal(pa, pb) and ia == ib and a.dtype == b.dtype
    tol = 1e-5 if S.dtype == np.float32 else 1e-13
    assert np.abs(a - b).max() <= tol * max(1.0, np.abs(a).max())
    assert np.abs(xa - xb).max() <= 1e3 * tol * max(1.0, np.abs(xa).max())
