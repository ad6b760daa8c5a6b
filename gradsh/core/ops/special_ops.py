"""The gamma family, Bessel I0/I1, the normal distribution's functions, zeta, xlogy, entr, sinc:
each op beside its derivative rule (derivatives.yaml's formulas, written with gradsh's ops so a
double backward records PyTorch's nodes). The kernels are in ops/cephes.py.

Ops PyTorch has only under torch.special (`torch.special.i0e`, ...) are declared `special=True`
and their nodes carry PyTorch's `Special` prefix (SpecialI0EBackward0); gradsh/special.py adds
the aliases (gammaln, psi, expit, ...).
"""

import math

import numpy as np

from .. import errors
from ..dtypes import default_float_np, np_finfo
from ..memory import check_alloc, check_elementwise
from ..node import node_class, node_name
from ..tensor import TENSOR_TYPES, Tensor
from . import cephes
from .dtype_refusals import HALVES, refuse_kernel
from . import prim as P
from .base import (save_both, contiguous_result, iter_result, needs_grad, promote, record,
                   save, save_out, rule)
from .pointwise import (RoundBackward1, _pow_int, add_scalar, div_scalar, erf, mul_scalar, sgn,
                        sub_scalar)
from .registry import declare

_SQRT_2PI = math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _float_data(t):
    """t's array, integers and bools as the default float dtype (PyTorch's promotion); a
    complex array as it is (only the complex-aware ops reach here with one: complex_gate)."""
    d = t._data
    return d if d.dtype.kind in "fVc" else d.astype(default_float_np())


def _in_float32(kernel):
    """kernel as PyTorch's Half and BFloat16 kernels compute: in float32 (opmath), rounded once
    to the input's dtype (computing in float16 loses digits and numpy's mixing with float64
    constants returned float64)."""
    def f(a, *args):
        if a.dtype == np.float16 or a.dtype.kind == "V":
            return np.asarray(kernel(a.astype(np.float32), *args)).astype(a.dtype)
        return kernel(a, *args)
    return f


def _on_both(kernel, op):
    """A function of rules: op on a tensor (recorded), the kernel on an array (the array lane)."""
    def f(a, *args):
        return op(a, *args) if type(a) in TENSOR_TYPES else kernel(a, *args)
    return f


# microseconds an element of the kernels written as many numpy passes (measured on float32,
# rounded up: tools/measure_special_costs.py); memory.check_elementwise refuses past MAX_WORK
COSTS = {"erfc": 0.15, "digamma": 0.2, "lgamma": 0.6, "i0": 1.3, "i0e": 1.2, "i1": 0.5,
         "i1e": 0.5, "ndtri": 0.9, "log_ndtr": 0.45, "erfcx": 0.25}


def _unary(name, kernel, rule_fn, doc, node=None, special=False, opmath=True):
    """Declare a unary op from its kernel and rule: the rule's parameters after (need, g) say
    what the node saves (`self`, `result`, in that order). An op of torch.special only has no
    method, torch function or in-place variant, and its node is named special_<name>. Half
    and BFloat16 run the kernel in float32 unless opmath is False (the kernel rounds its steps
    itself)."""
    cls = node_class(node or node_name(("special_" if special else "") + name), rule_fn)
    kernel = _in_float32(kernel) if opmath else kernel

    cost = COSTS.get(name)

    def op(self):
        if cost is not None:
            check_elementwise(self._data.size, cost, name)
        out = iter_result(kernel(_float_data(self)), self)
        if needs_grad(self):
            saved = {"self": lambda: save(self, "self"), "result": lambda: save_out(out)}
            record(out, cls, (self,), tuple(saved[n]() for n in cls.saved_names))
        return out
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    op.__module__ = __name__
    if special:
        return declare(name=name, method=False, function=False, inplace=False, special=True,
                       tensor_first=True)(op)
    return declare(name=name, inplace=True, tensor_first=True)(op)


# ----- the error function's relatives and 2 ** x ----------------------------------------------
erfc = _unary("erfc", cephes.erfc, lambda need, g, self: (
    mul_scalar(P.exp(-_pow_int(self, 2)), -_TWO_OVER_SQRT_PI) * g,), "1 - erf(x), accurately.")
exp2 = _unary("exp2", np.exp2, lambda need, g, result: (mul_scalar(g * result, math.log(2.0)),),
              "2 ** x.")


# ----- the gamma family -----------------------------------------------------------------------
@rule
def PolygammaBackward0(need, g, n, self):
    return (g * _polygamma(self, n + 1),)


def _polygamma_op(self, n):
    """The n-th derivative of digamma (Tensor.polygamma(n); torch.polygamma(n, input))."""
    if not -2 ** 63 <= n < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")   # PyTorch's, for an int64 n
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    out = iter_result(_polygamma_kernel(_float_data(self), n), self)
    if needs_grad(self):
        record(out, PolygammaBackward0, (self,), (n, save(self, "self")))
    return out


def _polygamma_kernel(a, n):
    """polygamma in a's dtype. Half and BFloat16: digamma and trigamma in float32, rounded
    once; past them ATen's (-1) ** (n + 1) * n! * zeta(n + 1, x) with zeta rounded to the
    dtype before the product (measured: polygamma(3, 0.5) is 97.375 in float16)."""
    if n < 2 or not (a.dtype == np.float16 or a.dtype.kind == "V"):
        return _in_float32(lambda x: cephes.polygamma(n, x))(a)
    x = a.astype(np.float32)
    z = cephes.zeta(np.full_like(x, n + 1), x).astype(a.dtype).astype(np.float32)
    with np.errstate(over="ignore"):
        factorial = np.float32(np.exp(math.lgamma(n + 1)) if n < 171 else np.inf)
    return ((1 if n % 2 else -1) * factorial * z).astype(a.dtype)


_polygamma = _on_both(_polygamma_kernel, _polygamma_op)
digamma = _unary("digamma", cephes.digamma,
                 lambda need, g, self: (g * _polygamma(self, 1),),
                 "The logarithmic derivative of the gamma function.")
lgamma = _unary("lgamma", cephes.lgamma,
                lambda need, g, self: (g * _on_both(cephes.digamma, digamma)(self),),
                "log |gamma(x)|.")


def _torch_polygamma(n, input):
    if not isinstance(input, Tensor):
        raise TypeError(f"polygamma(): argument 'input' (position 2) must be Tensor, not "
                        f"{errors.type_name(input)}")
    return _polygamma_op(input, n)


declare(name="polygamma", function=_torch_polygamma, inplace=True)(_polygamma_op)


def _mvlgamma_args(x, p):
    """x[..., None] + (-(p - 1) / 2, ..., -1/2, 0): the p arguments of lgamma (PyTorch makes
    them as one tensor too: a huge p is refused by the memory limit, as it runs out there)."""
    check_alloc(tuple(np.shape(P.data(x))) + (int(p),), P.data(x).dtype)
    offsets = np.arange(-p * 0.5 + 0.5, 0.5, 0.5, dtype=P.data(x).dtype)
    if type(x) in TENSOR_TYPES:
        return Tensor._make(offsets) + x.unsqueeze(-1)
    return offsets + x[..., None]


@rule
def MvlgammaBackward0(need, g, p, self):
    return (g * _on_both(cephes.digamma, digamma)(_mvlgamma_args(self, p)).sum(-1),)


@declare(inplace=True, tensor_first=True)
def mvlgamma(self, p):
    """The multivariate log-gamma function of dimension p (ATen's mvlgamma: the sum of
    lgamma(x - i / 2), i < p, plus p (p - 1) / 4 log(pi))."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    d = _float_data(self)
    with np.errstate(all="ignore"):
        values = cephes.lgamma(_mvlgamma_args(d, p)).sum(-1)
        values = values + d.dtype.type(p * (p - 1) * math.log(math.pi) * 0.25)
    out = contiguous_result(values)  # ATen's is a sum over a last dim: contiguous
    if needs_grad(self):
        record(out, MvlgammaBackward0, (self,), (p, save(self, "self")))
    return out


# ----- modified Bessel functions --------------------------------------------------------------
def _safe(self):
    """i1_backward's guard: (|x| > eps, x with eps where it is not)."""
    eps = np_finfo(P.data(self).dtype).eps
    keep = np.abs(P.data(self)) > eps
    return keep, P.where(keep, self, eps)


def _i1_grad(need, g, self, result):
    keep, x = _safe(self)
    return (g * P.where(keep, _i0(x) - result * P.reciprocal(x), 0.5),)


def _i1e_grad(need, g, self, result):
    keep, x = _safe(self)
    return (g * P.where(keep, _i0e(x) - result * (sgn(x) + P.reciprocal(x)), 0.5),)


i0 = _unary("i0", cephes.i0, lambda need, g, self: (g * _i1(self),),
            "The modified Bessel function of the first kind of order 0.")
i0e = _unary("i0e", cephes.i0e, lambda need, g, self, result: (
    g * (_i1e(self) - sgn(self) * result),), "exp(-|x|) * i0(x).", special=True)
i1 = _unary("i1", cephes.i1, _i1_grad, "The modified Bessel function of the first kind of "
            "order 1.", special=True)
i1e = _unary("i1e", cephes.i1e, _i1e_grad, "exp(-|x|) * i1(x).", special=True)
_i0 = _on_both(cephes.i0, i0)
_i0e = _on_both(cephes.i0e, i0e)
_i1 = _on_both(cephes.i1, i1)
_i1e = _on_both(cephes.i1e, i1e)


# ----- the normal distribution ----------------------------------------------------------------
ndtri = _unary("ndtri", cephes.ndtri, lambda need, g, result: (
    mul_scalar(g, _SQRT_2PI) * P.exp(div_scalar(_pow_int(result, 2), 2)),),
    "The inverse of the standard normal CDF.", special=True)
log_ndtr = _unary("log_ndtr", cephes.log_ndtr, lambda need, g, self, result: (
    div_scalar(g, _SQRT_2PI) * P.exp(-(result + div_scalar(_pow_int(self, 2), 2))),),
    "log of the standard normal CDF, accurate far into the left tail.", special=True)
erfcx = _unary("erfcx", cephes.erfcx, lambda need, g, self, result: (
    sub_scalar(mul_scalar(self, 2.0) * result, _TWO_OVER_SQRT_PI) * g,),
    "exp(x * x) * erfc(x), without overflow.", special=True)


@declare(method=False, function=False, inplace=False, special=True, tensor_first=True)
def ndtr(self):
    """The standard normal CDF, composed as ATen composes it: (1 + erf(x / sqrt(2))) * 0.5."""
    return mul_scalar(add_scalar(erf(mul_scalar(self if self._data.dtype.kind in "fV" else
                                                 Tensor._make(_float_data(self)),
                                                 math.sqrt(0.5))), 1), 0.5)


# ----- entr and sinc --------------------------------------------------------------------------
def _entr_kernel(a):
    """entr; Half and BFloat16 as PyTorch's kernel computes them in the dtype: log(x) rounded
    to it, then the product rounded (entr(3.) is -3.296875 in float16, not -3.2949)."""
    if not (a.dtype == np.float16 or a.dtype.kind == "V"):
        return cephes.entr(a)
    x = a.astype(np.float32)
    with np.errstate(all="ignore"):
        log = np.log(x).astype(a.dtype).astype(np.float32)
    return np.where(x > 0, -x * log, cephes.entr(x)).astype(a.dtype)


entr = _unary("entr", _entr_kernel, lambda need, g, self: (g * -add_scalar(P.log(self), 1),),
              "-x * log(x) (0 at 0, -inf below).", special=True, opmath=False)


def _sinc_grad(need, g, self):
    # sinc_backward: grad * (pi x cos(pi x) - sin(pi x)) / (pi x x), 0 where pi x x is 0
    x_pi = mul_scalar(self, math.pi)
    squared_pi = mul_scalar(self * self, math.pi)
    out = g * ((x_pi * P.cos(x_pi) - P.sin(x_pi)) / squared_pi)
    return (P.where(P.data(squared_pi) == 0, P.zeros_like(out) if type(out) not in TENSOR_TYPES
                    else 0.0, out),)


sinc = _unary("sinc", cephes.sinc, _sinc_grad, "sin(pi x) / (pi x), 1 at 0.")


# ----- xlogy, xlog1py and zeta: a tensor or a number on either side ---------------------------
def _binary_arrays(self, other, name):
    """Both operands as float arrays of the promoted dtype; the node's overload (0: two tensors,
    1: a number first, 2: a number second)."""
    if not isinstance(self, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({errors.type_name(self)}, {errors.type_name(other)})")
    dtype = promote(self, other)
    if np.dtype(dtype).kind not in "fV":
        dtype = default_float_np()
    a = self._data if isinstance(self, Tensor) else self
    b = other._data if isinstance(other, Tensor) else other
    a, b = np.asarray(a, dtype), np.asarray(b, dtype)
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise errors.broadcast_error(a.shape, b.shape) from None
    overload = 0 if isinstance(self, Tensor) and isinstance(other, Tensor) else (
        2 if isinstance(self, Tensor) else 1)
    return a, b, overload


def _xlogy_family(name, node_prefix, kernel, shift, doc, **where):
    """xlogy (shift 0) or xlog1py (shift 1) with its three nodes."""
    def self_grad(g, self, other):  # xlogy(grad, other), 0 where self == 0 and other <= -shift
        return P.masked_fill(fn(g, other), (P.data(self) == 0) & (P.data(other) <= -shift), 0.0)

    def other_grad(g, self, other):
        shifted = add_scalar(other, 1) if shift else other
        return (mul_scalar(g, self) if not isinstance(self, (Tensor, np.ndarray)) else g * self) \
            / shifted

    def both(need, g, self, other):
        return (self_grad(g, self, other) if need[0] else None,
                other_grad(g, self, other) if need[1] else None)

    nodes = (node_class(f"{node_prefix}Backward0", both),
             node_class(f"{node_prefix}Backward1",
                        lambda need, g, self, other: (other_grad(g, self, other),)),
             node_class(f"{node_prefix}Backward2",
                        lambda need, g, self, other: (self_grad(g, self, other),)))

    def fn(self, other):
        if not isinstance(self, Tensor) and not isinstance(other, Tensor):
            if isinstance(self, np.ndarray) or isinstance(other, np.ndarray):  # the array lane
                like = self if isinstance(self, np.ndarray) else other
                return kernel(*np.broadcast_arrays(np.asarray(self, like.dtype),
                                                   np.asarray(other, like.dtype)))
        a, b, overload = _binary_arrays(self, other, name)
        out = iter_result(kernel(*np.broadcast_arrays(a, b)), *(
            t for t in (self, other) if isinstance(t, Tensor)))
        inputs = [t for t in (self, other) if isinstance(t, Tensor)]
        if needs_grad(*inputs):
            record(out, nodes[overload], tuple(inputs), save_both(self, other, "self", "other"))
        return out
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return declare(name=name, **where)(fn)


xlogy = _xlogy_family("xlogy", "Xlogy", cephes.xlogy, 0, "self * log(other), 0 where self is 0.",
                      inplace=True)
xlog1py = _xlogy_family("xlog1py", "SpecialXlog1Py", cephes.xlog1py, 1,
                        "self * log1p(other), 0 where self is 0.", method=False, function=False,
                        inplace=False, special=True)


def _zeta_not_implemented():
    raise NotImplementedError("the derivative for 'zeta' is not implemented.")


def _zeta_q_grad(g, x, q):  # grad * -self * special_zeta(self + 1., other)
    return (g * -x if isinstance(x, (Tensor, np.ndarray)) else mul_scalar(g, -x)) * zeta(
        add_scalar(x, 1.0) if isinstance(x, (Tensor, np.ndarray)) else x + 1.0, q)


@rule
def SpecialZetaBackward0(need, g, self, other):
    if need[0]:
        _zeta_not_implemented()
    return (None, _zeta_q_grad(g, self, other))


@rule
def SpecialZetaBackward1(need, g, self, other):
    return (_zeta_q_grad(g, self, other),)


@rule
def SpecialZetaBackward2(need, g, self, other):
    _zeta_not_implemented()


_ZETA_NODES = (SpecialZetaBackward0, SpecialZetaBackward1, SpecialZetaBackward2)


@declare(method=False, function=False, inplace=False, special=True)
def zeta(self, other):
    """The Hurwitz zeta function sum((k + other) ** -self, k >= 0)."""
    if not isinstance(self, Tensor) and not isinstance(other, Tensor):
        if isinstance(self, np.ndarray) or isinstance(other, np.ndarray):  # the array lane
            like = self if isinstance(self, np.ndarray) else other
            return cephes.zeta(np.asarray(self, like.dtype), np.asarray(other, like.dtype))
    a, b, overload = _binary_arrays(self, other, "special_zeta")
    refuse_kernel("zeta_cpu", a, HALVES)
    inputs = [t for t in (self, other) if isinstance(t, Tensor)]
    out = iter_result(cephes.zeta(a, b), *inputs)
    if needs_grad(*inputs):
        record(out, _ZETA_NODES[overload], tuple(inputs), (save(self, "self"),
                                                          save(other, "other")))
    return out


def round_decimals(self, decimals):
    """torch.special.round: round(self, decimals) recorded as round.decimals (RoundBackward1)
    even for decimals=0, as PyTorch's special_round calls that overload."""
    refuse_kernel("round_vml_cpu" if decimals == 0 else "round_cpu", self._data)
    out = iter_result(np.round(self._data, decimals), self)
    if needs_grad(self):
        record(out, RoundBackward1, (self,))
    return out
