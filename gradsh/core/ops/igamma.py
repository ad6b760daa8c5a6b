"""The regularized incomplete gamma functions: torch.igamma / torch.special.gammainc
P(a, x) = gamma(a, x) / Gamma(a) and torch.igammac / torch.special.gammaincc Q(a, x) = 1 - P.

The smaller of the two is computed directly and the other as its complement: P by its power
series where x < a + 1, Q by Legendre's continued fraction (modified Lentz) beyond, both with
the prefactor x^a e^-x / Gamma(a) taken through logs (lgamma from libm). Values are computed in
float64 and rounded to the input's dtype. PyTorch's special values: nan for a < 0, x < 0 or
a = x = 0; P(0, x > 0) = 1; P(a, 0) = 0; P(inf, x) = 0; P(a, inf) = 1 (nan for both infinite).

derivatives.yaml differentiates in x only: grad * exp((a - 1) log(x) - x - lgamma(a)) (its
negative for Q); in a it is not implemented.
"""

import numpy as np

from .. import errors
from ..memory import check_elementwise
from ..tensor import Tensor
from .base import iter_result, needs_grad, promote, record, rule, save
from .cephes import lgamma as _lgamma
from .dense import _lifted, _short
from .registry import declare

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300
_MAX_STEPS = 100000


def _series_p(a, x, log_pre):
    """P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n))."""
    total = np.ones_like(a)
    term = total.copy()
    active = np.ones(a.shape, bool)
    n = 0
    while active.any() and n < _MAX_STEPS:
        n += 1
        term[active] *= x[active] / (a[active] + n)
        total[active] += term[active]
        active &= np.abs(term) > np.abs(total) * _EPS
    return np.exp(log_pre) * total


def _fraction_q(a, x, log_pre):
    """Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...))."""
    b = x + 1.0 - a
    c = np.full(a.shape, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    active = np.ones(a.shape, bool)
    i = 0
    while active.any() and i < _MAX_STEPS:
        i += 1
        an = -i * (i - a[active])
        b[active] += 2.0
        dd = an * d[active] + b[active]
        dd = np.where(np.abs(dd) < _TINY, _TINY, dd)
        cc = b[active] + an / c[active]
        cc = np.where(np.abs(cc) < _TINY, _TINY, cc)
        dd = 1.0 / dd
        step = dd * cc
        d[active], c[active] = dd, cc
        h[active] *= step
        done = np.abs(step - 1.0) <= _EPS
        idx = np.flatnonzero(active)
        active[idx[done]] = False
    return np.exp(log_pre) * h


_STIRLING = (1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188)


def _log1pmx(t):
    """log(1 + t) - t without the cancellation near 0 (its series below |t| = 0.5)."""
    out = np.log1p(t) - t
    near = np.abs(t) < 0.5
    if near.any():
        u = t[near]
        total = np.zeros_like(u)
        power = -u
        for k in range(2, 60):
            power = -power * u
            total += power / k
        out[near] = -total
    return out


def _log_prefactor(a, x):
    """log(x^a e^-x / Gamma(a)). For a >= 20 through Stirling's series with x = a (1 + t):
    0.5 log(a / 2 pi) - (lgamma's Stirling correction) + a log1pmx(t), which keeps the digits
    the direct a log x - x - lgamma(a) loses to cancellation between terms of size a."""
    out = a * np.log(x) - x - _lgamma(a)
    big = a >= 20
    if big.any():
        ab, xb = a[big], x[big]
        inv = 1.0 / ab
        corr = np.zeros_like(ab)
        for k, c in enumerate(_STIRLING):
            corr += c * inv ** (2 * k + 1)
        out[big] = (0.5 * np.log(ab / (2 * np.pi)) - corr
                    + ab * _log1pmx((xb - ab) / ab))
    return out


def regularized_gamma(a, x, upper):
    """P(a, x) (Q(a, x) when upper) element by element, computed in float64."""
    check_elementwise(np.broadcast(a, x).size, 1.0, "igamma")  # about 1 us an element
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    a, x = a.astype(np.float64), x.astype(np.float64)
    out = np.full(a.shape, np.nan)
    with np.errstate(all="ignore"):
        ok = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
        aa, xx = a[ok], x[ok]
        log_pre = _log_prefactor(aa, xx)
        small = xx < aa + 1.0
        p = np.empty(aa.shape)
        q = np.empty(aa.shape)
        if small.any():
            p[small] = _series_p(aa[small], xx[small], log_pre[small] - np.log(aa[small]))
            q[small] = 1.0 - p[small]
        big = ~small
        if big.any():
            q[big] = _fraction_q(aa[big], xx[big], log_pre[big])
            p[big] = 1.0 - q[big]
        out[ok] = q if upper else p
        # PyTorch's edges (calc_igamma / calc_igammac), nan stays nan
        lower = {  # condition -> P there
            "a0": ((a == 0) & (x > 0), 1.0), "x0": ((x == 0) & (a > 0), 0.0),
            "ainf": (np.isposinf(a) & np.isfinite(x) & (x >= 0), 0.0),
            "xinf": (np.isposinf(x) & np.isfinite(a) & (a >= 0), 1.0)}
        for cond, p_value in lower.values():
            out[cond] = 1.0 - p_value if upper else p_value
    return out


def _kernel(name, upper):
    def kernel(a, x):
        dtype = np.result_type(a, x)
        return regularized_gamma(a, x, upper).astype(dtype)
    kernel.__name__ = f"{name}_kernel"
    return kernel


def _x_grad(g, self, other, sign):
    """derivatives.yaml: grad * exp((self - 1) * log(other) - other - lgamma(self)) (its
    negative for igammac)."""
    factor = (((self - 1) * other.log() - other - self.lgamma())).exp()
    return (-g if sign < 0 else g) * factor


def _not_implemented(name):
    raise NotImplementedError(f"the derivative for '{name}: input' is not implemented.")


@rule
@_lifted
def IgammaBackward0(need, g, self, other):
    if need[0]:
        _not_implemented("igamma")
    return (None, _x_grad(g, self, other, 1))


@rule
@_lifted
def IgammacBackward0(need, g, self, other):
    if need[0]:
        _not_implemented("igammac")
    return (None, _x_grad(g, self, other, -1))


def checked_args(self, other, name):
    for pos, (arg, x) in enumerate((("input", self), ("other", other)), 1):
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not "
                            f"{type(x).__name__}")
    dtype = np.dtype(promote(self, other))
    if dtype.kind not in "fV":
        raise NotImplementedError(f"\"{name.replace('special_', '')}_cpu\" not implemented for "
                                  f"'{_short(dtype)}'")
    a, b = self._data.astype(dtype, copy=False), other._data.astype(dtype, copy=False)
    try:
        return np.broadcast_arrays(a, b)
    except ValueError:
        raise errors.broadcast_error(a.shape, b.shape) from None


def _declare(name, upper, node):
    kernel = _kernel(name, upper)

    def op(self, other):
        a, x = checked_args(self, other, name)
        out = iter_result(kernel(a, x), self, other)
        if needs_grad(self, other):
            record(out, node, (self, other), (save(self, "self"), save(other, "other")))
        return out
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"The regularized {'upper' if upper else 'lower'} incomplete gamma function "
                  f"{'Q' if upper else 'P'}(self, other).")
    op.__module__ = __name__
    return declare(name=name, inplace=True, tensor_first=True)(op)


igamma = _declare("igamma", False, IgammaBackward0)
igammac = _declare("igammac", True, IgammacBackward0)
