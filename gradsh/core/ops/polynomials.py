"""torch.special's orthogonal polynomials: Chebyshev T/U/V/W and their shifted forms, Hermite
H/He, Laguerre L and Legendre P, each p_n(x) for a tensor or a number on either side.

PyTorch declares them without a derivative (the result never requires grad, no node), and
computes each element as ATen's Math.h does: special values at x = +-1 (or 0 and 1 for the
shifted forms), the trigonometric closed form for a large n inside (-1, 1), else the three-term
recurrence in the input's float dtype, so a float32 result rounds as PyTorch's does. Here the
recurrence runs on every element at once, each stopping at its own n (or once it is nan, which
it then stays).
"""

import ctypes
import functools

import numpy as np

from ..tensor import Tensor
from .base import iter_result
from .. import errors
from ..fma import _fma32
from ..memory import MICROSECOND, check_flops
from . import cephes
from .registry import declare
from .special_ops import _binary_arrays


MAX_STEPS = 10_000  # of the recurrence (PyTorch takes a minute at n = 2 ** 31; a step costs
# gradsh ~0.2 ms per call, so past this it refuses rather than hang)


def _run(x, n, cases, first, step):
    """p_n(x) elementwise: `cases` are (mask, value) functions of (x, n) tried in order; then
    p_0 = 1, p_1 = first(x) and the recurrence p_k = step(k, x, p_{k-1}, p_{k-2}) for
    k = 2 .. n."""
    t = x.dtype.type
    out = np.zeros_like(x)
    done = np.zeros(x.shape, bool)
    with np.errstate(all="ignore"):
        for mask, value in cases + [(lambda x, n: n == 0, lambda x, n: 1),
                                    (lambda x, n: n == 1, lambda x, n: first(x))]:
            m = mask(x, n) & ~done
            if m.any():
                out[m] = np.broadcast_to(value(x, n), x.shape)[m]
            done |= m
        todo = np.flatnonzero(~done.ravel())
        if todo.size:
            xs, ns = x.ravel()[todo], n.ravel()[todo]
            # every running element costs a step of numpy passes (about 0.03 us) per degree
            steps = min(int(ns.max()), MAX_STEPS + 1)
            check_flops(int(todo.size * steps * 0.03 * MICROSECOND),
                        f"a special polynomial's recurrence ({steps} steps of {todo.size} "
                        "elements)")
            p, q = np.ones_like(xs), first(xs)
            k = 2
            flat = out.reshape(-1)
            while True:  # the elements still running, compacted as they finish
                running = (ns >= k) & ~np.isnan(q)
                if not running.all():
                    flat[todo[~running]] = q[~running]
                    todo, xs, ns, p, q = (v[running] for v in (todo, xs, ns, p, q))
                if not todo.size:
                    break
                if k > MAX_STEPS:
                    raise RuntimeError(
                        f"special polynomial of degree {int(ns.max())}: the recurrence would "
                        f"take more than gradsh's limit of {MAX_STEPS} steps (PyTorch loops n "
                        "times; the closed forms cover |x| < 1 for the Chebyshev families)")
                p, q = q, step(t(k), xs, q, p)
                k += 1
    return out


def _libm(name, fallback):
    """The C library's float32 function `name` (acosf, cosf, sinf) element by element, as
    PyTorch's kernels call it (glibc's acosf is not correctly rounded: measured, the closed forms
    match bit for bit only so); float64 arrays go to numpy (the same libm results). The library
    is looked up on the first float32 call, not at import (start-up)."""
    @functools.cache
    def f32():
        try:
            f = getattr(cephes.libm(), name)
        except AttributeError:  # (no libm: None)
            return None
        f.restype, f.argtypes = ctypes.c_float, (ctypes.c_float,)
        return np.frompyfunc(f, 1, 1)

    def call(a):
        if a.dtype != np.float32:
            return fallback(a)
        fn = f32()
        if fn is None:
            return fallback(a.astype(np.float64)).astype(np.float32)
        return np.asarray(fn(a), np.float32).reshape(a.shape)
    return call


@functools.cache
def _libm_fma():
    try:
        f = cephes.libm().fma
    except AttributeError:
        return None
    f.restype, f.argtypes = ctypes.c_double, (ctypes.c_double,) * 3
    return np.frompyfunc(f, 3, 1)


_SPLIT_LIMIT = 1e290


_acos, _cos, _sin = _libm("acosf", np.arccos), _libm("cosf", np.cos), _libm("sinf", np.sin)


def _fma(a, b, c):
    """a * b + c rounded once (ATen's loops are compiled with contraction); in float32 the
    float64 sum rounded once more never overflows early, so a finite float32 overflow is +-inf
    as in PyTorch, not the nan of inf - inf."""
    if a.dtype != np.float32:
        out = cephes._fma(a, b, c)
        huge = np.abs(out) > _SPLIT_LIMIT  # (Dekker's split overflows there: libm's fma)
        if huge.any() and _libm_fma() is not None:
            fma = _libm_fma()
            out[huge] = np.asarray(fma(*(np.broadcast_to(v, out.shape)[huge]
                                         for v in (a, b, c))), np.float64)
        return out
    fused = _fma32(a, b, c)  # (nan where an input is infinite: then the plain sum is right)
    return np.where(np.isnan(fused), a * b + c, fused)


def _sign_odd(n, value):
    """value where n is even, -value where it is odd."""
    return np.where(n % 2 == 0, value, -value)


def _closed(x, n, limit, shift=False):
    return (n > limit) & (np.abs(_y(x) if shift else x) < 1)


def _y(x):
    return x + x - 1


def _cheb_t(x, n, shift):
    t = x.dtype.type
    y = _y(x) if shift else x
    special = ([(lambda x, n: x == 1, lambda x, n: 1),
                (lambda x, n: x == 0, lambda x, n: _sign_odd(n, t(1)))] if shift else
               [(lambda x, n: np.abs(x) == 1,
                 lambda x, n: np.where((x > 0) | (n % 2 == 0), t(1), t(-1)))])
    return special + [(lambda x, n: _closed(x, n, 6, shift),
                       lambda x, n: _cos(n.astype(t) * _acos(y)))]


def _cheb_u(x, n, shift):
    t = x.dtype.type
    y = _y(x) if shift else x
    n1 = (n + 1).astype(t)
    special = ([(lambda x, n: x == 1, lambda x, n: n1),
                (lambda x, n: x == 0, lambda x, n: _sign_odd(n, n1))] if shift else
               [(lambda x, n: np.abs(x) == 1, lambda x, n: np.where((x > 0) | (n % 2 == 0),
                                                                     n1, -n1))])
    a = _acos(y)
    s = _sin(a)
    return special + [(lambda x, n: _closed(x, n, 6 if shift else 8, shift),
                       lambda x, n: np.where(s != 0, _sin(n1 * a) / s,
                                             n1 * _cos(n1 * a) / y))]


def _cheb_v(x, n, shift):
    t = x.dtype.type
    y = _y(x) if shift else x
    odd = (n + n + 1).astype(t)
    special = ([(lambda x, n: x == 1, lambda x, n: 1),
                (lambda x, n: x == 0, lambda x, n: _sign_odd(n, odd))] if shift else
               [(lambda x, n: np.abs(x) == 1,
                 lambda x, n: np.where(x > 0, t(1), _sign_odd(n, odd)))])
    a = _acos(y)
    return special + [(lambda x, n: _closed(x, n, 6 if shift else 8, shift),
                       lambda x, n: np.where(_sin(a / t(2)) != 1,
                                             _cos((n.astype(t) + t(0.5)) * a) / _cos(a / t(2)),
                                             _sign_odd(n, odd)))]


def _cheb_w(x, n, shift):
    t = x.dtype.type
    y = _y(x) if shift else x
    odd = (n + n + 1).astype(t)
    at_one = (lambda x, n: odd) if shift else (lambda x, n: np.where(x > 0, odd,
                                                                      _sign_odd(n, t(1))))
    special = ([(lambda x, n: x == 1, at_one),
                (lambda x, n: x == 0, lambda x, n: _sign_odd(n, t(1)))] if shift else
               [(lambda x, n: np.abs(x) == 1, at_one)])
    a = _acos(y)
    fallback = _sign_odd(n, t(1)) if shift else np.where(x > 0, odd, _sign_odd(n, t(1)))
    return special + [(lambda x, n: _closed(x, n, 4 if shift else 8, shift),
                       lambda x, n: np.where(_cos(a / t(2)) != 1,
                                             _sin((n.astype(t) + t(0.5)) * a) / _sin(a / t(2)),
                                             fallback))]


def _chebyshev(kind, shift):
    cases = {"t": _cheb_t, "u": _cheb_u, "v": _cheb_v, "w": _cheb_w}[kind]
    offset = {"t": 0, "u": 1, "v": -1, "w": 1}[kind]  # p_1 = 2x (U), 2x - 1 (V), 2x + 1 (W)

    def first(x):
        y = _y(x) if shift else x
        if kind == "t":
            return y
        return y + y + x.dtype.type(offset) if offset != 1 or kind == "w" else y + y

    def fn(x, n):
        return _run(x, n, [(lambda x, n: n < 0, lambda x, n: 0)] + cases(x, n, shift), first,
                    lambda k, x, q, p: _fma((_y(x) + _y(x)) if shift else (x + x), q, -p))
    return fn


def _kernels():
    out = {}
    for shift in (False, True):
        for kind in "tuvw":
            name = ("shifted_" if shift else "") + f"chebyshev_polynomial_{kind}"
            out[name] = _chebyshev(kind, shift)
    negative = [(lambda x, n: n < 0, lambda x, n: 0)]
    out["hermite_polynomial_h"] = lambda x, n: _run(
        x, n, negative, lambda x: x + x, lambda k, x, q, p: _fma(x + x, q, -((k + k - 2) * p)))
    out["hermite_polynomial_he"] = lambda x, n: _run(
        x, n, negative, lambda x: x, lambda k, x, q, p: _fma(x, q, -((k - 1) * p)))
    out["laguerre_polynomial_l"] = lambda x, n: _run(
        x, n, negative + [(lambda x, n: np.abs(x) == 0, lambda x, n: 1)], lambda x: 1 - x,
        lambda k, x, q, p: _fma((k - 1) + (k - 1) + (1 - x), q, -((k - 1) * p)) / k)
    out["legendre_polynomial_p"] = lambda x, n: _run(
        x, n, negative + [(lambda x, n: np.abs(x) == 1,
                           lambda x, n: np.where((x > 0) | (n == 0) | (n % 2 == 0), 1, -1))],
        lambda x: x, lambda k, x, q, p: _fma((k - 1 + k - 1 + 1) * x, q, -((k - 1) * p)) / k)
    return out


KERNELS = _kernels()


def _declare(name, kernel):
    def op(x, n):
        if not (isinstance(x, Tensor) or isinstance(n, Tensor)) or not all(
                isinstance(v, (Tensor, int, float)) for v in (x, n)):
            raise TypeError(
                f"special_{name}() received an invalid combination of arguments - got "
                f"({errors.type_name(x)}, {errors.type_name(n)}), but expected one of:\n"
                " * (Tensor x, Tensor n, *, Tensor out = None)\n"
                " * (Number x, Tensor n, *, Tensor out = None)\n"
                " * (Tensor x, Number n, *, Tensor out = None)\n")
        a, b, _ = _binary_arrays(x, n, "special_" + name)
        a, b = np.broadcast_arrays(a, b)
        with np.errstate(invalid="ignore"):
            # static_cast: truncation (np.asarray in C order keeps a 0-d array 0-d, where
            # ascontiguousarray makes it 1-d)
            degree = np.asarray(b, np.float64, order="C").astype(np.int64)
        return iter_result(kernel(np.asarray(a, order="C"), degree), *(
            t for t in (x, n) if isinstance(t, Tensor)))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"torch.special.{name}(x, n): p_n(x), not differentiable (as in PyTorch)."
    op.__module__ = __name__
    return declare(name=name, method=False, function=False, inplace=False, special=True)(op)


for _name, _kernel in KERNELS.items():
    globals()[_name] = _declare(_name, _kernel)
