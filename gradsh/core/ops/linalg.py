"""Matrix products: matmul and its cases (mm, mv, dot, bmm), outer, addmm, einsum, diag, trace."""

import math

import numpy as np

from .. import autocast as _amp
from .. import errors
from ..dtypes import c_name
from ..node import _COMPLEX_VARIANTS, node_class
from ..tensor import TENSOR_TYPES, Tensor, int_arg
from . import prim as P
from .base import (backward_op, check_alloc, check_broadcast, dim_arg, limits, make, needs_grad, record,
                   result, rule, save, torch_dtype)
from .index import index_put_zero
from .pointwise import mul, mul_scalar
from ..memory import INTEGER_MATMUL, check_flops
from .registry import declare
from .shape import UnsafeViewBackward0, expand
from .views import positions, view_of
from ..meta import MetaArray as _Meta, as_array


_ndarray = np.ndarray


def _short(d):
    return torch_dtype(d)._short


def mm_arrays(x, y):
    """x @ y for 2-d arrays. An outer product (inner size 1, both outer sizes above 1) is the
    broadcast product: the same values, computed several times faster than numpy's matmul
    (which takes a plain loop there), and the same signed zeros as PyTorch's mm, which takes
    pure products there too (numpy's sum from +0 turns -0. into 0.)."""
    if x.shape[1] == 1 and x.shape[0] > 1 and y.shape[1] > 1 and x.dtype.kind in "fV":
        return x * y
    if type(x) is not _Meta and type(y) is not _Meta:  # (a meta product is not computed)
        check_flops(x.shape[0] * x.shape[1] * y.shape[1] * _weight(x), _product_what("mm", x, y))
    return x @ y if x.dtype.kind != "V" else matmul_arrays(x, y)


def matmul_work(xs, ys):
    """The multiply-adds of np.matmul of shapes xs and ys (broadcast batches), for the work
    limit (memory.check_flops)."""
    if len(xs) < 2 or len(ys) < 2:
        return math.prod(xs) * (ys[-1] if len(ys) >= 2 else 1) * math.prod(ys[:-2])
    batch = 1
    for a, b in zip(reversed(xs[:-2]), reversed(ys[:-2])):
        batch *= max(a, b)
    longer = xs if len(xs) > len(ys) else ys
    batch *= math.prod(longer[:len(longer) - 2 - min(len(xs), len(ys)) + 2])
    return batch * xs[-2] * xs[-1] * ys[-1]


def _weight(x):
    """numpy's integer and bool matmul is a plain loop, not BLAS: about ten times slower."""
    return INTEGER_MATMUL if x.dtype.kind in "iub" else 1


def _product_what(name, x, y):
    return f"{name} of shapes {list(x.shape)} and {list(y.shape)}"


def matmul_arrays(x, y):
    """np.matmul, but bfloat16 products are summed in float32 and rounded once, as PyTorch's
    CPU kernels do (numpy's matmul of ml_dtypes' bfloat16 gives float32)."""
    if type(x) is not _Meta and type(y) is not _Meta:  # (a meta product is not computed)
        check_flops(matmul_work(x.shape, y.shape) * _weight(x), _product_what("matmul", x, y))
    if x.dtype.kind != "V":
        return np.matmul(x, y)
    return np.matmul(x.astype(np.float32), y.astype(np.float32)).astype(x.dtype)


def column_major(d):
    """The layout test of PyTorch's mm_mat1_backward / mm_mat2_backward: strides (1, rows)."""
    st, size = d.strides, d.itemsize
    return st[0] == size and st[1] == d.shape[0] * size


def mm_t(a, b):
    """a.mm(b): the recorded mm on tensors, mm_arrays on arrays."""
    return mm(a, b) if type(a) in TENSOR_TYPES or type(b) in TENSOR_TYPES else mm_arrays(a, b)


def t2(a):
    """a.t() of a matrix (TBackward0 on a tensor)."""
    return a.t() if type(a) in TENSOR_TYPES else a.T


def mm_mat1_backward(g, mat2, mat1_column_major):
    """PyTorch's: a column-major mat1 gets its gradient column-major too."""
    return t2(mm_t(mat2, t2(g))) if mat1_column_major else mm_t(g, t2(mat2))


def mm_mat2_backward(g, mat1, mat2_column_major):
    return t2(mm_t(t2(g), mat1)) if mat2_column_major else mm_t(t2(mat1), g)


def _outer_any(a, b):
    return outer(a, b) if type(a) in TENSOR_TYPES or type(b) in TENSOR_TYPES else np.multiply.outer(a, b)


@rule
def MmBackward0(need, g, self, mat2, self_sizes, mat2_sizes, column_major):
    return (mm_mat1_backward(g, mat2, column_major[0]) if need[0] else None,
            mm_mat2_backward(g, self, column_major[1]) if need[1] else None)


@rule
def MvBackward0(need, g, self, vec, self_sizes, vec_sizes, column_major):
    """derivatives.yaml: self: grad.ger(vec); vec: self.t().mv(grad)."""
    return (_outer_any(g, vec) if need[0] else None,
            (mv(self.t(), g) if type(g) in TENSOR_TYPES or type(self) in TENSOR_TYPES else self.T @ g)
            if need[1] else None)


@rule
def BmmBackward0(need, g, self, mat2, self_sizes, mat2_sizes, column_major):
    """derivatives.yaml: self: grad.bmm(mat2.transpose(1, 2)); mat2: self.transpose(1, 2).bmm(grad)."""
    return (_bmm_any(g, P.transpose(mat2, 1, 2)) if need[0] else None,
            _bmm_any(P.transpose(self, 1, 2), g) if need[1] else None)


def _bmm_any(a, b):
    return bmm(a, b) if type(a) in TENSOR_TYPES or type(b) in TENSOR_TYPES else matmul_arrays(a, b)


@rule
def DotBackward0(need, g, self, tensor, self_sizes, tensor_sizes, column_major):
    return (g * tensor if need[0] else None, g * self if need[1] else None)


def _record_mm(out, cls, a, b):
    ra, rb = a._requires_grad, b._requires_grad
    ad, bd = a._data, b._data
    layout = ((ra and ad.ndim == 2 and column_major(ad)), (rb and bd.ndim == 2 and column_major(bd)))
    if cls is MmBackward0 or cls is BmmBackward0:  # PyTorch saves (packs) mat2 before self
        sb = save(b, "mat2") if ra else None
        sa = save(a, "self") if rb else None
    else:
        sa, sb = save(a, "self") if rb else None, save(b, "mat2") if ra else None
    record(out, cls, (a, b), (sa, sb, ad.shape, bd.shape, layout))
    return out


def _product(a, b, cls):
    """The kernel under dot, mv, mm and bmm (their checks done): one node of class cls."""
    ad, bd = a._data, b._data
    if ad.size * bd.size > limits.quick:  # bounds the result: rows of a times columns of b
        check_alloc(ad.shape[:-1] + (bd.shape[-1:] if bd.ndim > 1 else ()), ad.dtype)
    out = result(mm_arrays(ad, bd) if ad.ndim == 2 and bd.ndim == 2 else matmul_arrays(ad, bd))
    if needs_grad(a, b):
        _record_mm(out, cls, a, b)
    return out


# ----- the kernels, each with PyTorch's checks and messages ----------------------------------
@declare
def dot(self, other):
    """Inner product of two 1-d tensors."""
    _check_dot(self, other)
    return _product(self, other, DotBackward0)


# (real inputs: dot's rule)
VdotBackward0 = rule(DotBackward0.rule, name="VdotBackward0")


def _vdot_complex_rule(need, g, self, other, self_sizes, other_sizes, column_major):
    """vdot conjugates self, so it is not holomorphic in self: PyTorch's formulas
    (self: conj(g) * other, other: g * self), not the conjugated real rule."""
    conj_g = g.conj() if isinstance(g, Tensor) else np.conj(g)
    return (conj_g * other if need[0] else None, g * self if need[1] else None)


_COMPLEX_VARIANTS[VdotBackward0] = type("VdotBackward0", (VdotBackward0,), {
    "__slots__": (), "rule": staticmethod(_vdot_complex_rule),
    "fast": staticmethod(_vdot_complex_rule), "spare": None, "__module__": "builtins",
    "complex_rule": True})


@declare
def vdot(self, other):
    """Inner product of two 1-d tensors, the first conjugated (dot's for real tensors)."""
    _check_dot(self, other)
    if self._data.dtype.kind != "c":
        return _product(self, other, VdotBackward0)
    out = result(np.vdot(self._data, other._data))
    if needs_grad(self, other):
        _record_mm(out, VdotBackward0, self, other)
    return out


def _check_dot(self, other):
    a, b = self._data, other._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_short(a.dtype)} and {_short(b.dtype)}")
    if a.shape != b.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.size}] and src "
                           f"[{b.size}] to have the same number of elements, but got {a.size} and "
                           f"{b.size} elements respectively")




@declare
def mv(self, vec):
    """Matrix-vector product."""
    a, b = self._data, vec._data
    if a.ndim != 2 or b.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {b.ndim}")
    if a.dtype != b.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_short(b.dtype)}, {_short(a.dtype)}, and {_short(b.dtype)}")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x"
                           f"{a.shape[1]}), vec ({b.shape[0]})")
    return _product(self, vec, MvBackward0)


def _mm_checks(a, b):
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {c_name(a.dtype)} "
                           f"!= {c_name(b.dtype)}")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} "
                           f"and {b.shape[0]}x{b.shape[1]})")


def _broadcasts(shape, target):
    return len(shape) <= len(target) and all(
        s in (1, t) for s, t in zip(reversed(shape), reversed(target)))


def _addmm_dtype_checks(input, a, b):
    # addmm's own checks (nn.Linear with a bias comes here): the bias's dtype first
    if isinstance(input, Tensor) and input._data.dtype != b.dtype:
        raise RuntimeError("self and mat2 must have the same dtype, but got "
                           f"{_short(input._data.dtype)} and {_short(b.dtype)}")
    if a.dtype != b.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_short(a.dtype)} "
                           f"and {_short(b.dtype)}")


@declare
def mm(self, mat2):
    """Product of two matrices."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        self, mat2 = _amp.lower(self, mat2)
    if self._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    try:
        ndim2 = mat2._data.ndim
    except AttributeError:  # (no test on the hot path: try costs nothing until it fails)
        raise TypeError(f"mm(): argument 'mat2' (position 2) must be Tensor, not "
                        f"{errors.type_name(mat2)}") from None
    if ndim2 != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_checks(self._data, mat2._data)
    return _product(self, mat2, MmBackward0)


def _not_tensors(op, args):
    """PyTorch's TypeError for the first of (name, value, position) that is not a tensor."""
    for arg, value, position in args:
        if not isinstance(value, Tensor):
            raise TypeError(f"{op}(): argument '{arg}' (position {position}) must be Tensor, "
                            f"not {type(value).__name__}")


@declare
def bmm(self, mat2):
    """Batched product of (b, n, m) and (b, m, p) tensors."""
    if type(mat2) not in TENSOR_TYPES:
        _not_tensors("bmm", (("mat2", mat2, 2),))
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        self, mat2 = _amp.lower(self, mat2)
    a, b = self._data, mat2._data
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {_short(a.dtype)} but found {_short(b.dtype)}")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return _product(self, mat2, BmmBackward0)


# ----- matmul: PyTorch's composition of the kernels ------------------------------------------
@rule
def SqueezeBackward4(need, g, shape):
    return (P.reshape(g, shape),)


def _squeeze0_(t):
    """t.squeeze_(0) on a fresh result (PyTorch squeezes mm's output in place)."""
    out = make(t._data.reshape(t._data.shape[1:]))
    if needs_grad(t):
        record(out, SqueezeBackward4, (t,), (t._data.shape,))
    return out


def _unsafe_view(t, shape):
    """t's data seen with another shape, as a new tensor (PyTorch's _unsafe_view)."""
    out = make(t._data.reshape(shape))
    if needs_grad(t):
        record(out, UnsafeViewBackward0, (t,), (t._data.shape,))
    return out


def _should_fold(a, b):
    """Whether PyTorch folds the larger operand's batch dims into a matrix (mm/mv) rather than
    running bmm: when the other operand requires grad, or when folding needs no copy."""
    larger = a._data.ndim >= b._data.ndim
    big, small = (a, b) if larger else (b, a)
    if not (big._data.ndim >= 3 and small._data.ndim <= 2):
        return False
    if small._requires_grad:
        return True
    if a._data.ndim == 2:
        return False
    d = big._data
    if d.size == 0:
        return True
    shape, strides = list(d.shape), list(d.strides)
    if not larger:  # the fold is of b.mT: its last two dims swapped
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


@declare(operators=("__matmul__",))
def matmul(self, other):
    """Matrix product of any ranks, built as PyTorch builds it from dot, mv, mm and bmm (so the
    graph has PyTorch's nodes and misuse PyTorch's messages)."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        self, other = _amp.lower(self, other)
    if not isinstance(other, Tensor):
        raise errors.operand_error(other, TypeError(
            f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"))
    da, db = self._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 2 and db == 2:
        return mm(self, other)
    if da == 1 and db == 1:
        return dot(self, other)
    if da == 2 and db == 1:
        return mv(self, other)
    if da == 1 and db == 2:
        return _squeeze0_(mm(self.unsqueeze(0), other))
    if _should_fold(self, other):
        return _folded(self, other)
    return _batched(self, other)


@declare(method=False, function=False, operators=("__rmatmul__",))
def rmatmul(self, other):
    """other @ self."""
    if not isinstance(other, Tensor):
        raise errors.operand_error(other)
    return matmul(other, self)


def _folded(a, b):
    transpose = b._data.ndim > a._data.ndim
    t1 = b.mT if transpose else a
    t2 = (a.t() if a._data.ndim == 2 else a) if transpose else b
    out_shape = tuple(t1.shape[:-1])
    rows = 1
    for s in out_shape:
        rows *= s
    t1 = t1.reshape(rows, t1.shape[-1])
    if t2._data.ndim == 2:
        out = _unsafe_view(mm(t1, t2), out_shape + (t2.shape[1],))
        return out.mT.contiguous() if transpose else out
    return _unsafe_view(mv(t1, t2), out_shape)


def _batched(a, b):
    da, db = a._data.ndim, b._data.ndim
    sa, sb = a._data.shape, b._data.shape
    n = sa[-2] if da > 1 else 1
    m1 = sa[-1]
    m2 = sb[-2] if db > 1 else sb[0]
    p = sb[-1] if db > 1 else 1
    batch_a, batch_b = sa[:max(da - 2, 0)], sb[:max(db - 2, 0)]
    if da == 3 and db == 3 and batch_a[0] != batch_b[0]:
        # A batch of one that requires grad is squeezed rather than expanded (PyTorch's choice).
        if batch_a[0] == 1 and a._requires_grad:
            return matmul(a.squeeze(0), b)
        if batch_b[0] == 1 and b._requires_grad:
            return matmul(a, b.squeeze(0))
    batch = check_broadcast(batch_a, batch_b)
    count = 1
    for s in batch:
        count *= s
    a3 = a.expand(*batch, n, m1).reshape(count, n, m1)
    if db == 1:
        b3 = b.expand(*batch, m2).reshape(count, m2).unsqueeze(2)
    else:
        b3 = b.expand(*batch, m2, p).reshape(count, m2, p)
    out_shape = tuple(batch) + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    r = bmm(a3, b3)
    return _unsafe_view(r.squeeze(-1) if db == 1 else r, out_shape)


@declare(aliases=("ger",))
def outer(self, vec2):
    """Outer product of two vectors (recorded as a broadcast MulBackward0, as PyTorch does)."""
    if not isinstance(vec2, Tensor):
        raise errors.not_tensor(vec2, "vec2")
    for name, x in (("self", self), ("vec2", vec2)):
        if x._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {x._data.ndim}-D")
    return mul(self.reshape(-1, 1), vec2)




def _maybe_multiply(g, number):
    """C++'s maybe_multiply: g itself for 1, else g * number (MulBackward1)."""
    return g if number == 1 else mul_scalar(g, number)


@rule
def AddmmBackward0(need, g, mat1, mat2, beta, alpha, shape, column_major):
    return (_maybe_multiply(g, beta) if need[0] else None,
            _maybe_multiply(mm_mat1_backward(g, mat2, column_major[0]), alpha) if need[1] else None,
            _maybe_multiply(mm_mat2_backward(g, mat1, column_major[1]), alpha) if need[2] else None)


@declare(method=lambda self, mat1, mat2, *, beta=1, alpha=1: addmm(self, mat1, mat2, beta=beta,
                                                                  alpha=alpha), inplace=True)
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2)."""
    if type(mat1) not in TENSOR_TYPES or type(mat2) not in TENSOR_TYPES:  # (F.linear's path)
        _not_tensors("addmm", (("mat1", mat1, 2), ("mat2", mat2, 3)))
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        input, mat1, mat2 = _amp.lower(input, mat1, mat2)
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got " + f"{mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got " + f"{mat2.ndim}-D tensor")
    a, b = mat1._data, mat2._data
    _addmm_dtype_checks(input, a, b)
    _mm_checks(a, b)
    if isinstance(input, Tensor) and not _broadcasts(input._data.shape, (a.shape[0], b.shape[1])):
        expand(input, a.shape[0], b.shape[1])  # raises PyTorch's error for a bias that misfits
    check_alloc((a.shape[0], b.shape[1]), a.dtype)
    low = a.dtype.kind == "V"  # bfloat16: computed in float32, rounded once (PyTorch's gemm)
    p = np.matmul(a.astype(np.float32), b.astype(np.float32)) if low else np.matmul(a, b)
    i = input._data if isinstance(input, Tensor) else input
    r = beta * i + alpha * p if (beta != 1 or alpha != 1) else i + p
    out = result(as_array(r).astype(a.dtype) if low else r)
    if needs_grad(input, mat1, mat2):
        r1, r2 = mat1._requires_grad, mat2._requires_grad
        layout = (r1 and column_major(a), r2 and column_major(b))
        record(out, AddmmBackward0, (input, mat1, mat2),
               (save(mat1, "mat1") if r2 else None, save(mat2, "mat2") if r1 else None, beta,
                alpha, np.shape(i), layout))
    return out


# ----- einsum -------------------------------------------------------------------------------
@declare(method=False)
def einsum(equation, *operands):
    """Einstein summation (explicit `->` or implicit output), differentiable in every operand.

    Built from gradsh's own ops the way PyTorch builds it (align each operand to one label order
    by unsqueeze and permute, sum labels only one operand has, contract pairs with bmm, view to
    the output), so the graph has PyTorch's nodes: `einsum('ij,jk->ik', a, b)` ends in
    ViewBackward0. A label repeated in one operand takes a diagonal, and '...' stands for
    labels of its own (broadcast across operands), both as PyTorch does.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError("einsum(): argument 'equation' (position 1) must be str, not "
                        + type(equation).__name__)
    for k, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 1, but got "
                            + type(op).__name__)
    specs, out = _einsum_parse(equation, len(operands))
    implicit = out is None
    for k, (spec, op) in enumerate(zip(specs, operands)):
        n = len(spec.replace("...", ""))
        if "..." in spec and n > op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) is "
                               f"more than the number of dimensions ({op.ndim}) for operand {k}")
        if "..." not in spec and n != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n}) "
                               f"does not match the number of dimensions ({op.ndim}) for operand "
                               f"{k} and no ellipsis was given")
    specs, out, operands = _einsum_ellipsis(specs, out, list(operands))
    if implicit:
        counts = {}
        for spec in specs:
            for c in spec:
                counts[c] = counts.get(c, 0) + 1
        batch = [c for c in _ELLIPSIS if c in counts]
        out = "".join(batch) + "".join(sorted(c for c, n in counts.items()
                                              if n == 1 and c not in batch))
    _einsum_sizes(specs, operands)
    operands = list(operands)
    for k, spec in enumerate(specs):
        specs[k], operands[k] = _einsum_diagonals(spec, operands[k])
    contracted = []
    for spec in specs:
        contracted += [c for c in spec if c not in out and c not in contracted]
    labels = list(out) + contracted
    aligned = [_einsum_align(op, spec, labels) for op, spec in zip(operands, specs)]
    sizes = {}
    for op, spec in zip(operands, specs):
        for c, n in zip(spec, op.shape):
            sizes[c] = max(sizes.get(c, 1), n)   # a size-1 dim broadcasts
    summed = [k for k, c in enumerate(labels) if c in contracted]
    if len(aligned) == 1:
        r = aligned[0]
        return r.sum(summed) if summed else r
    # A contracted label only one operand has is summed in that operand first. (Counts, not
    # joins of the other specs: an equation of 10**5 operands stays linear.)
    users = {}
    for spec in specs:
        for c in set(spec):
            users[c] = users.get(c, 0) + 1
    for k, spec in enumerate(specs):
        own = [d for d in summed if labels[d] in spec and users[labels[d]] == 1]
        if own:
            aligned[k] = aligned[k].sum(own, keepdim=True)
    r = aligned[0]
    have = set(specs[0])
    later = dict(users)   # how many operands from k + 1 on use each label
    for c in set(specs[0]):
        later[c] -= 1
    for k in range(1, len(aligned)):
        for c in set(specs[k]):
            later[c] -= 1
        dims = [d for d in summed if labels[d] in have and labels[d] in specs[k]
                and not later[labels[d]]]
        r = _sumproduct_pair(r, aligned[k], dims)
        have |= set(specs[k])
    if summed:
        r = r.view([sizes[c] for c in out])
    return r


# labels standing for the dims '...' covers: never a letter, so never a program's own label
_ELLIPSIS = "".join(chr(0x100 + i) for i in range(128))
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _einsum_parse(equation, n_operands):
    """The operands' subscripts and the output's (None when implicit). Checked with str's own
    methods (an equation of 10**7 letters stays fast); anything odd is scanned again by
    _einsum_scan, which raises PyTorch's error for the first fault in PyTorch's order."""
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    specs = lhs.replace(" ", "").split(",")
    ok = len(specs) == n_operands and all(
        set(sp.replace("...", "", 1)) <= _LETTERS for sp in specs)
    out = None
    if ok and arrow >= 0:
        out = equation[arrow + 2:].replace(" ", "")
        letters = out.replace("...", "", 1)
        ok = set(letters) <= _LETTERS and len(set(letters)) == len(letters) \
            and set(letters) <= set("".join(specs))
    return (specs, out) if ok else _einsum_scan(equation, n_operands)


def _einsum_scan(equation, n_operands):
    """_einsum_parse one character at a time, with PyTorch's checks and messages: letters only,
    '.' only in one '...' per operand, output labels once each and from the inputs, as many
    operands as specs."""
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    specs, cur, k, i = [], [], 0, 0
    while i < len(lhs):
        c = lhs[i]
        if c == ".":
            if "..." in cur:
                raise RuntimeError(f"einsum(): found '.' for operand {k} for which an ellipsis "
                                   "was already found")
            if lhs[i:i + 3] != "...":
                raise RuntimeError(f"einsum(): found '.' for operand {k} that is not part of "
                                   "any ellipsis")
            cur.append("...")
            i += 3
            continue
        if c == ",":
            specs.append("".join(cur))
            cur, k = [], k + 1
            if k >= n_operands:
                raise RuntimeError("einsum(): fewer operands were provided than specified in "
                                   "the equation")
        elif c != " ":
            if c not in _LETTERS:
                raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the "
                                   "equation string, subscripts must be in [a-zA-Z]")
            cur.append(c)
        i += 1
    specs.append("".join(cur))
    if len(specs) < n_operands:
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    if arrow < 0:
        return specs, None
    rhs, out, i = equation[arrow + 2:], [], 0
    seen = set("".join(specs))
    while i < len(rhs):
        c = rhs[i]
        if c == ".":
            if "..." in out:
                raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was "
                                   "already found")
            if rhs[i:i + 3] != "...":
                raise RuntimeError("einsum(): found '.' for output that is not part of any "
                                   "ellipsis (...)")
            out.append("...")
            i += 3
            continue
        if c != " ":
            if c not in _LETTERS:
                raise RuntimeError(f"einsum(): invalid subscript given at index {arrow + 2 + i}"
                                   " in the equation string, subscripts must be in [a-zA-Z]")
            if c in out:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   "the output")
            if c not in seen:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
            out.append(c)
        i += 1
    return specs, "".join(out)


def _einsum_sizes(specs, operands):
    """PyTorch's checks that each label's sizes agree (a size 1 broadcasts), before any work."""
    seen = {}
    for k, (spec, op) in enumerate(zip(specs, operands)):
        own = {}
        for d, (c, n) in enumerate(zip(spec, op.shape)):
            if c in own and own[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match, {n} != {own[c]}")
            own[c] = n
            m = seen.get(c, 1)
            if m != n and m != 1 and n != 1:
                if c in _LETTERS:
                    raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} "
                                       f"which does not broadcast with previously seen size {m}")
                raise RuntimeError(f"einsum(): dimension {d} covered by ellipsis in operand {k}"
                                   f"has size {n} which does not broadcast with previously seen "
                                   f"ellipsis with size {m} for the respective dimension")
            if n != 1:
                seen[c] = n


def _einsum_ellipsis(specs, out, operands):
    """Spell out '...': each operand's covered dims get labels (right-aligned, so the same
    trailing batch dims share one; a size-1 dim broadcasts like any label of size 1)."""
    if not any("..." in s for s in specs) and (out is None or "..." not in out):
        return specs, out, operands
    widths = [op.ndim - len(s.replace("...", "")) if "..." in s else 0
              for s, op in zip(specs, operands)]
    width = max(widths)
    names = _ELLIPSIS[:width]
    new_specs = []
    for w, s in zip(widths, specs):
        if "..." not in s:
            new_specs.append(s)
            continue
        new_specs.append(s.replace("...", names[width - w:]))
    if out is not None:
        out = out.replace("...", names)
    return new_specs, out, operands


def _einsum_diagonals(spec, op):
    """A label repeated in one operand takes the diagonal of those dims (as PyTorch does)."""
    while len(set(spec)) != len(spec):
        c = next(c for c in spec if spec.count(c) > 1)
        p = spec.index(c)
        q = spec.index(c, p + 1)
        op = op.diagonal(0, p, q).movedim(-1, p)
        spec = spec[:q] + spec[q + 1:]
    return spec, op


def _einsum_align(op, spec, labels):
    """op with its dims in `labels` order: size-1 dims appended for the labels it lacks."""
    t = op
    for _ in range(len(labels) - len(spec)):
        t = t.unsqueeze(-1)
    cur = list(spec) + [c for c in labels if c not in spec]
    return t.permute([cur.index(c) for c in labels])


def _sumproduct_pair(left, right, sum_dims):
    """sum over sum_dims of left * right (both aligned, broadcasting), through one bmm."""
    if not sum_dims:
        return left * right
    lro, lo, ro, sdims = [], [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for d in range(left.ndim):
        sl, sr = left.shape[d] != 1, right.shape[d] != 1
        if d in sum_dims:
            if sl and sr:
                sum_size *= left.shape[d]
            elif sl:
                left = left.sum(d, keepdim=True)
            elif sr:
                right = right.sum(d, keepdim=True)
            sdims.append(d)
        elif sl and sr:
            lro.append(d)
            lro_size *= left.shape[d]
        elif sl:
            lo.append(d)
            lo_size *= left.shape[d]
        else:
            ro.append(d)
            ro_size *= right.shape[d]
    lperm = lro + lo + sdims + ro
    rperm = lro + sdims + ro + lo
    out_size = [left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sdims) + \
        [right.shape[d] for d in ro]
    a = left.permute(lperm).reshape(lro_size, lo_size, sum_size)
    b = right.permute(rperm).reshape(lro_size, sum_size, ro_size)
    r = bmm(a, b).view(out_size)
    inverse = [0] * len(lperm)
    for i, d in enumerate(lperm):
        inverse[d] = i
    return r.permute(inverse)


# ----- diagonals and triangles --------------------------------------------------------------
@rule
def DiagEmbedBackward0(need, g, offset, dim1, dim2):
    if isinstance(g, Tensor):
        return (diagonal(g, offset, dim1, dim2),)
    v = np.diagonal(g, offset, dim1, dim2)  # (a view, as PyTorch's diagonal: no copy)
    if g.flags.writeable:
        v.flags.writeable = True  # (numpy's diagonal is read-only; a tensor's view is not)
    return (v,)


@rule
def DiagonalBackward0_copy(need, g, shape, offset, dim1, dim2):
    if len(shape) != 2 or (dim1, dim2) != (0, 1):  # torch.diagonal_copy: diagonal's formula
        return DiagonalBackward0.rule(need, g, shape, offset, dim1, dim2)
    if isinstance(g, Tensor):
        return (diag_embed_into(g, shape, offset),)
    out = np.zeros(shape, g.dtype)
    n = g.shape[0]
    r = np.arange(n)
    out[r + max(-offset, 0), r + max(offset, 0)] = g
    return (out,)


def diag_embed_into(g, shape, offset):
    n = g.shape[0]
    r = np.arange(n)
    key = (r + max(-offset, 0), r + max(offset, 0))
    return index_put_zero(shape, key, g)


@declare(tensor_first=True)
def diag(self, diagonal=0):
    """The diagonal of a matrix, or a square matrix with a vector on its diagonal."""
    d = self._data
    if d.ndim == 1:
        n = d.shape[0] + abs(diagonal)
        check_alloc((n, n), d.dtype)
        out = result(np.diag(d, diagonal))
        if needs_grad(self):
            record(out, DiagEmbedBackward0, (self,), (diagonal, 0, 1))
        return out
    if d.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{d.ndim}D")
    out = result(np.diagonal(d, diagonal).copy())
    if needs_grad(self):
        record(out, DiagonalBackward0_copy, (self,), (d.shape, diagonal, 0, 1))
    return out


@rule
def DiagonalBackward0(need, g, shape, offset, d1, d2):
    # PyTorch's diagonal_backward is an op of its own (DiagonalBackwardBackward0 under
    # create_graph, whose gradient is the diagonal again)
    return (backward_op(DiagonalBackwardBackward0, _diagonal_backward_value, g, (),
                        (shape, offset, d1, d2)),)


def _diagonal_backward_value(g, shape, offset, d1, d2):
    return P.scatter_into(shape, positions(shape, (("diagonal", (offset, d1, d2)),)), g)


@rule
def DiagonalBackwardBackward0(need, g, grad_output, shape, offset, d1, d2):
    if type(g) in TENSOR_TYPES:
        return (diagonal(g, offset, d1, d2),)
    return (np.diagonal(g, offset, d1, d2).copy(),)


@declare(tensor_first=True)
def diagonal(self, offset=0, dim1=0, dim2=1):
    """The diagonal over dims dim1 and dim2, as a view appended as the last dim."""
    d = self._data
    a, b = dim_arg(dim1, d.ndim), dim_arg(dim2, d.ndim)
    if type(offset) is not int or offset not in errors.LONG:
        offset = int_arg(offset, "offset")
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    # np.diagonal's view is read-only: the same strides, made writable, like PyTorch's view.
    start = [slice(None)] * d.ndim
    start[b if offset >= 0 else a] = slice(abs(offset), None)
    sub = d[tuple(start)]
    dg = np.diagonal(sub, 0, a, b)
    v = np.lib.stride_tricks.as_strided(sub, dg.shape, dg.strides, writeable=d.flags.writeable)
    out = view_of(make(v), self, "diagonal", (offset, a, b))
    if needs_grad(self):
        record(out, DiagonalBackward0, (self,), (d.shape, offset, a, b))
    return out


@rule
def TraceBackward0(need, g, shape):
    eye = np.eye(shape[0], shape[1], dtype=P.data(g).dtype)
    return (g * eye,)


@declare(tensor_first=True)
def trace(self):
    """Sum of the diagonal of a matrix."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        self = _amp.widen(self)
    d = self._data
    if d.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + f"{d.ndim}")
    # integers sum into int64, as PyTorch's sum (numpy would give uint8's sum uint64)
    out = make(as_array(np.trace(d, dtype=np.int64 if d.dtype.kind in "iu" else None)))
    if needs_grad(self):
        record(out, TraceBackward0, (self,), (d.shape,))
    return out


# grad.tril(k) / grad.triu(k), as PyTorch's rules: the other entries are +0 (a product with a
# mask would give -0 where the gradient is negative)
@rule
def TrilBackward0(need, g, k):
    return (tril(g, k) if isinstance(g, Tensor) else np.tril(g, k),)


@rule
def TriuBackward0(need, g, k):
    return (triu(g, k) if isinstance(g, Tensor) else np.triu(g, k),)


@declare(tensor_first=True, inplace=True)
def tril(self, diagonal=0):
    """Lower triangle (elements on and below the k-th diagonal), others zero."""
    if type(diagonal) is not int or diagonal not in errors.LONG:
        diagonal = int_arg(diagonal, "diagonal")
    if self._data.ndim < 2:   # (numpy's tril of a vector makes a matrix of it)
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    out = result(np.tril(self._data, diagonal))
    if needs_grad(self):
        record(out, TrilBackward0, (self,), (diagonal,))
    return out


@declare(tensor_first=True, inplace=True)
def triu(self, diagonal=0):
    """Upper triangle (elements on and above the k-th diagonal), others zero."""
    if type(diagonal) is not int or diagonal not in errors.LONG:
        diagonal = int_arg(diagonal, "diagonal")
    if self._data.ndim < 2:   # (numpy's tril of a vector makes a matrix of it)
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    out = result(np.triu(self._data, diagonal))
    if needs_grad(self):
        record(out, TriuBackward0, (self,), (diagonal,))
    return out


_ = dim_arg
