"""Elementwise ops: arithmetic, comparisons and math functions, each beside its derivative rule."""

import math

import numpy as np

from .. import errors, grad_mode
from ..dtypes import astype, checked_fill, default_float_np, from_numpy_dtype, half_rounded
from ..factories import full_like, scalar_tensor
from ..fma import _fma32, _fma64
from ..node import node_class, node_name, saved_tensor
from ..spare import MIN_SIZE as SPARE_MIN, spare_input, spare_operand
from ..tensor import TENSOR_TYPES, Tensor
from . import prim as P
from . import vml
from ..layout import copy_in_format, in_format, iterated, like, pointwise_layout, preserve_format
from ..meta import (NO_ITEM, MetaArray as _Meta, as_array, no_meta_kernel,  # (core/meta.py)
                    same_device)
from .base import (save_both, arrays_unless, backward_op, check_broadcast, check_broadcast_alloc, fit_int, iter_result, limits,
                   make, needs_grad, operand, promote, record, record_first, result, rule,
                   same_dtype_arrays, save, save_out, state, torch_dtype, _NEED1, _NEED_FIRST)
from .registry import declare
from .expf import sigmoid_float32
from .special import erf as _erf
from .special import erfinv as _erfinv

_ndarray = np.ndarray


def _ufunc2(fn, ad, bd):
    if type(ad) is _ndarray and ad.dtype.kind == "V" and type(bd) is float:
        bd = ad.dtype.type(bd)  # PyTorch casts the number to bfloat16 first (mul/div aside)
    try:
        r = fn(ad, bd)
    except ValueError:
        raise errors.broadcast_error(np.shape(ad), np.shape(bd)) from None
    if type(ad) is _ndarray and ad.dtype.kind == "V" and r.dtype.kind == "f":
        return r.astype(ad.dtype)  # bfloat16 with a number: computed in float32, rounded once
    return r


def _ufunc2_flipped(fn, ad, bd):
    """fn(bd, ad) (numpy's maximum / minimum give their second argument on ties, PyTorch's its
    first), a broadcast error naming self's shape first as PyTorch's does."""
    try:
        return _ufunc2(fn, bd, ad)
    except RuntimeError:
        raise errors.broadcast_error(np.shape(ad), np.shape(bd)) from None


def _reduced_product(self, other, fn):
    """self (float16 or bfloat16, not 0-d) times or divided by a real number or 0-d tensor as
    PyTorch's mul and div kernels compute it: in float32 with the number unrounded (as float32),
    rounded once; None for other operands (the general path)."""
    ad = self._data
    if ad.dtype.itemsize != 2 or ad.dtype.kind not in "fV" or not ad.ndim:
        return None
    to = type(other)
    if to is float or (to is int and -2 ** 63 <= other < 2 ** 64):
        value = other
    elif (to is Tensor or to in TENSOR_TYPES) and not other._data.ndim and \
            other._data.dtype.kind in "fiuV":
        value = other._data.item()
    else:
        return None
    return fn(ad.astype(np.float32), np.float32(value)).astype(ad.dtype)


# The number lane of add, sub and mul: a plain Tensor of float32 or float64 with a Python float or
# int (alpha 1) is the general path's case of a kept 0-d number (_operands) without its tests: no
# promotion, broadcast, bfloat16 or alpha work applies. The result of a C-contiguous array and a
# 0-d one is C-contiguous, so only the input's layout is read (the general path reads both).
_NUMBERS = P.NUMBERS


def _operands(self, other):
    """(self's array, other's array or number) in PyTorch's result dtype; the common cases
    (same-dtype tensors, a float tensor with a Python number) without promotion work."""
    if (type(self) is Tensor or type(self) in TENSOR_TYPES):
        ad = self._data
        to = type(other)
        if to is Tensor or to in TENSOR_TYPES:
            bd = other._data
            if type(ad) is not type(bd):  # (a meta tensor meets a CPU one: PyTorch's error)
                same_device(ad, bd)
            if ad.dtype is bd.dtype:
                if ad.size * bd.size > limits.quick:  # a broadcast may be far larger
                    check_broadcast_alloc(ad, bd)
                return ad, bd
        elif to is float or to is int:
            cache = P.NUMBERS.get(ad.dtype)
            if cache is not None:  # a float32/float64 tensor: P.number_like, inlined
                z = cache.get(other)
                if z is None:
                    z = P.keep_number(cache, other, ad.dtype)
                return ad, z
            if to is float:
                if ad.dtype.kind in "fV":  # rounded to float16 or bfloat16 first (float16
                    # through float32, as PyTorch's Half is built from a float: dtypes.astype)
                    return ad, ad.dtype.type(np.float32(other)) if ad.dtype.kind != "V" \
                        else ad.dtype.type(other)
            elif ad.dtype.kind != "b":
                if to is int:
                    if ad.dtype.kind in "iu":
                        other = _wrapped(other, ad.dtype)
                    elif ad.dtype.kind in "fV":
                        other = operand(other)  # (an int past uint64: PyTorch's OverflowError)
                return ad, other
        if (to is Tensor or to in TENSOR_TYPES) and ad.dtype.kind == "V" and ad.ndim and \
                not other._data.ndim and other._data.dtype.kind == "f":
            # PyTorch casts a 0-d float tensor beside a bfloat16 one to bfloat16 (add, sub, pow,
            # remainder...; mul and div take it unrounded: _reduced_product)
            return ad, ad.dtype.type(float(other._data))
    ad, bd, _ = same_dtype_arrays(tensor_arg(self), other)
    return ad, bd


_INT_RANGES = {}  # integer dtype -> (lowest, highest)


def _wrapped(n, dtype):
    """A Python int as an integer tensor's dtype holds it: wrapped around as PyTorch converts
    the scalar (`int8_tensor + 200` adds -56), never numpy's OverflowError."""
    bounds = _INT_RANGES.get(dtype)
    if bounds is None:
        info = np.iinfo(dtype)
        bounds = _INT_RANGES[dtype] = (int(info.min), int(info.max))
    lo, hi = bounds
    if lo <= n <= hi:
        return n
    if not -2 ** 63 <= n < 2 ** 64:
        raise OverflowError("int too big to convert")
    return (n - lo) % (hi - lo + 1) + lo


def tensor_arg(x):
    """An op's first argument as a tensor (torch.add(2, x) is allowed)."""
    if (type(x) is Tensor or type(x) in TENSOR_TYPES) or isinstance(x, Tensor):
        return x
    if not isinstance(x, (bool, int, float, complex, np.generic, np.ndarray)):  # (rules: arrays)
        raise errors.operand_error(x)
    return scalar_tensor(x)


def wrapped_number(number, like):
    """The Python number of a reflected operator (`2 // x`) as PyTorch wraps it: a 0-d tensor of
    the dtype the number and the tensor `like` promote to (the number never widens an integer
    tensor's dtype, as a plain 0-d int64 tensor would)."""
    if (type(number) is Tensor or type(number) in TENSOR_TYPES) or isinstance(number, Tensor):
        return number
    tensor_arg(number)  # refuses what is not a number
    dt = promote(like, number)
    if type(number) is int and dt.kind in "iu":
        number = fit_int(number, dt)  # wrapped into the dtype (uint8: -1 is 255), as PyTorch
    return make(as_array(number, dt))


# ----- arithmetic -----------------------------------------------------------------------------
def _alpha_number(alpha, name):
    """A tensor given as add's or sub's alpha (a Scalar slot), read as PyTorch's parser reads it
    (core/number_slots.py does this for the other functions; add and sub check it here, where
    a wrapper's reference would cost a temporary left operand its spare buffer)."""
    if alpha.requires_grad or alpha.ndim != 0:
        raise TypeError(f"{name}(): argument 'alpha' must be Number, not Tensor")
    return alpha.item()


def _checked_alpha(alpha, ad, bd):
    """PyTorch's checks of add's and sub's alpha against the result's dtype; for a bool result
    the scaled operand itself (True + 2 * True is True)."""
    dt = np.result_type(ad, bd)
    if isinstance(alpha, (bool, np.bool_)) and dt.kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dt.kind in "biu" and not isinstance(alpha, (int, np.integer, np.bool_)):
        if isinstance(alpha, (complex, np.complexfloating)):
            raise RuntimeError("For non-complex input tensors, argument alpha must not be a "
                               "complex number.")
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if dt.kind in "fV" and isinstance(alpha, (complex, np.complexfloating)):
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex "
                           "number.")
    if dt.kind == "b":
        return np.logical_and(bd, bool(alpha))
    return None


def _fusable(ad, bd):
    """float32 or float64 operands: PyTorch's add kernel computes self + alpha * other there
    as one fused multiply-add (vec::fmadd, and the compiler's contraction in the scalar
    tail), rounded once."""
    return type(ad) is _ndarray and ad.dtype == getattr(bd, "dtype", None) and \
        ad.dtype.type in _FMA


def _scaled_sum(ad, bd, alpha):
    """ad + alpha * bd rounded once (alpha in the operands' type, as PyTorch converts it)."""
    a, b = np.broadcast_arrays(ad, bd)
    t = ad.dtype.type
    return _FMA[t](b, np.full(b.shape, t(alpha)), a)


_FMA = {np.float32: _fma32, np.float64: _fma64}


@rule
def AddBackward0(need, g, alpha):
    return (g if need[0] else None,
            (g if alpha == 1 else g * alpha) if need[1] else None)


@declare(operators=("__add__", "__radd__", "__iadd__"), inplace=True)
def add(self, other, *, alpha=1):
    """self + alpha * other, broadcasting."""
    if type(self) is Tensor and (type(other) is float or type(other) is int) and \
            type(alpha) is int and alpha == 1:
        ad = self._data
        dt = ad.dtype
        cache = _NUMBERS.get(dt)
        if cache is not None:  # the number lane (see _NUMBERS)
            z = cache.get(other)
            if z is None:
                z = P.keep_number(cache, other, dt)
            r = (np.add(ad, z, out=ad) if ad.size >= SPARE_MIN and spare_operand(self, ad, z)
                 else ad + z)
            if type(r) is not _ndarray and type(r) is not _Meta:  # (a 0-d operand: numpy's scalar)
                r = as_array(r)
            if not ad.flags.c_contiguous:
                r = iterated(r, (ad, z))
            out = make(r)
            if self._requires_grad and state.enabled:
                record_first(out, AddBackward0, self, dt, (1,), _NEED_FIRST)
            return out
    if (type(self) is not Tensor and type(self) not in TENSOR_TYPES):  # torch.add(2, t): PyTorch allows a number here
        self = tensor_arg(self)
    if (type(alpha) is Tensor or type(alpha) in TENSOR_TYPES):
        alpha = _alpha_number(alpha, "add")
    ad, bd = _operands(self, other)
    scaled = None
    if type(alpha) is not int or alpha != 1:
        scaled = _checked_alpha(alpha, ad, bd)
    try:
        if scaled is not None:
            r = ad + scaled
        elif alpha != 1 and _fusable(ad, bd):
            r = _scaled_sum(ad, bd, alpha)
        else:
            if alpha != 1:
                bd = bd * alpha
            # (a temporary left operand's array takes the sum: core/spare.py)
            r = (np.add(ad, bd, out=ad) if ad.size >= SPARE_MIN and spare_operand(self, ad, bd)
                 else ad + bd)
    except ValueError:
        raise errors.broadcast_error(np.shape(ad), np.shape(bd)) from None
    if r.dtype is not ad.dtype and ad.dtype.kind == "V":
        r = r.astype(ad.dtype)  # bfloat16 with a number: computed in float32, rounded once
    if not (ad.flags.c_contiguous and r.flags.c_contiguous):  # else numpy's is PyTorch's
        r = iterated(r, (ad, bd))
    out = make(r if isinstance(r, _ndarray) else as_array(r))
    if state.enabled and (self._requires_grad or (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad):
        record(out, AddBackward0, (self, other), (alpha,))
    return out


@rule
def SubBackward0(need, g, alpha):
    return (g if need[0] else None,
            (-g if alpha == 1 else g * -alpha) if need[1] else None)


@declare(aliases=("subtract",), operators=("__sub__", "__isub__"), inplace=True)
def sub(self, other, *, alpha=1):
    """self - alpha * other, broadcasting."""
    if type(self) is Tensor and (type(other) is float or type(other) is int) and \
            type(alpha) is int and alpha == 1:
        ad = self._data
        dt = ad.dtype
        cache = _NUMBERS.get(dt)
        if cache is not None:  # the number lane (see _NUMBERS)
            z = cache.get(other)
            if z is None:
                z = P.keep_number(cache, other, dt)
            r = (np.subtract(ad, z, out=ad) if ad.size >= SPARE_MIN
                 and spare_operand(self, ad, z) else ad - z)
            if type(r) is not _ndarray and type(r) is not _Meta:
                r = as_array(r)
            if not ad.flags.c_contiguous:
                r = iterated(r, (ad, z))
            out = make(r)
            if self._requires_grad and state.enabled:
                record_first(out, SubBackward0, self, dt, (1,), _NEED_FIRST)
            return out
    if (type(self) is not Tensor and type(self) not in TENSOR_TYPES):
        self = tensor_arg(self)
    if self._data.dtype.kind == "b" or type(other) is bool or (
            (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._data.dtype.kind == "b"):
        _refuse_bool_sub(promote(self, other))
    if (type(alpha) is Tensor or type(alpha) in TENSOR_TYPES):
        alpha = _alpha_number(alpha, "sub")
    ad, bd = _operands(self, other)
    if type(alpha) is not int or alpha != 1:
        _checked_alpha(alpha, ad, bd)
    try:
        if alpha != 1 and _fusable(ad, bd):
            r = _scaled_sum(ad, bd, -alpha)
        else:
            if alpha != 1:
                bd = bd * alpha
            r = (np.subtract(ad, bd, out=ad) if ad.size >= SPARE_MIN
                 and spare_operand(self, ad, bd) else ad - bd)
    except ValueError:
        raise errors.broadcast_error(np.shape(ad), np.shape(bd)) from None
    if r.dtype is not ad.dtype and ad.dtype.kind == "V":
        r = r.astype(ad.dtype)  # bfloat16 with a number: computed in float32, rounded once
    if not (ad.flags.c_contiguous and r.flags.c_contiguous):  # else numpy's is PyTorch's
        r = iterated(r, (ad, bd))
    out = make(r if isinstance(r, _ndarray) else as_array(r))
    if state.enabled and (self._requires_grad or (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad):
        record(out, SubBackward0, (self, other), (alpha,))
    return out


def _refuse_bool_sub(rt):
    if rt.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                       "are trying to invert a mask, use the `~` or `logical_not()` operator "
                       "instead.")


@rule
def RsubBackward0(need, g, alpha):
    return ((-g if alpha == 1 else g * -alpha) if need[0] else None, g if need[1] else None)


@rule
def RsubBackward1(need, g, alpha):
    return (-g if alpha == 1 else g * -alpha,)


@declare(method=False, operators=("__rsub__",))
def rsub(self, other, *, alpha=1):
    """other - alpha * self (the reflected subtraction `2 - x`; torch.rsub, no Tensor method)."""
    if (type(other) is Tensor or type(other) in TENSOR_TYPES):
        with grad_mode.no_grad():  # computed as other - alpha * self, recorded as rsub
            out = sub(other, self, alpha=alpha)
        if needs_grad(self, other):
            record(out, RsubBackward0, (self, other), (alpha,))
        return out
    ad, bd, rt = same_dtype_arrays(self, other)
    if self._data.dtype.kind == "b" or type(other) is bool:
        _refuse_bool_sub(rt)
    if rt.kind == "V" and type(bd) is not _ndarray:  # the number rounded to bfloat16 first
        bd = rt.type(bd)
    if type(alpha) is not int or alpha != 1:
        _checked_alpha(alpha, ad, bd)
    out = iter_result(bd - (ad * alpha if alpha != 1 else ad), self)
    if needs_grad(self):
        record(out, RsubBackward1, (self,), (alpha,))
    return out


@rule
def MulBackward0(need, g, other, self):
    return (g * other if need[0] else None, g * self if need[1] else None)


@declare(aliases=("multiply",), operators=("__mul__", "__rmul__", "__imul__"), inplace=True)
def mul(self, other):
    """Elementwise product, broadcasting."""
    if type(self) is Tensor and (type(other) is float or type(other) is int):
        ad = self._data
        dt = ad.dtype
        cache = _NUMBERS.get(dt)
        if cache is not None:  # the number lane (see _NUMBERS)
            z = cache.get(other)
            if z is None:
                z = P.keep_number(cache, other, dt)
            r = (np.multiply(ad, z, out=ad) if ad.size >= SPARE_MIN
                 and spare_operand(self, ad, z) else ad * z)
            if type(r) is not _ndarray and type(r) is not _Meta:
                r = as_array(r)
            if not ad.flags.c_contiguous:
                r = iterated(r, (ad, z))
            out = make(r)
            if self._requires_grad and state.enabled:
                record_first(out, MulBackward0, self, dt, (save(other, "other"), None), _NEED_FIRST)
            return out
    if (type(self) is not Tensor and type(self) not in TENSOR_TYPES):  # torch.mul(2, t): PyTorch allows a number here
        self = tensor_arg(self)
    r = _reduced_product(self, other, np.multiply)
    if r is not None:
        out = make(r)
        if needs_grad(self, other):
            ra = self._requires_grad
            rb = (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad
            record(out, MulBackward0, (self, other),
                   (save(other, "other") if ra else None, save(self, "self") if rb else None))
        return out
    try:
        ad, bd = _operands(self, other)
    except TypeError:
        repeated = errors.sequence_repeat(self, other)
        if repeated is None:
            raise
        return repeated
    try:
        # (not when the rule saves self: other requires grad)
        r = (np.multiply(ad, bd, out=ad) if ad.size >= SPARE_MIN and not (
            (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad) and spare_operand(self, ad, bd)
             else ad * bd)
    except ValueError:
        raise errors.broadcast_error(np.shape(ad), np.shape(bd)) from None
    if r.dtype is not ad.dtype and ad.dtype.kind == "V":
        r = r.astype(ad.dtype)  # bfloat16 with a number: computed in float32, rounded once
    if not (ad.flags.c_contiguous and r.flags.c_contiguous):  # else numpy's is PyTorch's
        r = iterated(r, (ad, bd))
    out = make(r if isinstance(r, _ndarray) else as_array(r))
    if state.enabled:
        ra = self._requires_grad
        rb = (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad
        if ra or rb:
            record(out, MulBackward0, (self, other),
                   (save(other, "other") if ra else None, save(self, "self") if rb else None))
    return out


@rule
def DivBackward0(need, g, self, other):
    if need[1]:  # an integer self divides in other's float dtype, as PyTorch promotes (numpy
        self = _in_float_of(self, other)  # would divide int64 by float32 in float64)
    if need[0] and type(g) is _ndarray and type(other) in (float, int):
        gs = div_scalar(g, other)  # (a float16 g: divided as PyTorch's scalar kernel divides)
    else:
        gs = g / other if need[0] else None
    return (gs, -g * ((self / other) / other) if need[1] else None)  # div_tensor_other_backward


def _in_float_of(a, other):
    """The integer or bool array a cast to other's float dtype (arrays only: tensors promote)."""
    if type(a) is np.ndarray and a.dtype.kind in "biu" and type(other) is np.ndarray \
            and other.dtype.kind in "fV":
        return a.astype(other.dtype)
    return a


@rule
def DivBackward2(need, g, self, other, rounding_mode):
    """div with a rounding_mode given (div.Tensor_mode): "floor"/"trunc" have PyTorch's zero
    gradients (no graph); None is true division's."""
    if rounding_mode is None:
        return DivBackward0.rule(need, g, self, other)
    return (P.zeros_like(g) if need[0] else None, P.zeros_like(g) if need[1] else None)


ROUNDING_MODES = (None, "trunc", "floor")
# div's default rounding_mode: not given (div.Tensor, DivBackward0), unlike an explicit None
# (div.Tensor_mode, DivBackward2), as PyTorch tells its two overloads apart
_NOT_GIVEN = type("NotGiven", (), {"__repr__": lambda self: "None"})()


@declare(aliases=("divide", "true_divide"), operators=("__truediv__", "__itruediv__"),
          inplace=True)
def div(self, other, *, rounding_mode=_NOT_GIVEN):
    """Elementwise true division (integers give the default dtype), or floor/trunc division."""
    self = tensor_arg(self)
    if rounding_mode is not _NOT_GIVEN:
        return _division_with_mode(self, other, rounding_mode)
    r = _reduced_product(self, other, np.true_divide)
    if r is not None:
        out = make(r)
        if needs_grad(self, other):
            rb = (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad
            record(out, DivBackward0, (self, other),
                   save_both(self, other, "self", "other") if rb else (None, save(other, "other")))
        return out
    ad, bd, rt = same_dtype_arrays(self, other)
    if rt.kind not in "fcV":  # a number divides as itself (not wrapped into an integer dtype)
        ad = as_array(ad if (type(self) is Tensor or type(self) in TENSOR_TYPES) else self,
                        default_float_np())
        bd = as_array(bd, ad.dtype) if type(bd) is _ndarray else float(other)
    out = iter_result(_ufunc2(np.true_divide, ad, bd), self, other)
    if state.enabled:
        ra = self._requires_grad
        rb = (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad
        if ra or rb:
            record(out, DivBackward0, (self, other),
                   save_both(self, other, "self", "other") if rb else (None, save(other, "other")))
    return out


def _division_with_mode(self, other, rounding_mode):
    """div(..., rounding_mode=...), recorded as DivBackward2 (saving self and other for None)."""
    if rounding_mode is None:
        with grad_mode.no_grad():
            out = div(self, other)
    else:
        out = _rounded_division(self, other, rounding_mode)
    if needs_grad(self, other):
        true = rounding_mode is None
        rb = (type(other) is Tensor or type(other) in TENSOR_TYPES) and other._requires_grad
        record(out, DivBackward2, (self, other),
               (save(self, "self") if true and rb else None,
                save(other, "other") if true else None, rounding_mode))
    return out


def _rounded_division(self, other, rounding_mode):
    """div's value with rounding_mode "floor" or "trunc" (not recorded)."""
    if rounding_mode not in ROUNDING_MODES:
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{rounding_mode}'")
    if rounding_mode == "floor":
        return _floor_division(self, other)
    ad, bd, rt = same_dtype_arrays(self, other)
    _no_bool_kernel(rt, "div_trunc_cpu")
    if rt.kind not in "iub":
        return iter_result(np.trunc(_ufunc2(np.true_divide, ad, bd)), self, other)
    # integers stay integers (a float division would lose large values)
    if np.any(as_array(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    q = np.floor_divide(ad, bd)
    q = q + ((np.remainder(ad, bd) != 0) & ((as_array(ad) < 0) != (as_array(bd) < 0)))
    return result(as_array(q, rt))


@declare(method=False, function=False, operators=("__rtruediv__",))
def rdiv(self, other):
    """other / self: PyTorch computes it as reciprocal(self) * other (MulBackward0)."""
    if (type(other) is Tensor or type(other) in TENSOR_TYPES):
        return div(other, self)
    return mul(reciprocal(self), other)  # integer self too: reciprocal gives the default float


@rule(name="NotImplemented")  # PyTorch's name for an op without a derivative; a builtin in Python
def NotImplementedBackward(need, g, op):
    raise RuntimeError(f"derivative for aten::{op} is not implemented")


def _no_bool_kernel(rt, kernel):
    """The division kernels are not built for bool (a result dtype of bool: both operands)."""
    if rt.kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _floor_division(self, other):
    ad, bd, rt = same_dtype_arrays(self, other)
    _no_bool_kernel(rt, "div_floor_cpu")
    if rt.kind in "iu" and np.any(as_array(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    return iter_result(_ufunc2(np.floor_divide, ad, bd), self, other)


@declare(operators=("__floordiv__", "__ifloordiv__"), inplace=True)
def floor_divide(self, other):
    """Elementwise division rounded down (not differentiable, as in PyTorch)."""
    self = tensor_arg(self)
    out = _floor_division(self, other)
    if needs_grad(self, other):
        record(out, NotImplementedBackward, (self, other), ("floor_divide",))
    return out


@declare(method=False, function=False, operators=("__rfloordiv__",))
def rfloordiv(self, other):
    """other // self (`2 // x`)."""
    return floor_divide(wrapped_number(other, self), self)


def _modulus_rules(name, rounding_mode):
    """The two nodes of remainder / fmod: `nameBackward0` for a number divisor (the gradient
    passes to self), `nameBackward1` for a tensor one (-grad * self.div(other, rounding_mode=...)
    for the divisor, as derivatives.yaml)."""
    def by_number(need, g):
        return (g,)

    def by_tensor(need, g, self, other):
        return (g if need[0] else None,
                -g * div(self, other, rounding_mode=rounding_mode) if need[1] else None)
    return rule(by_number, name=name + "Backward0"), rule(by_tensor, name=name + "Backward1")


RemainderBackward0, RemainderBackward1 = _modulus_rules("Remainder", "floor")
FmodBackward0, FmodBackward1 = _modulus_rules("Fmod", "trunc")


def _modulus(self, other, ufunc, by_number, by_tensor):
    """remainder / fmod: `ufunc`'s value; PyTorch's node for a number divisor (`by_number`:
    the gradient passes to self) or a tensor one (`by_tensor`: also -grad * self.div(other,
    rounding_mode=...) for the divisor)."""
    out = _modulus_value(self, other, ufunc)
    if needs_grad(self, other):
        if (type(other) is not Tensor and type(other) not in TENSOR_TYPES):
            record(out, by_number, (self,))
        else:
            rb = other._requires_grad
            record(out, by_tensor, (self, other),
                   save_both(self, other, "self", "other") if rb else (None, None))
    return out


def _modulus_value(self, other, ufunc):
    ad, bd, rt = same_dtype_arrays(self, other)
    _no_bool_kernel(rt, "fmod_cpu" if ufunc is np.fmod else "remainder_cpu")
    if rt.kind in "iu" and np.any(as_array(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    return iter_result(_ufunc2(ufunc, ad, bd), self, other)


def _remainder(ad, bd):
    """PyTorch's remainder kernel: fmod, then the divisor added where the signs differ; a zero
    result keeps the dividend's sign (2. % -2 is 0., numpy's remainder gives -0.)."""
    out = np.fmod(ad, bd)
    if out.dtype.kind not in "fV" and out.dtype.kind != "c":
        return np.remainder(ad, bd)
    fix = (out != 0) & ((as_array(bd) < 0) != (out < 0))
    if np.any(fix):
        out = np.where(fix, out + bd, out)
    return out


@declare(operators=("__mod__", "__imod__"), inplace=True)
def remainder(self, other):
    """Python-style modulus (the sign of the divisor)."""
    if (type(self) is not Tensor and type(self) not in TENSOR_TYPES):
        return rremainder(other, self)
    return _modulus(self, other, _remainder, RemainderBackward0, RemainderBackward1)


@declare(method=False, function=False, operators=("__rmod__",))
def rremainder(self, other):
    """other % self (`2 % x`): remainder.Scalar_Tensor, which has no derivative in PyTorch."""
    out = _modulus_value(wrapped_number(other, self), self, _remainder)
    if needs_grad(self):
        record(out, NotImplementedBackward, (self,), ("remainder",))
    return out


@declare(tensor_first=True, inplace=True)
def fmod(self, other):
    """C-style remainder (the sign of the dividend)."""
    return _modulus(self, other, np.fmod, FmodBackward0, FmodBackward1)


@rule
def PowBackward0(need, g, self, exponent):
    if exponent == 0:
        return (P.zeros_like(g),)  # not 0 * self ** -1, which is nan at 0
    if type(self) is _ndarray:  # self.pow(exponent - 1) as the forward kernel computes it
        return (g * mul_scalar(_float_pow(self, exponent - 1), exponent),)
    return (g * mul_scalar(self ** (exponent - 1), exponent),)  # grad * (exp * self.pow(exp - 1))


@rule
def PowBackward1(need, g, self, exponent, result):
    gs = ge = None
    self, exponent = _in_float_of(self, result), _in_float_of(exponent, result)
    if need[0]:
        # pow_backward_self: where(exponent == 0, 0, grad * (exponent * self.pow(exponent - 1))),
        # so 0 ** 0 has gradient 0 rather than 0 * inf
        power = self ** sub_scalar(exponent, 1)
        gs = P.where(P.data(exponent) == 0, 0.0, g * (exponent * power))
    if need[1]:
        # pow_backward_exponent: grad * where(self == 0 & exponent >= 0, 0, result * self.log())
        zero = (P.data(self) == 0) & (P.data(exponent) >= 0)
        ge = g * P.where(zero, 0.0, result * P.log(self))
    return (gs, ge)


@rule
def PowBackward2(need, g, self, result, exponent):
    # self is the Python number base: d(b**x)/dx = b**x * log(b)
    # pow_backward_exponent: grad * (result * log(base)), 0 where base is 0 and exponent >= 0
    # (for base 0, where the result 0 ** exponent is finite)
    if self == 0:
        finite = np.isfinite(P.data(result))
        return (g * P.where(finite, 0.0, mul_scalar(result, -math.inf)),)
    return (g * mul_scalar(result, math.log(self)),)


@declare(operators=("__pow__", "__ipow__"), inplace=True)
def pow(self, exponent):
    """self ** exponent (either may be a tensor)."""
    if (type(self) is not Tensor and type(self) not in TENSOR_TYPES):
        if not isinstance(exponent, Tensor):  # torch.pow(2, 100) is no tensor op
            raise TypeError(
                f"pow() received an invalid combination of arguments - got "
                f"({type(self).__name__}, {type(exponent).__name__}), but expected one of:\n"
                " * (Tensor input, Tensor exponent, *, Tensor out = None)\n"
                " * (Number self, Tensor exponent, *, Tensor out = None)\n"
                " * (Tensor input, Number exponent, *, Tensor out = None)\n")
        return rpow(exponent, self)
    te = type(exponent)
    if te is int and not -0x8000000000000000 <= exponent < 0x10000000000000000:
        # (past both int64 and uint64: PyTorch's conversion of the Python int to a Scalar)
        raise OverflowError("can't convert negative int to unsigned" if exponent < 0 else
                            "int too big to convert")
    if (te is float or te is int) and self._data.dtype.kind in "fV":
        # a float tensor to a number power (the common case): its dtype, no promotion; numpy's
        # error states are off already (gradsh/core/__init__.py)
        out = iter_result(_float_pow(self._data, exponent), self)
        if self._requires_grad and state.enabled:
            record(out, PowBackward0, (self,), (save(self, "self"), exponent))
        return out
    if te is int and self._data.dtype.kind in "iu":  # checked before it is converted (wrapped)
        if exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        checked_fill(exponent, self._data.dtype)
    ad, bd, rt = same_dtype_arrays(self, exponent)
    if rt.kind in "iu" and type(bd) is not _ndarray and bd < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if rt.kind == "b" and (type(exponent) is Tensor or type(exponent) in TENSOR_TYPES):
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    with np.errstate(all="ignore"):
        out = iter_result(_int_pow(ad, bd).astype(rt, copy=False) if rt.kind in "iu" else
                          _float_pow(ad, bd).astype(rt, copy=False), self, exponent)
    if (type(exponent) is Tensor or type(exponent) in TENSOR_TYPES):
        if needs_grad(self, exponent):
            record(out, PowBackward1, (self, exponent),
                   (*save_both(self, exponent, "self", "exponent"), save_out(out)))
    elif needs_grad(self):
        record(out, PowBackward0, (self,), (save(self, "self"), exponent))
    return out


def _float_pow(base, exp):
    """Float power as PyTorch's CPU kernel computes a number exponent: 2 is x * x, 3 is
    x * x * x, -2 is 1 / (x * x), -0.5 is 1 / sqrt(x) (not powf, which rounds differently in the
    last bit)."""
    if not isinstance(exp, _ndarray) and base.dtype.kind in "fV":  # (a meta array is one)
        if exp == 2:
            return base * base  # what numpy's power gives too, without its general kernel
        if exp == 3:
            return base * base * base
        if exp == -2:
            return base.dtype.type(1) / (base * base)
        if exp == -0.5:
            return base.dtype.type(1) / np.sqrt(base)
    return _ufunc2(np.power, base, exp)


def _int_pow(base, exp):
    """Integer power as PyTorch's kernel: a negative exponent gives 1 for base 1, +-1 for base
    -1 and 0 otherwise (numpy refuses negative integer powers)."""
    base, exp = as_array(base), as_array(exp)
    if not (exp < 0).any():
        return _ufunc2(np.power, base, exp)
    safe = _ufunc2(np.power, base, np.where(exp < 0, 0, exp))
    neg = np.where(base == 1, 1, np.where(base == -1, np.where(exp % 2 == 0, 1, -1), 0))
    return np.where(exp < 0, neg, safe).astype(safe.dtype)


@declare(method=False, function=False, operators=("__rpow__",))
def rpow(self, base):
    """base ** self for a Python number base (`2 ** x`)."""
    if (type(base) is Tensor or type(base) in TENSOR_TYPES):
        return pow(base, self)
    ad, bd, rt = same_dtype_arrays(self, base)
    if rt.kind == "b":
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    with np.errstate(all="ignore"):
        # contiguous whatever self's layout, as PyTorch's pow(Scalar, Tensor)
        if rt.kind == "V" and type(bd) is float:  # a bfloat16 exponent: the base rounded to
            bd = rt.type(bd)                        # it first, the result bfloat16 (PyTorch's)
        out = iter_result(_int_pow(bd, ad).astype(rt, copy=False) if rt.kind in "iu"
                          else np.power(bd, ad).astype(rt, copy=False))
    if needs_grad(self):
        # (PyTorch's node also saves the exponent tensor: a later in-place change is refused)
        record(out, PowBackward2, (self,), (base, save_out(out), save(self, "exponent")))
    return out


@rule
def NegBackward0(need, g):
    return (-g,)


@declare(aliases=("negative",), operators=("__neg__",), inplace=True, tensor_first=True)
def neg(self):
    """-self"""
    if self._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you "
                           "are trying to invert a mask, use the `~` or `logical_not()` operator "
                           "instead.")
    out = result(np.negative(self._data))  # result(): a 0-d input gives a numpy scalar
    if needs_grad(self):
        record(out, NegBackward0, (self,))
    return out


@declare(tensor_first=True, operators=("__pos__",))
def positive(self):
    if self._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


# ----- unary math ---------------------------------------------------------------------------
# unary ops whose float16 result needs no float32 detour (exact in any float dtype)
# (rsqrt stays in float16: it matches PyTorch's Half rsqrt on more values than the float32
# detour; neither matches on every value)
_EXACT_IN_HALF = frozenset({"neg", "abs", "floor", "ceil", "trunc", "round", "sign", "relu",
                            "frac", "sgn", "rsqrt"})


def unary(name, np_fn, rule_fn, doc, int_to_float=True, **where):
    """Declare a unary op from its numpy function and its rule, in one line.

    The node is named from the op (`exp` -> ExpBackward0); the rule's third parameter says what
    it saves: `self` (the input) or `result` (the output), or nothing for a rule of (need, g).
    `where` are the op's surfaces (registry.op); a unary op also has its in-place variant.
    """
    node = node_class(node_name(name), rule_fn)
    saves = node.saved_names[0] if node.saved_names else ""
    # a temporary input's array may take the result when the rule does not need the input
    into_input = saves != "self" and (type(np_fn) is np.ufunc or getattr(np_fn, "takes_out", False))

    def op(self):
        d = self._data
        dt = d.dtype
        # float32 and float64 (by identity): none of other_dtype's conversions, whose tests
        # read the dtype's `kind` several times, and record_first's node
        if dt is not _F32 and dt is not _F64:
            return other_dtype(self, d)
        if type(d) is _Meta:  # (no data: the result's shape and dtype are the input's)
            out = d.copy()
        elif into_input and d.size >= SPARE_MIN and spare_input(self, d):
            out = np_fn(d, out=d)
        else:
            out = np_fn(d)
        out = make(out if isinstance(out, _ndarray) else as_array(out))
        if self._requires_grad and state.enabled:  # (saved_tensor: save and save_out, inlined)
            record_first(out, node, self, dt, (saved_tensor(out, True, "result"),)
                         if saves == "result" else (saved_tensor(self, False, "self"),)
                         if saves == "self" else (), _NEED1)
        return out

    def other_dtype(self, d):
        """op for the other dtypes: integers in the default float, complex, half precision
        computed in float32."""
        if int_to_float and d.dtype.kind not in "fV":
            if d.dtype.kind == "c":
                return recorded(self, make(_complex_unary(d, name)))
            d = d.astype(default_float_np())
        if d.dtype == _F16 and name not in _EXACT_IN_HALF or d.dtype.kind == "V":
            # PyTorch's Half and BFloat16 kernels compute in float32 (opmath) and round once
            x, fn = d.astype(_F32), np_fn
            if name == "rsqrt" and d.dtype.kind == "V":  # PyTorch's BFloat16 rsqrt: 1 / sqrt,
                x = np.sqrt(x).astype(d.dtype).astype(_F32)  # the root rounded (measured)
                fn = np.reciprocal
            out = make(as_array(fn(x)).astype(d.dtype))
            if self._requires_grad and state.enabled:
                record(out, node, (self,), (saved_tensor(out, True, "result"),) if saves == "result"
                       else (saved_tensor(self, False, "self"),) if saves == "self" else ())
            return out
        if d.size >= SPARE_MIN and into_input and d.dtype.kind in "fV" and spare_input(self, d):
            out = np_fn(d, out=d)
        else:
            out = np_fn(d)
        out = make(out if isinstance(out, _ndarray) else as_array(out))
        if self._requires_grad and state.enabled:  # (saved_tensor: save and save_out, inlined)
            if saves == "result":
                record(out, node, (self,), (saved_tensor(out, True, "result"),))
            elif saves == "self":
                record(out, node, (self,), (saved_tensor(self, False, "self"),))
            else:
                record(out, node, (self,), ())
        return out

    def recorded(self, out):  # (the lane of the other dtypes: complex)
        if self._requires_grad and state.enabled:
            saved = {"result": (saved_tensor(out, True, "result"),),
                     "self": (saved_tensor(self, False, "self"),)}.get(saves, ())
            record(out, node, (self,), saved)
        return out
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    op.__module__ = __name__
    where.setdefault("inplace", True)
    where.setdefault("tensor_first", True)
    return declare(name=name, **where)(op)


def _complex_log_base(base):
    """log(z) / log(base) for complex z, each part divided by the real log(base): PyTorch's
    values bit for bit (a complex division rounds differently in about half of them)."""
    def f(z):
        w = np.log(z)
        k = w.real.dtype.type(math.log(base))
        return (w.real / k + 1j * (w.imag / k)).astype(z.dtype)
    return f


def _complex_acos(z):
    # PyTorch's complex128 kernel gives pi/2 - asin(z) to the bit; its complex64 one numpy's
    # arccos (measured over 2,000 values, tools/measure_complex_unary.py)
    if z.dtype == np.complex64:
        return np.arccos(z)
    return (math.pi / 2 - np.arcsin(z)).astype(z.dtype)


def _complex_log1p(z):
    """log(1 + z) without the cancellation of forming 1 + z near 0 (numpy's log1p of a complex
    array forms it: a relative error of 1e7 ulps measured near z = 1e-8)."""
    x, y = z.real, z.imag
    small = np.abs(z) < 0.5
    out = np.log(1 + z)
    near = 0.5 * np.log1p(x * (2 + x) + y * y) + 1j * np.arctan2(y, 1 + x)
    return np.where(small, near, out).astype(z.dtype)


def _complex_expm1(z):
    """exp(z) - 1 with the real part as expm1(x) cos(y) - 2 sin(y / 2)**2 (no cancellation near
    0), the imaginary part exp(x) sin(y)."""
    x, y = z.real, z.imag
    s = np.sin(y / 2)
    re = np.expm1(x) * np.cos(y) - 2 * s * s
    return (re + 1j * (np.exp(x) * np.sin(y))).astype(z.dtype)


# the unary ops complex tensors take (complex_gate.COMPLEX_AWARE), in numpy's complex math;
# each is holomorphic, so the real rule conjugated around is PyTorch's complex gradient
# (node.complex_variant)
_COMPLEX_UNARY = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
                  "tanh": np.tanh, "reciprocal": lambda z: 1 / z,  # (np.reciprocal(0j): nan+nanj)
                  "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                  "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh, "asin": np.arcsin,
                  "acos": _complex_acos, "atan": np.arctan, "asinh": np.arcsinh,
                  "acosh": np.arccosh, "atanh": np.arctanh, "log2": _complex_log_base(2),
                  "log10": _complex_log_base(10), "log1p": _complex_log1p,
                  "expm1": _complex_expm1, "rsqrt": lambda z: 1 / np.sqrt(z)}


def _complex_unary(d, name):
    """A unary op of a complex array, in numpy's complex math."""
    with np.errstate(all="ignore"):
        return _COMPLEX_UNARY[name](d)


def _sigmoid_np(a):
    if a.dtype == np.float32:
        return sigmoid_float32(a)  # PyTorch's kernel, bit for bit (SLEEF's and glibc's exp)
    # exp(-a) overflows for very negative a; both branches are the same function.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _zero_grad(need, g):
    return (P.zeros_like(g),)


# ----- C++'s tensor-and-scalar arithmetic inside rules ----------------------------------------
# PyTorch's formulas are C++: `self + 1` is add(Tensor, Scalar) (AddBackward1) and `2 * result`
# mul(Tensor, Scalar) (MulBackward1), where Python's `x + 1` records AddBackward0. The rules
# below use these so that a double-backward graph has PyTorch's nodes.
@rule
def AddBackward1(need, g):
    return (g,)


@rule
def SubBackward1(need, g):
    return (g,)


@rule
def MulBackward1(need, g, other):
    return (mul_scalar(g, other),)  # C++'s grad * Scalar: mul.Scalar again (MulBackward1)


@rule
def DivBackward1(need, g, other):
    return (g / other,)


def _half_number_op(np_op, d, number):
    """A float16/bfloat16 array with a number as PyTorch's scalar kernels compute it: mul and div
    with the number unrounded in float32, the others with it rounded to the dtype first."""
    if np_op is np.multiply or np_op is np.divide:
        return np_op(d.astype(np.float32), np.float32(number)).astype(d.dtype)
    return np_op(d, d.dtype.type(number)).astype(d.dtype, copy=False)


def _scalar_op(node, np_op, saves_number):
    """C++'s `tensor <op> scalar` as a function of (a, number): recorded as `node` for a tensor
    (the number in a's dtype), plain numpy on arrays."""
    def op(a, number):
        if (type(a) is not Tensor and type(a) not in TENSOR_TYPES):
            if type(a) is _ndarray and a.dtype.itemsize == 2 and a.dtype.kind in "fV":
                return _half_number_op(np_op, a, number)
            return np_op(a, number)
        d = a._data
        out = iter_result(_half_number_op(np_op, d, number) if d.dtype.itemsize == 2 and
                          d.dtype.kind in "fV" else np_op(d, d.dtype.type(number)), a)
        if needs_grad(a):
            record(out, node, (a,), (number,) if saves_number else ())
        return out
    return op


add_scalar = _scalar_op(AddBackward1, np.add, False)
sub_scalar = _scalar_op(SubBackward1, np.subtract, False)
mul_scalar = _scalar_op(MulBackward1, np.multiply, True)
div_scalar = _scalar_op(DivBackward1, np.divide, True)


def scalar_minus(number, a):
    """C++'s `number - tensor`: sub of the number wrapped as a 0-d tensor of a's dtype
    (SubBackward0); plain numpy on arrays."""
    if (type(a) is not Tensor and type(a) not in TENSOR_TYPES):
        return a.dtype.type(number) - a
    return sub(make(as_array(number, a._data.dtype)), a)


def _pow_int(a, n):
    """a.pow(n) for a small integer n: PyTorch's kernel multiplies (x * x, x * x * x)."""
    if (type(a) is Tensor or type(a) in TENSOR_TYPES):
        return a.pow(n)
    return a * a if n == 2 else a * a * a


def _one_minus(a):
    """C++'s `1 - a`: a tensor filled with 1, then sub_(a) (SubBackward0, one edge)."""
    return sub(full_like(a, 1), a) if (type(a) is Tensor or type(a) in TENSOR_TYPES) else 1 - a


def _rsqrt(a):
    return a.rsqrt() if (type(a) is Tensor or type(a) in TENSOR_TYPES) else 1 / np.sqrt(a)


# tanh and sigmoid: the gradient is PyTorch's tanh_backward / sigmoid_backward op (its kernel's
# order of operations), differentiable under create_graph with PyTorch's formulas
def _tanh_grad_value(g, r):
    if _both_half(g, r):  # PyTorch's Half kernels compute in float32 and round once
        g32, r32 = g.astype(_F32), r.astype(_F32)
        return (g32 * (1 - r32 * r32)).astype(g.dtype)
    return P.one_minus_square_times(g, r)  # (float32 / float64: the bracket fused, as PyTorch's)


def _sigmoid_grad_value(g, r):
    if _both_half(g, r) and g.dtype == _F16:  # PyTorch's Half kernel rounds after each product
        return g * (1 - r) * r                # (measured); its BFloat16 one rounds once
    if _both_half(g, r):
        g32, r32 = g.astype(_F32), r.astype(_F32)
        return (g32 * (1 - r32) * r32).astype(g.dtype)
    return g * (1 - r) * r


_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


def _both_half(g, r):
    return type(g) is _ndarray and type(r) is _ndarray and g.dtype == r.dtype and \
        g.dtype.itemsize == 2 and g.dtype.kind in "fV"


def tanh_backward(grad_output, output):
    return backward_op(TanhBackwardBackward0, _tanh_grad_value, grad_output, (output,))


def sigmoid_backward(grad_output, output):
    return backward_op(SigmoidBackwardBackward0, _sigmoid_grad_value, grad_output, (output,))


@rule
def TanhBackwardBackward0(need, grad, grad_output, output):
    grad_output, output = arrays_unless(grad, grad_output, output)
    return (tanh_backward(grad, output) if need[0] else None,
            grad * (mul_scalar(output, -2) * grad_output) if need[1] else None)


@rule
def SigmoidBackwardBackward0(need, grad, grad_output, output):
    grad_output, output = arrays_unless(grad, grad_output, output)
    return (sigmoid_backward(grad, output) if need[0] else None,
            grad * grad_output * add_scalar(mul_scalar(output, -2), 1) if need[1] else None)


SQRT_PI = math.sqrt(math.pi)
# name, numpy function, rule (its third parameter says what it saves), doc
exp = unary("exp", vml.exp, lambda need, g, result: (g * result,), "e ** x, elementwise.")
log = unary("log", vml.log, lambda need, g, self: (g / self,), "Natural logarithm.")
log2 = unary("log2", np.log2, lambda need, g, self: (g / mul_scalar(self, math.log(2.0)),),
             "Base-2 logarithm.")
log10 = unary("log10", np.log10, lambda need, g, self: (g / mul_scalar(self, math.log(10.0)),),
              "Base-10 logarithm.")
log1p = unary("log1p", vml.log1p, lambda need, g, self: (g / add_scalar(self, 1),),
              "log(1 + x), accurate for small x.")
expm1 = unary("expm1", vml.expm1, lambda need, g, result: (g * add_scalar(result, 1),),
              "exp(x) - 1, accurate for small x.")
sin = unary("sin", vml.sin, lambda need, g, self: (g * P.cos(self),), "Sine.")
cos = unary("cos", vml.cos, lambda need, g, self: (g * -P.sin(self),), "Cosine.")
tan = unary("tan", np.tan, lambda need, g, result: (g * add_scalar(_pow_int(result, 2), 1),),
            "Tangent.")
tanh = unary("tanh", vml.tanh, lambda need, g, result: (tanh_backward(g, result),),
             "Hyperbolic tangent.", nn=True)
sinh = unary("sinh", np.sinh, lambda need, g, self: (g * P.cosh(self),), "Hyperbolic sine.")
cosh = unary("cosh", np.cosh, lambda need, g, self: (g * P.sinh(self),), "Hyperbolic cosine.")
asin = unary("asin", np.arcsin, lambda need, g, self: (g * _rsqrt(add_scalar(-self * self, 1)),),
             "Arcsine.", aliases=("arcsin",))
acos = unary("acos", np.arccos,
             lambda need, g, self: (g * -_rsqrt(add_scalar(-self * self, 1)),),
             "Arccosine.", aliases=("arccos",))
atan = unary("atan", np.arctan, lambda need, g, self: (g / add_scalar(self * self, 1),),
             "Arctangent.", aliases=("arctan",))
asinh = unary("asinh", np.arcsinh,
              lambda need, g, self: (g * _rsqrt(add_scalar(_pow_int(self, 2), 1)),),
              "Inverse hyperbolic sine.", aliases=("arcsinh",))
acosh = unary("acosh", np.arccosh,
              lambda need, g, self: (g * _rsqrt(sub_scalar(self * self, 1)),),
              "Inverse hyperbolic cosine.", aliases=("arccosh",))
atanh = unary("atanh", np.arctanh,
              lambda need, g, self: (g / _one_minus(_pow_int(self, 2)),),
              "Inverse hyperbolic tangent.", aliases=("arctanh",))
sqrt = unary("sqrt", np.sqrt, lambda need, g, result: (g / mul_scalar(result, 2),),
             "Square root.")
rsqrt = unary("rsqrt", lambda a: 1 / np.sqrt(a),
              lambda need, g, result: (mul_scalar(g, -0.5) * _pow_int(result, 3),),
              "1 / sqrt(x).")
reciprocal = unary("reciprocal", np.reciprocal, lambda need, g, result: (-g * (result * result),),
                   "1 / x.")
erf = unary("erf", _erf,
            lambda need, g, self: (mul_scalar(P.exp(-_pow_int(self, 2)), 2.0 / SQRT_PI) * g,),
            "The error function.")
# derivatives.yaml: 0.5 * sqrt(M_PI) * exp(self.erfinv().pow(2)) * grad
erfinv = unary("erfinv", _erfinv,
               lambda need, g, self: (mul_scalar(P.exp(_pow_int(P.erfinv(self), 2)),
                                                 0.5 * SQRT_PI) * g,),
               "The inverse error function (nan outside [-1, 1]).")
sigmoid = unary("sigmoid", _sigmoid_np, lambda need, g, result: (sigmoid_backward(g, result),),
                "1 / (1 + exp(-x)).", nn=True)
sign = unary("sign", P.sign_array, _zero_grad, "-1, 0 or 1 (0 for NaN).", int_to_float=False)
floor = unary("floor", np.floor, _zero_grad, "Round down.", int_to_float=False)
ceil = unary("ceil", np.ceil, _zero_grad, "Round up.", int_to_float=False)
trunc = unary("trunc", np.trunc, _zero_grad, "Round toward zero.", int_to_float=False)


def _frac_np(a):
    if a.dtype.kind not in "fV":
        raise NotImplementedError(f'"frac_cpu" not implemented for \'{_tname(a.dtype)}\'')
    return a - np.trunc(a)


frac = unary("frac", _frac_np, lambda need, g: (g,), "x - trunc(x): the fractional part, with "
             "x's sign.", int_to_float=False)


@rule
def LogitBackward0(need, g, self, eps):
    lo, hi = (0.0, 1.0) if eps is None else (eps, 1.0 - eps)
    x = P.data(self)
    outside = (x < lo) | (x > hi)  # PyTorch: nan there without eps, 0 with it
    return (P.where(outside, math.nan if eps is None else 0.0,
                    g / (self * scalar_minus(1.0, self))),)


@declare(inplace=True, tensor_first=True)
def logit(self, eps=None):
    """log(p / (1 - p)), the inverse of sigmoid; with eps, p is clamped to [eps, 1 - eps]."""
    d = self._data if self._data.dtype.kind in "fV" else self._data.astype(default_float_np())
    z = d if eps is None else np.clip(d, eps, 1 - eps)
    out = result(np.log(z / (1 - z)))
    if needs_grad(self):
        record(out, LogitBackward0, (self,), (save(self, "self"), eps))
    return out


@rule
def RoundBackward0(need, g):
    return (P.zeros_like(g),)


@rule
def RoundBackward1(need, g):
    return (P.zeros_like(g),)


@declare(inplace=True, tensor_first=True)
def round(self, decimals=0):
    """Round half to even (as PyTorch), optionally to `decimals` places."""
    out = make(as_array(np.round(self._data, decimals)))
    if needs_grad(self):
        record(out, RoundBackward0 if decimals == 0 else RoundBackward1, (self,))
    return out


@rule
def SgnBackward0(need, g):
    return (P.zeros_like(g),)  # sgn of a real tensor: PyTorch's zeros


@declare(inplace=True, tensor_first=True)
def sgn(x):
    """sign(x) for real tensors (SgnBackward0, a zero gradient); PyTorch's abs gradient uses it."""
    if (type(x) is not Tensor and type(x) not in TENSOR_TYPES):
        return P.sign_array(as_array(x))
    out = iter_result(P.sign_array(x._data), x)
    if needs_grad(x):
        if x._data.dtype.kind == "c":  # (complex_ops.py's rule: saves self and the result)
            record(out, SgnBackward0, (x,), (saved_tensor(x, False, "self"),
                                             saved_tensor(out, True, "result")))
        else:
            record(out, SgnBackward0, (x,), ())
    return out


@rule
def AbsBackward0(need, g, x):
    return (g * sgn(x),)  # PyTorch: grad * self.sgn()


@declare(aliases=("absolute",), operators=("__abs__",), inplace=True, tensor_first=True)
def abs(self):
    """Absolute value."""
    out = result(P.abs_array(self._data))
    if needs_grad(self):
        record(out, AbsBackward0, (self,), (save(self, "self"),))
    return out


def grad_op(cls, g, x, value, like=None):
    """A first-order gradient that is linear in g and piecewise constant in x (relu, hardtanh,
    leaky_relu), as PyTorch records it under create_graph: an op of (g, x) whose node `cls` is
    PyTorch's backward-of-backward (ThresholdBackwardBackward0): its gradient for g is the same
    op again, for x zeros. `value` maps the array of g to the array of the result. On arrays
    (no graph recorded) it is just `value(g)`, laid out as TensorIterator over (g, x) (or over
    (g, like))."""
    if (type(g) is not Tensor and type(g) not in TENSOR_TYPES):
        return pointwise_layout(value(g), g, P.data(x) if like is None else like)
    out = result(value(g._data))
    if needs_grad(g, x):
        record(out, cls, (g, x), (value, x))
    return out


def linear_grad_node(name):
    """The node class of a `grad_op` (see there), named as PyTorch names it."""
    def fn(need, gg, value, x):
        return (grad_op(cls, gg, x, value) if need[0] else None,
                P.zeros_like(gg) if need[1] else None)
    cls = rule(fn, name=name)
    return cls


ThresholdBackwardBackward0 = linear_grad_node("ThresholdBackwardBackward0")


def _relu_grad_value(keep):
    return lambda gd: np.where(keep, gd, gd.dtype.type(0))


@rule
def ReluBackward0(need, g, r):
    # threshold_backward(grad, result, 0): result <= 0 ? 0 : grad (a NaN result passes grad)
    if (type(g) is not Tensor and type(g) not in TENSOR_TYPES):
        return (P.masked(g, ~(r <= 0)),)
    return (grad_op(ThresholdBackwardBackward0, g, r, _relu_grad_value(~(P.data(r) <= 0))),)


@declare(inplace=True, tensor_first=True)
def relu(self):
    """max(x, 0), elementwise."""
    d = self._data
    if d.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    out = result(np.where(d < 0, d.dtype.type(0), d))  # keeps -0. and nan, as PyTorch
    if needs_grad(self):
        record(out, ReluBackward0, (self,), (save_out(out),))
    return out


@declare(inplace=True)
def square(self):
    """x ** 2 (recorded as PowBackward0, as PyTorch does)."""
    return pow(self, 2)


# ----- clamp, where, min/max of two ---------------------------------------------------------
@rule
def ClampBackward1(need, g, x, lo, hi):
    xd = P.data(x)
    # (the mask in x's layout: PyTorch's where(self >= min & self <= max, grad, 0) follows it)
    if lo is not None:
        mask = xd >= lo if hi is None else (xd >= lo) & (xd <= hi)
    else:
        mask = np.ones(xd.shape, bool) if hi is None else xd <= hi
    return (P.masked(g, mask),)




def _clamp_saves(self, min, max):
    """clamp's saved (self, min, max), packed in PyTorch's order: max, min, then self."""
    hi = save(max) if max is not None else None
    lo = save(min) if min is not None else None
    return save(self, "self"), lo, hi
@rule
def ClampBackward0(need, g, x, lo, hi):
    xd = P.data(x)
    lod = P.data(lo) if lo is not None else None
    hid = P.data(hi) if hi is not None else None
    in_range = np.ones(xd.shape, bool)  # (then in x's layout, as PyTorch's mask)
    if lod is not None:
        in_range = (xd >= lod) & in_range
    if hid is not None:
        in_range = (xd <= hid) & in_range
    glo = ghi = None
    if lo is not None and need[1]:
        below = xd < lod
        if hid is not None:
            below = below & (lod <= hid)
        glo = P.masked(g, below)
    if hi is not None and need[2]:
        ghi = P.masked(g, (xd > hid) if lod is None else ((xd > hid) | (lod > hid)))
    return (P.masked(g, in_range) if need[0] else None, glo, ghi)


@declare(aliases=("clip",), inplace=True)
def clamp(self, min=None, max=None):
    """Limit values to [min, max]; bounds may be numbers or tensors."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if (type(min) is Tensor or type(min) in TENSOR_TYPES) or (type(max) is Tensor or type(max) in TENSOR_TYPES):
        d = self._data
        try:
            if min is not None:
                d = np.maximum(operand(min), d)  # on ties numpy returns its 2nd: x, as PyTorch
            if max is not None:
                d = np.minimum(operand(max), d)
        except ValueError:  # (shapes that do not broadcast: PyTorch names them in this order)
            raise errors.broadcast_error_of(*(np.shape(operand(v)) for v in (self, min, max)
                                              if v is not None)) from None
        out = iter_result(d.astype(promote(*(v for v in (self, min, max) if v is not None))),
                          self, min, max)
        if needs_grad(self, min, max):
            record(out, ClampBackward0, (self, min, max),
                   _clamp_saves(self, min, max))
        return out
    _check_bounds(min, max)
    d = self._data
    if self._data.dtype.kind not in "fV" and (isinstance(min, float) or isinstance(max, float)):
        d = d.astype(default_float_np())
    elif d.dtype.kind == "b":  # an integer bound promotes bool to int64; bool bounds: no kernel
        if all(b is None or isinstance(b, (bool, np.bool_)) for b in (min, max)):
            which = "clamp" if min is not None and max is not None else (
                "clamp_min" if min is not None else "clamp_max")
            raise NotImplementedError(f"\"{which}_scalar_cpu\" not implemented for 'Bool'")
        d = d.astype(np.int64)
    # the bounds are converted to the dtype, checked (an integer wraps into an unsigned one)
    min = None if min is None else checked_fill(min, d.dtype)
    max = None if max is None else checked_fill(max, d.dtype)
    # comparisons, not np.clip: PyTorch keeps -0. (and nan) where no bound applies
    if min is not None and max is not None and min > max:
        out = np.where(d != d, d, d.dtype.type(max))  # (a nan input stays nan)
    else:
        out = d
        if min is not None:
            out = np.where(out < min, out.dtype.type(min), out)
        if max is not None:
            out = np.where(out > max, out.dtype.type(max), out)
    if out.dtype.kind in "fV" and any(b is not None and b != b for b in (min, max)):
        out = np.full_like(d, np.nan)  # PyTorch's min(max(x, lo), hi): a nan bound wins
    out = result(out)
    if needs_grad(self):
        record(out, ClampBackward1, (self,), (save(self, "self"), min, max))
    return out


@rule
def ClampMinBackward0(need, g, x, bound):
    return (P.masked(g, P.data(x) >= bound),)


@rule
def ClampMaxBackward0(need, g, x, bound):
    return (P.masked(g, P.data(x) <= bound),)


@rule
def ClampMinBackward1(need, g, x, bound):
    keep = P.data(x) >= P.data(bound)
    return (P.masked(g, keep) if need[0] else None, P.masked(g, ~keep) if need[1] else None)


@rule
def ClampMaxBackward1(need, g, x, bound):
    keep = P.data(x) <= P.data(bound)
    return (P.masked(g, keep) if need[0] else None, P.masked(g, ~keep) if need[1] else None)


def _check_bounds(*bounds):
    """A bound that is neither a number nor None (a list, a tuple of tensors, which numpy would
    take as an array): refused, and the failure path words PyTorch's parser's TypeError from
    clamp's signatures (argcheck). A type test per bound on the number path."""
    for b in bounds:
        if b is not None and not isinstance(b, (int, float, np.number, np.bool_)):
            raise TypeError(f"clamp: a bound must be a number or a tensor, not {type(b).__name__}")


def _clamp_one_side(self, bound, np_fn, scalar_node, tensor_node):
    """clamp_min / clamp_max: their own ops in PyTorch (ClampMin/ClampMax node names)."""
    if (type(bound) is Tensor or type(bound) in TENSOR_TYPES):
        out = iter_result(_ufunc2(np_fn, bound._data, self._data).astype(promote(self, bound)),
                          self, bound)
        if needs_grad(self, bound):
            record(out, tensor_node, (self, bound), (save(self, "self"), save(bound)))
        return out
    _check_bounds(bound)
    d = self._data
    if d.dtype.kind not in "fV" and isinstance(bound, float):
        d = d.astype(default_float_np())
    elif d.dtype.kind == "b":  # as clamp's: an integer bound promotes, a bool one has no kernel
        if isinstance(bound, (bool, np.bool_)):
            side = "clamp_min" if np_fn is np.maximum else "clamp_max"
            raise NotImplementedError(f"\"{side}_scalar_cpu\" not implemented for 'Bool'")
        d = d.astype(np.int64)
    bound = checked_fill(bound, d.dtype)
    out = result(np_fn(bound, d).astype(d.dtype, copy=False))  # ties give x (-0. stays)
    if needs_grad(self):
        record(out, scalar_node, (self,), (save(self, "self"), bound))
    return out


@declare(inplace=True)
def clamp_min(self, min):
    """max(self, min), elementwise."""
    return _clamp_one_side(self, min, np.maximum, ClampMinBackward0, ClampMinBackward1)


@declare(inplace=True)
def clamp_max(self, max):
    """min(self, max), elementwise."""
    return _clamp_one_side(self, max, np.minimum, ClampMaxBackward0, ClampMaxBackward1)


@rule
def WhereBackward0(need, g, cond):
    # edges for input and other only: the condition is not differentiable (PyTorch's two entries)
    c = P.data(cond)
    z = 0.0
    return (P.where(c, g, z) if need[0] else None,
            P.where(c, z, g) if need[1] else None)


def _where_method(self, condition, other):
    """Tensor.where(condition, other): where(condition, self, other); the condition a tensor."""
    if not isinstance(condition, Tensor):
        raise TypeError(_where_overloads_message(condition, other))
    return where(condition, self, other)


def _where_overloads_message(condition, other):
    """PyTorch's text for Tensor.where(condition, other) matching neither of its overloads."""
    c, o = errors.type_name(condition), errors.type_name(other)

    def why(other_fits):
        return (f"      didn't match because some of the arguments have invalid types: "
                f"(!{c}!, {o if other_fits else '!' + o + '!'})\n")
    return (f"where() received an invalid combination of arguments - got ({c}, {o}), but expected "
            f"one of:\n * (Tensor condition, Tensor other)\n" + why(isinstance(other, Tensor)) +
            " * (Tensor condition, Number other)\n" + why(False))  # (PyTorch marks both there)


@declare(method=_where_method, tensor_first="condition")
def where(condition, input=None, other=None):
    """Pick from input where condition holds, else from other (broadcasting)."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    cd = condition._data if (type(condition) is Tensor or type(condition) in TENSOR_TYPES) else as_array(condition)
    if cd.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_tname(cd.dtype)}")
    rt = promote(input, other)
    # a number beside a tensor: converted to the result's dtype, checked (float16 unchecked)
    input = input if isinstance(input, Tensor) else checked_fill(input, rt, 1)
    other = other if isinstance(other, Tensor) else checked_fill(other, rt, 1)
    a = operand(input)
    b = operand(other)
    a = a.astype(rt) if type(a) is _ndarray and a.dtype != rt else a
    b = b.astype(rt) if type(b) is _ndarray and b.dtype != rt else b
    check_broadcast_alloc(cd, np.empty((), rt), a, b)
    try:
        d = np.where(cd, a, b)
    except ValueError:
        raise errors.broadcast_error_of(cd.shape, np.shape(a), np.shape(b)) from None
    out = iter_result(d.astype(rt, copy=False), condition, input, other)
    if needs_grad(input, other):
        record(out, WhereBackward0, (input, other), (save(condition, "condition"),))
    return out


def _tname(d):
    return from_numpy_dtype(d)._short


def _extremum_grads(need, g, ad, bd, loses):
    """PyTorch's maximum/minimum rules: where(self == other, grad / 2, grad), then a
    masked_fill with +0 where the input loses (a product would give -0 for negative grads, and
    0 instead of grad where a value is nan)."""
    half = P.where(ad == bd, g * 0.5, g)
    ga = P.masked_fill(half, loses(ad, bd), 0) if need[0] else None
    gb = P.masked_fill(half, loses(bd, ad), 0) if need[1] else None
    if type(g) is _ndarray:  # (PyTorch's where(self == other, ...): self's layout decides first)
        ga, gb = (None if r is None else pointwise_layout(r, ad, bd) for r in (ga, gb))
    return (ga, gb)


@rule
def MaximumBackward0(need, g, a, b):
    return _extremum_grads(need, g, P.data(a), P.data(b), np.less)


@rule
def MinimumBackward0(need, g, a, b):
    return _extremum_grads(need, g, P.data(a), P.data(b), np.greater)


@declare
def maximum(self, other):
    """Elementwise maximum of two tensors (nan propagates)."""
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    ad, bd, _ = same_dtype_arrays(self, other)
    # numpy returns its second argument on ties, PyTorch its first (maximum(-0., 0.) is -0.)
    out = iter_result(_ufunc2_flipped(np.maximum, ad, bd), self, other)
    if needs_grad(self, other):
        record(out, MaximumBackward0, (self, other), save_both(self, other))
    return out


@declare
def minimum(self, other):
    """Elementwise minimum of two tensors (nan propagates)."""
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    ad, bd, _ = same_dtype_arrays(self, other)
    out = iter_result(_ufunc2_flipped(np.minimum, ad, bd), self, other)
    if needs_grad(self, other):
        record(out, MinimumBackward0, (self, other), save_both(self, other))
    return out


@rule
def FmaxBackward0(need, g, a, b):
    # derivatives.yaml: the gradient goes to self where self >= other or other is nan
    ad, bd = P.data(a), P.data(b)
    to_a = (ad >= bd) | np.isnan(bd)
    return (P.masked(g, to_a) if need[0] else None, P.masked(g, ~to_a) if need[1] else None)


@rule
def FminBackward0(need, g, a, b):
    ad, bd = P.data(a), P.data(b)
    to_a = (ad <= bd) | np.isnan(bd)
    return (P.masked(g, to_a) if need[0] else None, P.masked(g, ~to_a) if need[1] else None)


def _nan_ignoring(np_fn, node):
    """fmax / fmin: elementwise max / min where a NaN loses to a number."""
    def op(self, other):
        ad, bd, _ = same_dtype_arrays(self, other)
        out = iter_result(_ufunc2(np_fn, ad, bd), self, other)
        if needs_grad(self, other):
            record(out, node, (self, other), save_both(self, other))
        return out
    op.__name__ = op.__qualname__ = np_fn.__name__
    op.__doc__ = f"Elementwise {np_fn.__name__[1:]}imum; a NaN loses to a number."
    return declare(op)


def _fmax(a, b):
    # self where self >= other or other is nan (so self on ties: fmax(-0., 0.) is -0.)
    return np.where((a >= b) | (b != b), a, b)


def _fmin(a, b):
    return np.where((a <= b) | (b != b), a, b)


_fmax.__name__, _fmin.__name__ = "fmax", "fmin"
fmax = _nan_ignoring(_fmax, FmaxBackward0)
fmin = _nan_ignoring(_fmin, FminBackward0)


@rule
def Atan2Backward0(need, g, self, other):
    # atan2_backward: recip = (self * self + other * other).reciprocal(), masked to 0 where it
    # is inf; grad * other * recip, grad * -self * recip
    self, other = _in_float_of(self, g), _in_float_of(other, g)
    recip = P.reciprocal(self * self + other * other)
    recip = P.masked_fill(recip, np.isinf(P.data(recip)), 0)
    return (g * other * recip if need[0] else None, g * -self * recip if need[1] else None)


@declare(aliases=("arctan2",), inplace=True)
def atan2(self, other):
    """Elementwise arctangent of self / other, in the right quadrant."""
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    if promote(self, other).kind not in "fV":  # integers straight to the default float (unwrapped)
        ad = as_array(self._data, default_float_np())
        bd = as_array(other._data, default_float_np())
    else:
        ad, bd, rt = same_dtype_arrays(self, other)
    out = iter_result(_ufunc2(np.arctan2, ad, bd), self, other)
    if needs_grad(self, other):
        record(out, Atan2Backward0, (self, other), save_both(self, other))
    return out


def _copysign_ratio(x, out):
    # PyTorch's copysign_tensor_self_backward: result / self, 0 where self is 0 (a sign: +-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return P.masked_fill(out / x, P.data(x) == 0, 0)


@rule
def CopysignBackward0(need, g, x, out):
    return (g * _copysign_ratio(x, out) if need[0] else None,
            P.zeros_like(g) if need[1] else None)


@rule
def CopysignBackward1(need, g, x, out):
    return (g * _copysign_ratio(x, out),)


@declare(inplace=True)
def copysign(self, other):
    """The magnitude of self with the sign of other (the sign bit: -0. counts as negative)."""
    ad, bd, rt = same_dtype_arrays(self, other)
    if rt.kind not in "fV":
        ad, bd = as_array(ad, default_float_np()), as_array(bd, default_float_np())
    out = iter_result(_ufunc2(np.copysign, ad, bd), self, other)
    if (type(other) is Tensor or type(other) in TENSOR_TYPES) and needs_grad(self, other):
        record(out, CopysignBackward0, (self, other), (save(self), save_out(out)))
    elif (type(other) is not Tensor and type(other) not in TENSOR_TYPES) and needs_grad(self):
        record(out, CopysignBackward1, (self,), (save(self), save_out(out)))
    return out


@rule
def HypotBackward0(need, g, a, b, r):
    return (g * a / r if need[0] else None, g * b / r if need[1] else None)


@declare(inplace=True)
def hypot(self, other):
    """sqrt(self**2 + other**2), elementwise."""
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    ad, bd, _ = same_dtype_arrays(self, other)
    out = iter_result(_ufunc2(np.hypot, ad, bd), self, other)
    if needs_grad(self, other):
        record(out, HypotBackward0, (self, other), (*save_both(self, other), save_out(out)))
    return out


@rule
def LerpBackward0(need, g, weight):
    return (g * (1 - weight) if need[0] else None, g * weight if need[1] else None)


@rule
def LerpBackward1(need, g, start, end, weight):
    return (g * scalar_minus(1, weight) if need[0] else None, g * weight if need[1] else None,
            g * (end - start) if need[2] else None)


_LERP_FMA = {np.dtype(np.float32): _fma32, np.dtype(np.float64): _fma64}


def _lerp_values(a, b, w):
    """PyTorch's CPU lerp kernel: a + w*(b - a) where |w| < 0.5, else b + (w - 1)*(b - a), each
    one fused multiply-add (its vectorised lerp_vec; the scalar tail's compiled code fuses too)."""
    fma = _LERP_FMA.get(a.dtype)
    if fma is None:
        return a + w * (b - a)
    d = b - a
    if type(w) is not _ndarray:
        w = a.dtype.type(w)
        return fma(w, d, a) if -0.5 < w < 0.5 else fma(w - 1, d, b)
    small = np.abs(w) < 0.5
    return fma(np.where(small, w, w - 1), d, np.where(small, a, b))


@declare(inplace=True)
def lerp(self, end, weight):
    """self + weight * (end - self)."""
    _check_lerp_dtype(self, end, "end")
    if isinstance(weight, Tensor) and weight._data.ndim:  # (a 0-d weight is a number)
        _check_lerp_dtype(self, weight, "weight")
    ad, bd, _ = same_dtype_arrays(self, end)
    w = operand(weight)
    if (type(weight) is Tensor or type(weight) in TENSOR_TYPES):
        check_broadcast_alloc(ad, bd, w)
    # a 0-d weight of another dtype is read as a number: the result keeps self's dtype
    try:
        r = _lerp_values(ad, bd, w.item() if type(w) is _ndarray and not w.ndim
                         and w.dtype != ad.dtype else w)
    except ValueError:  # (shapes that do not broadcast)
        raise errors.broadcast_error_of(np.shape(ad), np.shape(bd), np.shape(w)) from None
    if ad.dtype.kind == "V" and r.dtype != ad.dtype:  # bfloat16 with a number: round once
        r = r.astype(ad.dtype)
    out = iter_result(r, self, end, weight)
    if (type(weight) is Tensor or type(weight) in TENSOR_TYPES):
        if needs_grad(self, end, weight):
            record(out, LerpBackward1, (self, end, weight), (*save_both(self, end), save(weight)))
    elif needs_grad(self, end):
        record(out, LerpBackward0, (self, end), (weight,))
    return out


# ----- comparisons and logic (never differentiable) -----------------------------------------
def _compare(np_fn):
    def op(self, other):
        if (type(other) is not Tensor and type(other) not in TENSOR_TYPES) and \
                not isinstance(other, (bool, int, float, complex, Tensor)):
            return NotImplemented
        ad, bd, _ = same_dtype_arrays(self, other)
        return iter_result(_ufunc2(np_fn, ad, bd), self, other)
    return op


def _named_comparison(op):
    """t.eq(x) and torch.eq(t, x): the operator's NotImplemented (which lets Python try the
    other side: `t == 'a'` is False) is a TypeError when the comparison is called by name, as
    in PyTorch (the language words it as PyTorch does: runtime/callsite.py)."""
    def compare(self, other):
        result = op(self, other)
        if result is NotImplemented:
            raise TypeError("%s(): argument 'other' must be Tensor or Number, not %s"
                            % (op.__name__, type(other).__name__))
        return result
    return compare


def _comparison(np_fn, name, aliases=()):
    op = _compare(np_fn)
    op.__name__ = name
    named = _named_comparison(op)
    return declare(name=name, aliases=aliases, operators=("__%s__" % name,), method=named,
                   function=named)(op)


eq = _comparison(np.equal, "eq")
ne = _comparison(np.not_equal, "ne", ("not_equal",))
lt = _comparison(np.less, "lt", ("less",))
le = _comparison(np.less_equal, "le", ("less_equal",))
gt = _comparison(np.greater, "gt", ("greater",))
ge = _comparison(np.greater_equal, "ge", ("greater_equal",))


def _bitwise(np_fn, name):
    def op(self, other):
        ad, bd, rt = same_dtype_arrays(self, other)
        check_broadcast(np.shape(ad), np.shape(bd))  # (before the dtype, as PyTorch's iterator)
        if rt.kind in "fV":
            raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                      f"'{torch_dtype(rt)._short}'")
        return iter_result(_ufunc2(np_fn, ad, bd), self, other)
    return op


bitwise_and = declare(name="bitwise_and", operators=("__and__", "__rand__", "__iand__"),
                      inplace=True)(
    _bitwise(np.bitwise_and, "bitwise_and"))
bitwise_or = declare(name="bitwise_or", operators=("__or__", "__ror__", "__ior__"),
                      inplace=True)(
    _bitwise(np.bitwise_or, "bitwise_or"))
bitwise_xor = declare(name="bitwise_xor", operators=("__xor__", "__rxor__", "__ixor__"),
                      inplace=True)(
    _bitwise(np.bitwise_xor, "bitwise_xor"))


def _shift(np_fn, name, fill_sign):
    """a << b / a >> b on integers, as PyTorch's kernel: a shift by a negative amount or by the
    width or more gives 0 (left, and right of unsigned) or the sign fill (right of signed)."""
    def op(self, other):
        ad, bd, rt = same_dtype_arrays(self, other)
        check_broadcast(np.shape(ad), np.shape(bd))  # (before the dtype, as PyTorch's iterator)
        if rt.kind in "fV":
            raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                      f"'{torch_dtype(rt)._short}'")
        if rt.kind == "b":
            rt = np.dtype(np.bool_)
        a, b = as_array(ad), as_array(bd)
        bits = rt.itemsize * 8
        wide = (b < 0) | (b >= bits)
        if rt.kind == "b":
            a, b = a.astype(np.uint8), b.astype(np.uint8)
        safe = np.where(wide, 0, b).astype(a.dtype)
        out = np_fn(a, safe)
        if np.any(wide):
            sign = fill_sign and rt.kind == "i"    # signed right shifts fill with the sign
            out = np.where(wide, np.right_shift(a, bits - 1) if sign else 0, out)
        return iter_result(as_array(out).astype(rt), self, other)
    return op


bitwise_left_shift = declare(name="bitwise_left_shift", operators=("__lshift__", "__ilshift__"),
                             inplace=True)(_shift(np.left_shift, "lshift", False))
bitwise_right_shift = declare(name="bitwise_right_shift", operators=("__rshift__", "__irshift__"),
                              inplace=True)(_shift(np.right_shift, "rshift", True))


@declare(method=False, function=False, operators=("__rlshift__",))
def rlshift(self, other):
    """other << self, other a Python number."""
    return bitwise_left_shift(wrapped_number(other, self), self)


@declare(method=False, function=False, operators=("__rrshift__",))
def rrshift(self, other):
    """other >> self, other a Python number."""
    return bitwise_right_shift(wrapped_number(other, self), self)


@declare(tensor_first=True, inplace=True)
def bitwise_not(self):
    if self._data.dtype.kind in "fV":
        raise NotImplementedError("\"bitwise_not_cpu\" not implemented for "
                                  f"'{_tname(self._data.dtype)}'")
    return make(as_array(~self._data))


@declare(method=False, function=False, operators=("__invert__",))
def invert(self):
    """~t: bitwise_not of an integer or bool tensor (PyTorch's operator refuses floats first)."""
    if self._data.dtype.kind in "fVc":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)


@declare(tensor_first=True, inplace=True)
def logical_not(self):
    return make(as_array(np.logical_not(self._data)))


@declare(inplace=True)
def logical_and(self, other):
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    return iter_result(_ufunc2(np.logical_and, self._data, operand(other)), self, other)


@declare(inplace=True)
def logical_or(self, other):
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    return iter_result(_ufunc2(np.logical_or, self._data, operand(other)), self, other)


@declare(inplace=True)
def logical_xor(self, other):
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    return iter_result(_ufunc2(np.logical_xor, self._data, operand(other)), self, other)


def _float_class_test(name, np_fn, doc):
    """An elementwise test of each number's class: a bool tensor, no gradient."""
    def op(self):
        return make(as_array(np_fn(self._data)))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return declare(tensor_first=True)(op)


isnan = _float_class_test("isnan", np.isnan, "True where NaN.")
isinf = _float_class_test("isinf", np.isinf, "True where +inf or -inf.")
isfinite = _float_class_test("isfinite", np.isfinite, "True where neither NaN nor infinite.")
isposinf = _float_class_test("isposinf", np.isposinf, "True where +inf.")
isneginf = _float_class_test("isneginf", np.isneginf, "True where -inf.")
signbit = _float_class_test("signbit", np.signbit, "True where the sign bit is set: negative "
                            "numbers and -0. (and a NaN with its sign).")


@rule
def NanToNumBackward0(need, g, self):
    # a product, as PyTorch's formula (a negative gradient at inf gives -0.)
    return (g * (isfinite(self) if (type(g) is Tensor or type(g) in TENSOR_TYPES) else np.isfinite(P.data(self))),)


@declare(inplace=True, tensor_first=True)
def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
    """NaN, +inf and -inf replaced by nan, posinf and neginf (by default the dtype's largest
    and lowest finite values)."""
    if nan is None:
        nan = 0.0  # PyTorch's default for a None
    elif isinstance(nan, Tensor):
        raise TypeError("argument 'nan' must be float, not Tensor")
    d = self._data
    if d.dtype == np.float16:  # the numbers rounded as PyTorch's Half is: through float32
        nan, posinf, neginf = (v if v is None else half_rounded(v) for v in (nan, posinf, neginf))
    out = iter_result(np.nan_to_num(d, nan=nan, posinf=posinf, neginf=neginf)
                      if d.dtype.kind in "fV" else d.copy(), self)
    if needs_grad(self):
        record(out, NanToNumBackward0, (self,), (save(self, "self"),))
    return out


@declare
def equal(self, other):
    """True when both tensors have the same shape and values."""
    if type(self._data) is _Meta or type(other._data) is _Meta:
        raise no_meta_kernel("equal")
    return self._data.shape == other._data.shape and bool(np.array_equal(self._data, other._data))


def _check_close(self, other, rtol, atol):
    """PyTorch's checks for isclose and allclose: no promotion between the two dtypes."""
    if not isinstance(other, Tensor):
        raise errors.not_tensor(other, "other")
    if self._data.dtype != other._data.dtype:
        raise RuntimeError(f"{self.dtype._short} did not match {other.dtype._short}")
    check_broadcast(self._data.shape, other._data.shape)   # (numpy's ValueError otherwise)
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")


def _check_lerp_dtype(self, other, name):
    """lerp does not promote: end (and a weight tensor) must have self's dtype."""
    if isinstance(other, Tensor) and other._data.dtype != self._data.dtype:
        raise RuntimeError(f"expected dtype {_C_TYPE.get(self._data.dtype.name, self.dtype._short)}"
                           f" for `{name}` but got dtype "
                           f"{_C_TYPE.get(other._data.dtype.name, other.dtype._short)}")


# PyTorch's C++ names of the dtypes in its messages
_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half",
           "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
           "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
           "complex128": "c10::complex<double>"}


@declare
def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_close(self, other, rtol, atol)
    if type(self._data) is _Meta:  # (PyTorch's allclose reads the answer with item())
        raise RuntimeError(NO_ITEM)
    return bool(np.allclose(self._data, operand(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


@declare
def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_close(self, other, rtol, atol)
    return iter_result(np.isclose(self._data, operand(other), rtol=rtol, atol=atol,
                                  equal_nan=equal_nan), self, other)


# ----- copies and dtype conversion ----------------------------------------------------------
@rule
def CloneBackward0(need, g):
    return (g,)


@declare(tensor_first=True)
def clone(self, *, memory_format=None):
    """A copy with its own storage, recorded in the graph; memory_format as PyTorch's (by default
    the input's strides when it is dense)."""
    out = make(copy_in_format(self._data, memory_format))
    if needs_grad(self):
        record(out, CloneBackward0, (self,))
    return out


@rule
def ToCopyBackward0(need, g):
    return (g,)  # the engine casts to the input's dtype


def to_dtype(self, dt, copy=False, fmt=None):
    """This tensor in dtype `dt` (itself when the dtype already matches and copy is False),
    laid out in memory format `fmt` (Tensor.to(memory_format=...); None: preserve_format)."""
    fmt = None if fmt is preserve_format else fmt
    if self._data.dtype == dt.np and not copy and (fmt is None or in_format(self._data, fmt)):
        return self
    d = self._data
    if d.dtype.kind == "c" and dt.np == np.bool_:  # nonzero in either part, no warning
        d = d != 0
    elif d.dtype.kind == "c" and not dt.is_complex:
        errors.warn_once(errors.COMPLEX_TO_REAL)
        d = d.real
    r = astype(d, dt.np)
    if fmt is not None:  # the format's own strides (size-1 dims too), as PyTorch's copy
        r = copy_in_format(r, fmt)
    elif not d.flags.c_contiguous:  # numpy's order='K' and PyTorch's preserve_format differ
        r = like(d, r)
    out = make(r)
    if needs_grad(self) and (dt.is_floating_point or dt.is_complex):
        record(out, ToCopyBackward0, (self,))
    return out
