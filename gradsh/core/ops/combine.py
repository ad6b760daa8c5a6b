"""Ops that combine several operands in one node, as PyTorch declares them (issue 15, branch
torchbreadth): addcmul, addcdiv, addmv, addr, addbmm, logaddexp, logaddexp2, deg2rad, rad2deg,
float_power, ldexp, frexp, and the ones without a derivative (heaviside, nextafter, gcd, lcm).

Each rule is derivatives.yaml's formula written with gradsh's ops: C++'s `tensor * scalar` is
mul_scalar (MulBackward1), `scalar / tensor` is a full tensor divided (DivBackward0), `1 + t` is
add_scalar (AddBackward1), so double-backward graphs have PyTorch's nodes.
"""

import math

import numpy as np

from .. import autocast as _amp
from .. import errors
from ..dtypes import default_float_np, float64
from ..layout import like
from ..return_types import return_type
from ..tensor import TENSOR_TYPES, Tensor
from . import prim as P
from .base import (save_both, check_alloc, check_broadcast, iter_result, make, needs_grad, operand, promote, record,
                   result, rule, save, save_out, same_dtype_arrays, torch_dtype)
from .linalg import _maybe_multiply, bmm, mv
from .inplace import apply_inplace
from .pointwise import (NotImplementedBackward, _in_float_of, _tname, _ufunc2, add_scalar,
                        mul_scalar, pow, rpow)
from .registry import declare


def _short(d):
    return torch_dtype(d)._short


def _full_div(number, t):
    """C++'s `number / tensor`: a tensor full of the number divided by t (DivBackward0)."""
    if type(t) not in TENSOR_TYPES:
        return t.dtype.type(number) / t
    return make(np.full(t._data.shape, number, t._data.dtype)) / t


def _arrays(*operands):
    """The operands' arrays (or numbers) in the dtype PyTorch computes them in."""
    rt = promote(*operands)
    return rt, [np.asarray(operand(x), rt) for x in operands]


def _as_tensor(x, name):
    if not isinstance(x, Tensor):
        raise errors.not_tensor(x, name)
    return x


# ----- addcmul, addcdiv -----------------------------------------------------------------------
@rule
def AddcmulBackward0(need, g, tensor1, tensor2, value):
    tensor1, tensor2 = _in_float_of(tensor1, g), _in_float_of(tensor2, g)
    return (g if need[0] else None,
            g * mul_scalar(tensor2, value) if need[1] else None,
            g * mul_scalar(tensor1, value) if need[2] else None)


@rule
def AddcdivBackward0(need, g, tensor1, tensor2, value):
    tensor1, tensor2 = _in_float_of(tensor1, g), _in_float_of(tensor2, g)
    return (g if need[0] else None,
            g * _full_div(value, tensor2) if need[1] else None,
            -g * (mul_scalar(tensor1, value) / (tensor2 * tensor2)) if need[2] else None)


def _pointwise3(self, tensor1, tensor2, value, compute, node):
    for name, t in (("input", self), ("tensor1", tensor1), ("tensor2", tensor2)):
        _as_tensor(t, name)
    rt, (a, b, c) = _arrays(self, tensor1, tensor2)
    try:
        shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    except ValueError:
        shape = None
    if shape is None:  # PyTorch names the first pair that does not fit
        for x, y in ((a, b), (np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))
                             if a.shape != b.shape and _fits(a.shape, b.shape) else a, c), (b, c)):
            if not _fits(x.shape, y.shape):
                raise errors.broadcast_error(x.shape, y.shape)
    check_alloc(shape, rt)
    out = iter_result(compute(a, b, c, rt.type(value) if rt.kind != "b" else value),
                      self, tensor1, tensor2)
    if needs_grad(self, tensor1, tensor2):
        record(out, node, (self, tensor1, tensor2),
               (save(tensor1, "tensor1") if tensor2._requires_grad else None,
                save(tensor2, "tensor2"), value))
    return out


def _fits(s1, s2):
    try:
        np.broadcast_shapes(s1, s2)
        return True
    except ValueError:
        return False


@declare(inplace=True, tensor_first=True)
def addcmul(self, tensor1, tensor2, *, value=1):
    """self + value * tensor1 * tensor2, broadcasting."""
    return _pointwise3(self, tensor1, tensor2, value, lambda a, b, c, v: a + v * b * c,
                       AddcmulBackward0)


@declare(inplace=True, tensor_first=True)
def addcdiv(self, tensor1, tensor2, *, value=1):
    """self + value * tensor1 / tensor2, broadcasting."""
    for name, t in (("input", self), ("tensor1", tensor1), ("tensor2", tensor2)):
        _as_tensor(t, name)
    if tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))."
            "to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _pointwise3(self, tensor1, tensor2, value, lambda a, b, c, v: a + v * b / c,
                           AddcdivBackward0)


# ----- addmv, addr, addbmm ------------------------------------------------------------------
def _beta_alpha(i, p, beta, alpha):
    """beta * input + alpha * product, as BLAS does it: input is ignored when beta is 0."""
    if beta == 0:
        return np.broadcast_to(p if alpha == 1 else alpha * p, p.shape).copy() + np.zeros(
            np.broadcast_shapes(np.shape(i), p.shape), p.dtype)
    if beta == 1 and alpha == 1:
        return i + p
    return beta * i + alpha * p


@rule
def AddmvBackward0(need, g, mat, vec, beta, alpha):
    return (_maybe_multiply(g, beta) if need[0] else None,
            _maybe_multiply(_outer(g, vec), alpha) if need[1] else None,
            _maybe_multiply(_mv(P.transpose(mat, 0, 1) if type(mat) not in TENSOR_TYPES else mat.t(), g),
                            alpha) if need[2] else None)


def _outer(a, b):
    if type(a) in TENSOR_TYPES or type(b) in TENSOR_TYPES:
        return a.outer(b)
    return np.multiply.outer(a, b)


def _mv(m, v):
    if type(m) in TENSOR_TYPES or type(v) in TENSOR_TYPES:
        return mv(m, v)
    return m @ v


def _same_dtype(op, *ts):
    d0 = ts[0]._data.dtype
    for t in ts[1:]:
        if t._data.dtype != d0:
            names = ", ".join(_short(t._data.dtype) for t in ts)
            raise RuntimeError(f"{op} input tensors must have the same dtype, but got {names}"
                               if op == "addmv" else
                               f"expected scalar type {_short(d0)} but found "
                               f"{_short(t._data.dtype)}")


def _expand_input(input, shape):
    if not _fits(input._data.shape, shape) or len(input._data.shape) > len(shape) or any(
            s not in (1, t) for s, t in zip(reversed(input._data.shape), reversed(shape))):
        input.expand(*shape)  # PyTorch's error for an input that does not expand to the result


@declare(inplace=True, tensor_first=True)
def addmv(self, mat, vec, *, beta=1, alpha=1):
    """beta * self + alpha * (mat @ vec)."""
    _as_tensor(mat, "mat"), _as_tensor(vec, "vec")
    m, v = mat._data, vec._data
    if m.ndim != 2 or v.ndim != 1 or self._data.ndim > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {self._data.ndim}, {m.ndim}, "
                           f"{v.ndim}")
    if m.shape[1] != v.shape[0] or self._data.shape not in ((), (1,), (m.shape[0],)):
        raise RuntimeError(f"size mismatch, got input ({self._data.shape[0] if self._data.ndim else 1}"
                           f"), mat ({m.shape[0]}x{m.shape[1]}), vec ({v.shape[0]})")
    _same_dtype("addmv", self, mat, vec)
    out = result(_beta_alpha(self._data, m @ v, beta, alpha))
    if needs_grad(self, mat, vec):
        record(out, AddmvBackward0, (self, mat, vec),
               (save(mat, "mat") if vec._requires_grad else None,
                save(vec, "vec") if mat._requires_grad else None, beta, alpha))
    return out


@rule
def AddrBackward0(need, g, vec1, vec2, beta, alpha):
    return (_maybe_multiply(g, beta) if need[0] else None,
            _maybe_multiply(_mv(g, vec2), alpha) if need[1] else None,
            _maybe_multiply(_mv(g.t() if type(g) in TENSOR_TYPES else g.T, vec1), alpha)
            if need[2] else None)


@declare(inplace=True, tensor_first=True)
def addr(self, vec1, vec2, *, beta=1, alpha=1):
    """beta * self + alpha * outer(vec1, vec2)."""
    _as_tensor(vec1, "vec1"), _as_tensor(vec2, "vec2")
    for name, x in (("vec1", vec1), ("vec2", vec2)):
        if x._data.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {x._data.ndim}-D")
    a, b = vec1._data, vec2._data
    rt = promote(self, vec1, vec2)
    shape = (a.shape[0], b.shape[0])
    _expand_input(self, shape)
    i, a, b = self._data.astype(rt), a.astype(rt), b.astype(rt)
    if rt.kind == "b":
        if beta not in (0, 1, True, False) or alpha not in (0, 1, True, False):
            raise RuntimeError("Boolean beta only supported for Boolean results."
                               if beta not in (0, 1, True, False) else
                               "Boolean alpha only supported for Boolean results.")
        p = np.logical_and.outer(a, b) & bool(alpha)
        out = result(np.broadcast_to((i & bool(beta)) | p, shape).copy())
    else:
        r = np.broadcast_to(_beta_alpha(i, np.multiply.outer(a, b), beta, alpha), shape)
        out = make(like(self._data, r) if self._data.shape == shape else r.copy())
    if needs_grad(self, vec1, vec2):
        record(out, AddrBackward0, (self, vec1, vec2),
               (save(vec1, "vec1") if vec2._requires_grad else None,
                save(vec2, "vec2") if vec1._requires_grad else None, beta, alpha))
    return out


@rule
def AddbmmBackward0(need, g, batch1, batch2, beta, alpha, sizes):
    b, n, p = sizes

    def expanded():
        return (g.unsqueeze(0).expand(b, n, p) if type(g) in TENSOR_TYPES
                else np.broadcast_to(g[None], (b, n, p)))

    def tr(x):
        return x.transpose(1, 2) if type(x) in TENSOR_TYPES else x.swapaxes(1, 2)

    def bmm_any(x, y):
        return bmm(x, y) if type(x) in TENSOR_TYPES or type(y) in TENSOR_TYPES else np.matmul(x, y)
    return (_maybe_multiply(g, beta) if need[0] else None,
            _maybe_multiply(bmm_any(expanded(), tr(batch2)), alpha) if need[1] else None,
            _maybe_multiply(bmm_any(tr(batch1), expanded()), alpha) if need[2] else None)


def _addbmm_bfloat16(i, a, b, beta, alpha, shape):
    """PyTorch's bfloat16 addbmm: beta * input, then each batch's product (in float32) added
    and the sum rounded to bfloat16, batch after batch (measured: all equal on random cases)."""
    f32 = np.float32
    acc = np.zeros(shape, f32) if beta == 0 else np.broadcast_to(i.astype(f32) * f32(beta), shape)
    acc = acc.astype(a.dtype)
    for k in range(a.shape[0]):
        p = np.matmul(a[k].astype(f32), b[k].astype(f32))
        acc = (acc.astype(f32) + (p if alpha == 1 else p * f32(alpha))).astype(a.dtype)
    return acc


@declare(inplace=True, tensor_first=True)
def addbmm(self, batch1, batch2, *, beta=1, alpha=1):
    """beta * self + alpha * the sum over the batch of batch1[i] @ batch2[i]."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        self, batch1, batch2 = _amp.lower(self, batch1, batch2)
    _as_tensor(batch1, "batch1"), _as_tensor(batch2, "batch2")
    a, b = batch1._data, batch2._data
    for name, x in (("batch1", a), ("batch2", b)):
        if x.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({a.shape[1]}x{a.shape[2]} and "
                           f"{b.shape[1]}x{b.shape[2]})" if a.shape[0] == b.shape[0] else
                           "batch1 and batch2 must have same number of batches, got "
                           f"{a.shape[0]} and {b.shape[0]}")
    _same_dtype("addbmm", self, batch1, batch2)
    shape = (a.shape[1], b.shape[2])
    _expand_input(self, shape)
    if a.dtype.kind == "V":
        out = result(_addbmm_bfloat16(self._data, a, b, beta, alpha, shape))
    else:
        p = np.matmul(a, b).sum(0) if a.shape[0] else np.zeros(shape, a.dtype)
        out = result(np.broadcast_to(_beta_alpha(self._data, p, beta, alpha), shape).copy())
    if needs_grad(self, batch1, batch2):
        record(out, AddbmmBackward0, (self, batch1, batch2),
               (save(batch1, "batch1") if batch2._requires_grad else None,
                save(batch2, "batch2") if batch1._requires_grad else None, beta, alpha,
                (a.shape[0], a.shape[1], b.shape[2])))
    return out


# ----- logaddexp, logaddexp2 ------------------------------------------------------------------
def _float_pair(name, self, other):
    _as_tensor(self, "input"), _as_tensor(other, "other")
    ad, bd, rt = same_dtype_arrays(self, other)
    check_broadcast(np.shape(ad), np.shape(bd))
    if rt.kind not in "fV":
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_tname(rt)}\'')
    return ad, bd


@rule
def LogaddexpBackward0(need, g, self, other):
    return (g / add_scalar(P.exp(other - self), 1) if need[0] else None,
            g / add_scalar(P.exp(self - other), 1) if need[1] else None)


def _logaddexp_values(a, b, log, exp, ln2):
    with np.errstate(over="ignore", invalid="ignore"):
        m = np.maximum(a, b)
        both_inf = np.isinf(a) & (a == b)
        out = m + log(exp(-np.abs(a - b))) if ln2 else m + np.log1p(np.exp(-np.abs(a - b)))
        return np.where(both_inf, a, out)


@declare
def logaddexp(self, other):
    """log(exp(self) + exp(other)), without overflow."""
    ad, bd = _float_pair("logaddexp", self, other)
    out = iter_result(np.logaddexp(ad, bd), self, other)
    if needs_grad(self, other):
        record(out, LogaddexpBackward0, (self, other), save_both(self, other))
    return out


def _pow2(t):
    """C++'s pow(2, t) (PowBackward2); numpy on arrays."""
    if type(t) in TENSOR_TYPES:
        return rpow(t, 2)
    if t.dtype.kind in "iu":  # integer pow: 2 ** -k is 0, as PyTorch's integer kernel gives
        return np.where(t >= 0, np.power(t.dtype.type(2), np.maximum(t, 0)), t.dtype.type(0))
    return np.power(t.dtype.type(2), t)


@rule
def Logaddexp2Backward0(need, g, self, other):
    return (g / add_scalar(_pow2(other - self), 1) if need[0] else None,
            g / add_scalar(_pow2(self - other), 1) if need[1] else None)


@declare
def logaddexp2(self, other):
    """log2(2 ** self + 2 ** other), without overflow."""
    ad, bd = _float_pair("logaddexp2", self, other)
    out = iter_result(np.logaddexp2(ad, bd), self, other)
    if needs_grad(self, other):
        record(out, Logaddexp2Backward0, (self, other), save_both(self, other))
    return out


# ----- deg2rad, rad2deg -----------------------------------------------------------------------
def _angle_op(name, factor, node_name):
    def rule_fn(need, g):
        return (mul_scalar(g, factor),)
    rule_fn.__name__ = node_name
    node = rule(rule_fn)

    def op(self):
        d = self._data
        if d.dtype.kind not in "fV":
            d = d.astype(default_float_np())
        out = iter_result(d * d.dtype.type(factor), self)
        if needs_grad(self):
            record(out, node, (self,))
        return out
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"Elementwise conversion, times {factor!r}."
    return declare(name=name, inplace=True, tensor_first=True)(op)


deg2rad = _angle_op("deg2rad", math.pi / 180, "Deg2RadBackward0")
rad2deg = _angle_op("rad2deg", 180 / math.pi, "Rad2DegBackward0")


# ----- float_power, ldexp, frexp --------------------------------------------------------------
def _to_double(x):
    if isinstance(x, Tensor):
        return x if x._data.dtype == np.float64 else x.to(float64)
    return float(x)


def _float_power_inplace(self, exponent):
    if self._data.dtype != np.float64:
        raise RuntimeError("the base given to float_power_ has dtype "
                           f"{torch_dtype(self._data.dtype)._short} but the operation's result "
                           "requires dtype Double")
    return apply_inplace(self, float_power, exponent)


@declare(inplace=_float_power_inplace)
def float_power(self, exponent):
    """self ** exponent computed in double precision (PyTorch's composition: both made float64,
    then pow)."""
    if not isinstance(self, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power() received an invalid combination of arguments")
    if isinstance(self, Tensor):
        return pow(_to_double(self), _to_double(exponent))
    return rpow(_to_double(exponent), _to_double(self))


@rule
def LdexpBackward0(need, g, other, result):
    return (g * _pow2(other) if need[0] else None,
            mul_scalar(g * result, math.log(2.0)) if need[1] else None)


@declare(inplace=True, tensor_first=True)
def ldexp(self, other):
    """self * 2 ** other."""
    _as_tensor(other, "other")
    rt = promote(self, other)
    if rt.kind not in "fV":
        rt = default_float_np()
    a, b = self._data.astype(rt), other._data.astype(rt)
    with np.errstate(over="ignore", invalid="ignore"):
        out = iter_result(_ufunc2(np.multiply, a, np.power(rt.type(2), b)), self, other)
    if needs_grad(self, other):
        record(out, LdexpBackward0, (self, other), (save(other), save_out(out)))
    return out


FrexpResult = return_type("frexp", ("mantissa", "exponent"))


@rule
def FrexpBackward0(need, g, exponent):
    return (g / _pow2(exponent),)


@declare(tensor_first=True)
def frexp(self):
    """(mantissa, exponent) with self = mantissa * 2 ** exponent, 0.5 <= |mantissa| < 1."""
    d = self._data
    if d.dtype.kind not in "fV":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(d)
    mant = iter_result(m, self)
    expo = iter_result(e.astype(np.int32), self)
    if needs_grad(self):
        record(mant, FrexpBackward0, (self,), (e.astype(d.dtype),))
    return FrexpResult._of(mant, expo)


# ----- without a derivative: heaviside, nextafter, gcd, lcm -----------------------------------

@declare(inplace=True, tensor_first=True)
def heaviside(self, values):
    """0 where self < 0, values where self == 0, 1 where self > 0."""
    _as_tensor(values, "values")
    a, v = self._data, values._data
    if a.dtype != v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    r = _ufunc2(lambda x, y: np.where(x == 0, y, (x > 0).astype(x.dtype)), a, v)
    out = iter_result(r, self, values)
    if needs_grad(self, values):
        record(out, NotImplementedBackward, (self, values), ("heaviside",))
    return out


@rule
def NextafterBackward0(need, g):
    raise RuntimeError("the derivative for 'nextafter' is not implemented.")


@declare(inplace=True, tensor_first=True)
def nextafter(self, other):
    """The next float after self towards other."""
    _as_tensor(other, "other")
    ad, bd = _float_pair("nextafter", self, other)
    out = iter_result(_ufunc2(np.nextafter, ad, bd), self, other)
    if needs_grad(self, other):
        record(out, NextafterBackward0, (self, other))
    return out


def _integer_op(name, ufunc):
    def op(self, other):
        _as_tensor(other, "other")
        ad, bd, rt = same_dtype_arrays(self, other)
        if rt.kind not in "iu":
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_tname(rt)}\'')
        return iter_result(np.abs(_ufunc2(ufunc, ad, bd)).astype(rt), self, other)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"Elementwise {name} of two integer tensors."
    return declare(name=name, inplace=True, tensor_first=True)(op)


gcd = _integer_op("gcd", np.gcd)
lcm = _integer_op("lcm", np.lcm)
