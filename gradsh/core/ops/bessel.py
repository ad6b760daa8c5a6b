"""torch.special's Bessel functions PyTorch declares without a derivative (the result never
requires grad, no node): modified_bessel_i0/i1 and spherical_bessel_j0. ATen's Math.h evaluates
Cephes' Chebyshev series; the kernels are in ops/cephes.py where they are shared with i0/i1.
"""

import functools

import numpy as np

from ..dtypes import default_float_np
from ..memory import check_elementwise
from . import cephes
from .base import iter_result
from .polynomials import _sin
from .registry import declare


def modified_bessel_i1_kernel(a):
    """I1(x) as ATen's modified_bessel_i1_forward: Cephes' series (all the terms, in float32
    too, unlike i1's kernel), 0.5 (b0 - b2) |x| exp(|x|) on [0, 8], exp(|x|) 0.5 (b0 - b2) /
    sqrt(|x|) beyond, x's sign."""
    x_in = cephes._floats(a)
    t = x_in.dtype.type
    x = np.abs(x_in)
    with np.errstate(all="ignore"):
        near = cephes._chbevl(x / t(2) - t(2), cephes._I1E_A) * x * cephes._exp(x)
        far = cephes._exp(x) * cephes._chbevl(t(32) / x - t(2), cephes._I1E_B) / np.sqrt(x)
        out = np.where(x <= t(8), near, far)
    return np.where(x_in < 0, -out, out)


_J0_SERIES = (6.0, 120.0, 5040.0, 362880.0, 39916800.0, 6227020800.0)  # (2k + 1)!, k >= 1


def spherical_bessel_j0_kernel(a):
    """sin(x) / x as ATen's spherical_bessel_j0_forward: 0 at +-inf, and below |x| = 0.5 the
    Taylor series 1 - x^2/3! + x^4/5! - ... to x^12, Horner's scheme with fused steps."""
    x = cephes._floats(a)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        xx = x * x
        inner = np.full_like(x, t(1.0) / t(_J0_SERIES[-1]))
        for k in range(len(_J0_SERIES) - 2, -1, -1):
            sign = -1.0 if k % 2 == 0 else 1.0
            inner = cephes._fma(xx, inner, np.full_like(x, t(sign) / t(_J0_SERIES[k])))
        near = cephes._fma(xx, inner, np.full_like(x, t(1.0)))
        far = _sin(x) / x
        out = np.where(np.abs(x) < t(0.5), near, far)
    return np.where(np.isinf(x), t(0.0), out)


KERNELS = {"modified_bessel_i0": cephes.i0, "modified_bessel_i1": modified_bessel_i1_kernel,
           "spherical_bessel_j0": spherical_bessel_j0_kernel}


# microseconds an element (measured on float32, rounded up: tools/measure_special_costs.py)
COSTS = {"modified_bessel_i0": 1.1, "modified_bessel_i1": 1.1, "spherical_bessel_j0": 0.55,
         "bessel_j0": 2.6, "bessel_j1": 2.8, "bessel_y0": 16.5, "bessel_y1": 19.0,
         "modified_bessel_k0": 2.9, "modified_bessel_k1": 3.1, "scaled_modified_bessel_k0": 2.8,
         "scaled_modified_bessel_k1": 3.1, "airy_ai": 2.2}


def _declare(name, kernel, arg=True):
    cost = COSTS[name]

    def op(input):
        check_elementwise(input._data.size, cost, f"special.{name}")
        d = input._data
        out = kernel(d if d.dtype.kind in "fV" else d.astype(default_float_np()))
        return iter_result(out, input)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"torch.special.{name}(input), not differentiable (as in PyTorch)."
    op.__module__ = __name__
    return declare(name=name, method=False, function=False, inplace=False, special=True,
                   tensor_first=arg)(op)


for _name, _kernel in KERNELS.items():
    globals()[_name] = _declare(_name, _kernel)


# ----- J0, J1, Y0, Y1, K0, K1 (scaled too) and Airy's Ai (branch linalg2) --------------------
# Computed in float64 (rounded to float32 for float32 inputs) from their integral
# representations below |x| = 25 and Hankel's asymptotic expansions beyond:
#   J_n(x) = 1/(2 pi) int_0^2pi cos(n t - x sin t) dt        (periodic: the trapezoidal rule
#                                                             converges exponentially)
#   Y_n(x) = 1/pi int_0^pi sin(x sin t - n t) dt - 1/pi int_0^inf (e^nt + (-1)^n e^-nt)
#            e^(-x sinh t) dt                                (Gauss-Legendre; the double-
#                                                             exponential map t = e^(s - e^-s))
#   K_nu(x) = int_0^inf e^(-x cosh t) cosh(nu t) dt          (trapezoidal rule, even integrand)
#   Ai(x) = sqrt(x / 3) / pi K_1/3(z), Ai(-x) = sqrt(x) / 3 (J_1/3(z) + J_-1/3(z)), z = 2/3 x^1.5
_FAR = 25.0
_EULER = 0.57721566490153286061


@functools.cache
def _gauss_legendre():
    """128 Gauss-Legendre nodes and weights on [0, pi] (made on first use, not at import:
    numpy.polynomial's import and the nodes' eigenvalue problem are a tenth of the pipe's
    start-up)."""
    t, w = np.polynomial.legendre.leggauss(128)
    return (t + 1) * np.pi / 2, w * np.pi / 2


_DE_S = np.arange(-6.0, 6.0, 1.0 / 128)
_DE_T = np.exp(_DE_S - np.exp(-_DE_S))
_DE_W = _DE_T * (1 + np.exp(-_DE_S)) / 128
_CHUNK = 2048


def _chunked(f, x):
    """f over a 1-d float64 array, in chunks (each builds a points-by-elements table)."""
    out = np.empty_like(x)
    for i in range(0, x.size, _CHUNK):
        out[i:i + _CHUNK] = f(x[i:i + _CHUNK])
    return out


def _hankel_terms(nu, x, upto=40):
    """P and Q of Hankel's expansion of order nu: a_k = prod_{j<=k} (4 nu^2 - (2j - 1)^2)
    / (k! 8^k), P = sum (-1)^k a_2k / x^2k, Q = sum (-1)^k a_2k+1 / x^2k+1, summed while the
    terms decrease."""
    mu = 4.0 * nu * nu
    p, q = np.ones_like(x), np.zeros_like(x)
    term = np.ones_like(x)
    alive = np.ones(x.shape, bool)
    for k in range(1, upto):
        nxt = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        alive &= np.abs(nxt) < np.abs(term)
        term = np.where(alive, nxt, 0.0)
        sign = -1.0 if (k // 2) % 2 else 1.0
        if k % 2:
            q += sign * term
        else:
            p += sign * term
    return p, q


def _j_near(n, x):
    t = np.arange(128) * (2 * np.pi / 128)
    return np.cos(n * t[:, None] - x[None, :] * np.sin(t)[:, None]).mean(0)


def _y_near(n, x):
    _GL_T, _GL_W = _gauss_legendre()
    first = (_GL_W[:, None] * np.sin(x[None, :] * np.sin(_GL_T)[:, None]
                                     - n * _GL_T[:, None])).sum(0) / np.pi
    t = _DE_T[:, None]
    with np.errstate(over="ignore"):
        decay = np.exp(-x[None, :] * np.sinh(t))
    second = (_DE_W[:, None] * (np.exp(n * t) + (-1) ** n * np.exp(-n * t)) * decay).sum(0)
    return first - second / np.pi


def _k_near(nu, x, scaled):
    """int_0^inf e^(-x (cosh t - 1)) cosh(nu t) dt (times e^-x unless scaled), h = 1/20."""
    h = 0.05
    top = np.arccosh(1.0 + 745.0 / np.min(x)) if x.size else 0.0
    t = np.arange(0.0, min(top, 700.0) + h, h)[:, None]
    f = np.exp(-x[None, :] * 2 * np.sinh(t / 2) ** 2) * np.cosh(nu * t)
    f[0] *= 0.5
    out = h * f.sum(0)
    return out if scaled else out * np.exp(-x)


def _kernel(fn):
    """A kernel on any float array from fn on a 1-d float64 array."""
    def kernel(a):
        x = cephes._floats(a)
        flat = x.astype(np.float64).reshape(-1)
        with np.errstate(all="ignore"):
            out = fn(flat)
        return out.reshape(x.shape).astype(x.dtype)
    kernel.__name__ = fn.__name__
    return kernel


def _bessel_j(n):
    def j(x):
        ax = np.abs(x)
        out = np.zeros_like(x)
        near = ax < _FAR
        out[near] = _chunked(lambda v: _j_near(n, v), ax[near])
        far = (ax >= _FAR) & np.isfinite(ax)
        if far.any():
            v = ax[far]
            p, q = _hankel_terms(n, v)
            chi = v - (n / 2 + 0.25) * np.pi
            out[far] = np.sqrt(2 / (np.pi * v)) * (p * np.cos(chi) - q * np.sin(chi))
        tiny = ax < 1e-3  # the series' first terms: the quadrature's absolute error would show
        v = ax[tiny]
        q = v * v / 4
        out[tiny] = (1 - q + q * q / 4) if n == 0 else v / 2 * (1 - q / 2 + q * q / 12)
        out[~np.isfinite(x)] = np.nan  # (PyTorch's kernel gives nan at +-inf too)
        return np.where(np.signbit(x) & (n % 2 == 1), -out, out)
    j.__name__ = f"bessel_j{n}"
    return j


def _bessel_y(n):
    def y(x):
        out = np.full_like(x, np.nan)
        near = (x > 0) & (x < _FAR)
        out[near] = _chunked(lambda v: _y_near(n, v), x[near])
        far = (x >= _FAR) & np.isfinite(x)
        if far.any():
            v = x[far]
            p, q = _hankel_terms(n, v)
            chi = v - (n / 2 + 0.25) * np.pi
            out[far] = np.sqrt(2 / (np.pi * v)) * (p * np.sin(chi) + q * np.cos(chi))
        tiny = (x > 0) & (x < 1e-3)
        v = x[tiny]
        q = v * v / 4
        log = np.log(v / 2) + _EULER
        if n == 0:  # (2/pi) [(ln(x/2) + gamma) J0(x) + q - 3/8 q^2]
            out[tiny] = 2 / np.pi * (log * (1 - q + q * q / 4) + q - 0.375 * q * q)
        else:  # -2/(pi x) + x/pi (ln(x/2) + gamma - 1/2) (first terms)
            out[tiny] = -2 / (np.pi * v) + v / np.pi * (log - 0.5) - v * q / (2 * np.pi) * (
                log - 1.25)
        out[x == 0] = -np.inf
        return out
    y.__name__ = f"bessel_y{n}"
    return y


def _bessel_k(nu, scaled):
    def k(x):
        out = np.full_like(x, np.nan)
        near = (x > 0) & (x < _FAR)
        out[near] = _chunked(lambda v: _k_near(nu, v, scaled), x[near])
        far = (x >= _FAR) & np.isfinite(x)
        if far.any():
            v = x[far]
            mu = 4.0 * nu * nu
            total, term = np.ones_like(v), np.ones_like(v)
            for j in range(1, 40):
                nxt = term * (mu - (2 * j - 1) ** 2) / (j * 8.0 * v)
                term = np.where(np.abs(nxt) < np.abs(term), nxt, 0.0)
                total += term
            out[far] = np.sqrt(np.pi / (2 * v)) * total * (1.0 if scaled else np.exp(-v))
        out[x == 0] = np.inf
        out[np.isposinf(x)] = 0.0
        return out
    k.__name__ = f"{'scaled_' if scaled else ''}modified_bessel_k{int(nu)}"
    return k


_AI0 = 0.35502805388781723926  # Ai(0) = 3^(-2/3) / Gamma(2/3)
_MAX_AIRY = 103.892  # beyond, Ai underflows as Cephes' airy (and PyTorch) returns 0


def _airy_u(k_max):
    u = [1.0]
    for k in range(1, k_max):
        u.append(u[-1] * (6 * k - 5) * (6 * k - 3) * (6 * k - 1) / ((2 * k - 1) * 216 * k))
    return u


_U = _airy_u(40)


def _airy_ai(x):
    out = np.full_like(x, np.nan)
    z = (2.0 / 3.0) * np.abs(x) ** 1.5
    pos_near = (x > 0) & (z < _FAR)
    if pos_near.any():
        v = x[pos_near]
        kz = _chunked(lambda w: _k_near(1.0 / 3.0, w, False), z[pos_near])
        out[pos_near] = np.sqrt(v / 3) / np.pi * kz
    pos_far = (z >= _FAR) & (x > 0) & (x <= _MAX_AIRY)
    if pos_far.any():
        v, w = x[pos_far], z[pos_far]
        total, term = np.ones_like(w), np.ones_like(w)
        for k in range(1, 40):
            nxt = (-1) ** k * _U[k] / w ** k
            term = np.where(np.abs(nxt) < np.abs(term), nxt, 0.0)
            total += term
        out[pos_far] = np.exp(-w) / (2 * np.sqrt(np.pi) * v ** 0.25) * total
    out[(x > _MAX_AIRY) & np.isfinite(x)] = 0.0
    neg_near = (x < 0) & (z < _FAR)
    if neg_near.any():
        v, w = -x[neg_near], z[neg_near]

        def sum_j(w):
            third = 1.0 / 3.0
            _GL_T, _GL_W = _gauss_legendre()
            first = (_GL_W[:, None] * (np.cos(third * _GL_T[:, None] - w * np.sin(_GL_T)[:, None])
                                       + np.cos(-third * _GL_T[:, None]
                                                - w * np.sin(_GL_T)[:, None]))).sum(0) / np.pi
            t = _DE_T[:, None]
            s = np.sin(np.pi / 3)
            second = (_DE_W[:, None] * np.exp(-w * np.sinh(t))
                      * (s * np.exp(-third * t) - s * np.exp(third * t))).sum(0) / np.pi
            return first - second
        out[neg_near] = np.sqrt(v) / 3 * _chunked(sum_j, w)
    neg_far = (x < 0) & (z >= _FAR) & np.isfinite(x)
    if neg_far.any():
        v, w = -x[neg_far], z[neg_far]
        p, q = np.zeros_like(w), np.zeros_like(w)
        last = np.full(w.shape, np.inf)
        alive = np.ones(w.shape, bool)
        for k in range(0, 39):
            term = _U[k] / w ** k
            alive &= term < last
            last = term
            signed = np.where(alive, term * (-1) ** (k // 2), 0.0)
            if k % 2:
                q += signed
            else:
                p += signed
        arg = w + np.pi / 4
        out[neg_far] = (np.sin(arg) * p - np.cos(arg) * q) / (np.sqrt(np.pi) * v ** 0.25)
    out[x == 0] = _AI0
    return out


KERNELS2 = {"bessel_j0": _bessel_j(0), "bessel_j1": _bessel_j(1), "bessel_y0": _bessel_y(0),
            "bessel_y1": _bessel_y(1), "modified_bessel_k0": _bessel_k(0.0, False),
            "modified_bessel_k1": _bessel_k(1.0, False),
            "scaled_modified_bessel_k0": _bessel_k(0.0, True),
            "scaled_modified_bessel_k1": _bessel_k(1.0, True), "airy_ai": _airy_ai}
_ARG_X = ("scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "airy_ai")  # PyTorch's
# signatures name their argument x
for _name, _fn in KERNELS2.items():
    globals()[_name] = _declare(_name, _kernel(_fn), "x" if _name in _ARG_X else True)
