"""torch.signal.windows for gradsh: the windows of scipy.signal.windows (symmetric by default,
`sym=False` for the periodic window: the symmetric one of M + 1 points without its last).

Each is composed of gradsh's ops as PyTorch composes it (observed: its float32 values bit for
bit, and the nodes a window made with requires_grad=True shows): the positions are a linspace
over the window's span, then the formula of the docs; the cosine sums (general_cosine,
general_hamming, hann, hamming, blackman, nuttall) multiply a coefficient column by the cosines
of the positions' multiples and sum the rows (SumBackward1, the coefficients the leaf). M = 0
gives an empty window, M = 1 a window of one 1 (except cosine, exponential and gaussian, which
compute theirs).
"""

import math as _math

from ..core import dtypes as _dtypes
from ..core import layout as _layout

__all__ = ["bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine",
           "general_hamming", "hamming", "hann", "kaiser", "nuttall"]


def _torch():
    import gradsh
    return gradsh


def _check(name, M, dtype, layout):
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    dtype = _dtypes.get_default_dtype() if dtype is None else dtype
    if dtype.name not in ("float32", "float64"):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")
    if layout is not None and layout is not _layout.strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    return dtype


def _trivial(M, dtype, requires_grad):
    """The window of 0 or 1 points, or None."""
    torch = _torch()
    if M == 0:
        return torch.empty((0,), dtype=dtype, requires_grad=requires_grad)
    if M == 1:
        return torch.ones((1,), dtype=dtype, requires_grad=requires_grad)
    return None


def _positions(start, step, M, dtype, requires_grad=False):
    """M points from start by step (a linspace to the last: PyTorch's rounding)."""
    return _torch().linspace(start, start + (M - 1) * step, M, dtype=dtype,
                             requires_grad=requires_grad)


def _span(M, sym):
    """The length of the symmetric window the result is the beginning of (a window of one
    point is its own)."""
    return M if sym or M == 1 else M + 1


def _cosine_sum(name, M, a, sym, dtype, layout, requires_grad):
    torch = _torch()
    dtype = _check(name, M, dtype, layout)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    n = _span(M, sym)
    k = _positions(0.0, 2 * _math.pi / (n - 1), M, dtype)
    terms = torch.arange(len(a), dtype=dtype).unsqueeze(-1)
    coefficients = torch.tensor([(-1) ** i * c for i, c in enumerate(a)], dtype=dtype,
                                requires_grad=requires_grad)
    return (coefficients.unsqueeze(-1) * torch.cos(terms * k)).sum(0)


def general_cosine(M, *, a, sym=True, dtype=None, layout=None, device=None,
                   requires_grad=False):
    """sum_i (-1)^i a_i cos(2 pi i n / (M - 1))."""
    if not isinstance(a, (list, tuple)):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    return _cosine_sum("general_cosine", M, a, sym, dtype, layout, requires_grad)


def general_hamming(M, *, alpha=0.54, sym=True, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """alpha - (1 - alpha) cos(2 pi n / (M - 1))."""
    return _cosine_sum("general_cosine", M, [alpha, 1.0 - alpha], sym, dtype, layout,
                       requires_grad)


def hann(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hann window: general_hamming with alpha 0.5."""
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout,
                           requires_grad=requires_grad)


def hamming(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hamming window: general_hamming with alpha 0.54."""
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, requires_grad=requires_grad)


def blackman(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Blackman window: 0.42 - 0.5 cos(2 pi n / (M - 1)) + 0.08 cos(4 pi n / (M - 1))."""
    return _cosine_sum("blackman", M, [0.42, 0.5, 0.08], sym, dtype, layout, requires_grad)


def nuttall(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """Nuttall's minimum 4-term Blackman-Harris window."""
    return _cosine_sum("general_cosine", M, [0.3635819, 0.4891775, 0.1365995, 0.0106411], sym,
                       dtype, layout, requires_grad)


def bartlett(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The triangular window 1 - |2 n / (M - 1) - 1|."""
    dtype = _check("bartlett", M, dtype, layout)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    k = _positions(-1.0, 2.0 / (_span(M, sym) - 1), M, dtype, requires_grad)
    return 1 - k.abs()


def cosine(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The sine window sin(pi (n + 0.5) / M)."""
    dtype = _check("cosine", M, dtype, layout)
    if M == 0:
        return _trivial(M, dtype, requires_grad)
    n = _span(M, sym)
    k = _positions(_math.pi / (2 * n), _math.pi / n, M, dtype, requires_grad)
    return _torch().sin(k)


def exponential(M, *, center=None, tau=1.0, sym=True, dtype=None, layout=None, device=None,
                requires_grad=False):
    """exp(-|n - center| / tau), centred by default."""
    dtype = _check("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _trivial(M, dtype, requires_grad)
    if center is None:
        center = (_span(M, sym) - 1) / 2
    k = _positions(-center / tau, 1 / tau, M, dtype, requires_grad)
    return _torch().exp(-k.abs())


def gaussian(M, *, std=1.0, sym=True, dtype=None, layout=None, device=None,
             requires_grad=False):
    """exp(-(n - (M - 1) / 2) ** 2 / (2 std ** 2))."""
    dtype = _check("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _trivial(M, dtype, requires_grad)
    scale = std * _math.sqrt(2)
    start = -(_span(M, sym) - 1) / 2
    k = _torch().linspace(start / scale, (start + M - 1) / scale, M, dtype=dtype,
                          requires_grad=requires_grad)
    return _torch().exp(-k.pow(2))


def kaiser(M, *, beta=12.0, sym=True, dtype=None, layout=None, device=None,
           requires_grad=False):
    """i0(beta sqrt(1 - (2 n / (M - 1) - 1) ** 2)) / i0(beta)."""
    torch = _torch()
    dtype = _check("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    b = torch.tensor(beta, dtype=dtype)
    if sym:  # the ends exactly -beta and beta (a rounded-over end would take sqrt(-0.0...1))
        k = torch.linspace(-beta, beta, M, dtype=dtype, requires_grad=requires_grad)
    else:
        k = _positions(-beta, 2 * beta / M, M, dtype, requires_grad)
    return torch.i0(torch.sqrt(b * beta - k.pow(2))) / torch.i0(b)


