"""Branch adv13e's fixes (blind numerical learner programs, docs/autograd.md): F.logsigmoid's
signed zero and half dtypes, linalg.matrix_exp of small matrices, and a real signal's full FFT
spectrum built from its one-sided half, compared bit for bit with PyTorch or mathematics."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these comparisons")


def _bits(t):
    """Values and signs of zeros of a gradsh or torch tensor (complex as real pairs)."""
    if t.is_complex():
        t = (torch if isinstance(t, torch.Tensor) else gradsh).view_as_real(t.resolve_conj())
    a = np.array(t.tolist(), dtype=np.float64)
    return a, np.signbit(a)


def _same(t, g):
    (a, sa), (b, sb) = _bits(t), _bits(g)
    real = ~np.isnan(a)  # (a NaN's sign bit is no part of what prints)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(sa[real], sb[real]))


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "bfloat16"])
def test_logsigmoid_of_large_inputs_is_plus_zero_as_pytorchs(dtype):
    xs = [800.0, float("inf"), -float("inf"), float("nan"), 40.0, 0.0, -0.0, -800.0, 3.5, -2.25]
    t = torch.nn.functional.logsigmoid(torch.tensor(xs, dtype=getattr(torch, dtype)))
    g = gradsh.nn.functional.logsigmoid(gradsh.tensor(xs, dtype=getattr(gradsh, dtype)))
    assert _same(t.double(), g.double())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("scale", [0.0, 1e-300, 1e-20, 1e-17, 1e-12, 1e-9])
def test_matrix_exp_of_small_matrices_is_pytorchs_taylor_polynomial(dtype, scale):
    gen = torch.Generator().manual_seed(13)
    for n in (2, 3, 4):
        b = torch.randn(n, n, dtype=getattr(torch, dtype), generator=gen)
        a = b / b.abs().sum(0).max() * scale
        t = torch.linalg.matrix_exp(a)
        g = gradsh.linalg.matrix_exp(gradsh.tensor(a.tolist(), dtype=getattr(gradsh, dtype)))
        assert _same(t, g), (n, scale)


def test_matrix_exp_of_zero_is_exactly_the_identity():
    e = gradsh.linalg.matrix_exp(gradsh.zeros(3, 3, dtype=gradsh.float64))
    assert e.tolist() == np.eye(3).tolist()


def test_matrix_exp_of_one_by_one_is_exp_of_the_entry():
    xs = [-3.0, -1e-8, 0.5, 2.0, 7.25]
    for x in xs:
        t = torch.linalg.matrix_exp(torch.tensor([[x]], dtype=torch.float64))
        g = gradsh.linalg.matrix_exp(gradsh.tensor([[x]], dtype=gradsh.float64))
        assert t.item() == g.item()


@pytest.mark.parametrize("shape", [(5,), (6,), (2, 7), (3, 4)])
def test_full_spectrum_of_a_real_signal_fills_its_upper_half_by_conjugate_mirrors(shape):
    x = gradsh.randn(*shape, dtype=gradsh.float64)
    f = np.array(gradsh.view_as_real(gradsh.fft.fft(x)).tolist())
    z = f[..., 0] + 1j * f[..., 1]
    mirror = np.roll(np.flip(z, -1), 1, -1)  # X[-k] for every k
    h = shape[-1] // 2 + 1  # the one-sided half computed; the rest conj of its mirrors
    up, conj = z[..., h:], np.conj(mirror[..., h:])
    assert np.array_equal(up.real, conj.real) and np.array_equal(up.imag, conj.imag)
    assert np.array_equal(np.signbit(up.imag), np.signbit(conj.imag))


def test_fft_of_a_real_impulse_has_pytorchs_signs_of_zeros():
    for n in (2, 4):  # (other lengths: the computed half's own signs of zeros differ, docs)
        x = [1.0] + [0.0] * (n - 1)
        for fn in ("fft", "ifft"):
            t = getattr(torch.fft, fn)(torch.tensor(x, dtype=torch.float64))
            g = getattr(gradsh.fft, fn)(gradsh.tensor(x, dtype=gradsh.float64))
            assert _same(t, g), (n, fn)
