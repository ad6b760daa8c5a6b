"""In-place ops (`add_`, `x += 1`, `x[i] = v`) with PyTorch's checks and version counters.

Every in-place op is one mechanism: run the out-of-place op on a stand-in for self's old value,
write the result into self's storage, bump the shared version counter, and (when the op was
recorded) make its node self's history (views.rebase: CopySlices on the base for a view).
"""

import numpy as np

from .. import errors, factories
from ..dtypes import c_name, checked_fill
from ..memory import check_alloc, check_view_shape
from ..grad_mode import InferenceVersion
from ..layout import fill_order
from ..meta import NO_DATA, as_array, meta_like, MetaArray
from ..node import SavedTensor, node_class
from ..tensor import CONJ_LINKS, TENSOR_TYPES, Tensor, sync_conj
from . import prim as P
from .base import dim_arg, make, needs_grad, record, rule, state, torch_dtype
from .index import (_ZERO_DIM, _check_steps, _full_slice, apply_slicing, index_key, masked_fill,
                    sequence_as_tuple, zero_dim_error)
from .pointwise import CloneBackward0, add, mul, sub
from .registry import declare
from .shape import TransposeBackward0, expand, unsqueeze
from .shape import sizes as shape_sizes
from .views import _MULTI, extend_steps, multi_output_error, rebase, refresh_views


def check_inplace(t, leaf_message=errors.LEAF_INPLACE):
    """PyTorch's refusals, in its order: a view made in no_grad, a view of a leaf, a leaf
    (a custom Function's mark_dirty words the last one in the past tense)."""
    if not state.enabled:
        return
    root = t._base
    if root is not None:
        info = t._view
        if info.multi and root._requires_grad:
            raise RuntimeError(multi_output_error(t, "is being modified inplace"))
        if info.no_grad and root._requires_grad:
            raise RuntimeError(errors.VIEW_NO_GRAD_INPLACE)
        if root._grad_fn is None and t._requires_grad:
            # PyTorch asks whether the base is a leaf, not whether it requires grad: a view of
            # a plain tensor made to require grad (b.reshape(2, 2).requires_grad_()) is refused
            raise RuntimeError(errors.VIEW_LEAF_INPLACE)
    elif t._grad_fn is None and t._requires_grad:
        raise RuntimeError(leaf_message)


def bump(t):
    vc = t._vc
    vc[0] += 1
    if CONJ_LINKS and id(vc) in CONJ_LINKS:  # (a conj() of this memory: kept in step)
        sync_conj(t)
    if type(vc) is InferenceVersion and not state.inference:
        # PyTorch refuses after writing: the tensor keeps the new values
        raise RuntimeError(errors.INFERENCE_INPLACE)


def _stand_in(t):
    """t's value before the write: same history, its own storage (so saved values stay right)."""
    c = make(t._data.copy())
    c._grad_fn = t._grad_fn
    c._requires_grad = t._requires_grad
    c._output_nr = t._output_nr
    c._acc = t._acc
    return c


def _save_original(s, before):
    """What PyTorch saves of self's value before an in-place write: `self.clone()` (a
    CloneBackward0 in the double-backward graph), its storage the stand-in's own copy."""
    if not before._requires_grad:
        return
    c = make(before._data)
    record(c, CloneBackward0, (before,))
    s.tensor, s.vc, s.version = c, c._vc, c._vc[0]


# PyTorch's in-place casting rule: no writing down a category (bool < integers < floats <
# complex); signed into unsigned is allowed (numpy's "same_kind" refuses int16 into uint8)
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "V": 2, "c": 3}


def _one_value(fn, args):
    """zero_ and fill_ with a number: one value everywhere (fill_ of a tensor is refused on an
    expanded tensor, as PyTorch's)."""
    return fn is _zero or (fn is _fill and not isinstance(args[0], Tensor))


def _write(self, r, one_value=False):
    """Write r into self; one_value: r is one value everywhere (zero_, fill_), which PyTorch
    writes into an expanded tensor too (every alias of an element gets the same value)."""
    d = self._data
    rd = r._data
    if rd.shape != d.shape:
        try:
            np.broadcast_to(rd, d.shape)
        except ValueError:
            raise RuntimeError(f"output with shape {errors.shape_str(d.shape)} doesn't match the "
                               f"broadcast shape {errors.shape_str(rd.shape)}") from None
    if rd.dtype != d.dtype and _KIND_RANK[rd.dtype.kind] > _KIND_RANK[d.dtype.kind]:
        raise RuntimeError(f"result type {torch_dtype(rd.dtype)._short} can't be cast to the "
                           f"desired output type {torch_dtype(d.dtype)._short}")
    if type(d) is MetaArray:  # (no data to write: the shapes and dtypes are checked above)
        bump(self)
        return
    flags = d.flags
    if not flags.writeable or (not one_value and not flags.c_contiguous and any(
            s == 0 and n > 1 for s, n in zip(d.strides, d.shape))):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                           "refers to a single memory location. Please clone() the tensor before "
                           "performing the operation.")
    if rd.dtype is d.dtype:
        d[...] = rd  # (np.copyto's keyword and Python-level dispatch cost more than the copy)
    else:
        np.copyto(d, rd, casting="unsafe")
    bump(self)


# While a forward-AD level is open (autograd/forward_ad.py): (self, fn, before, args, kwargs) ->
# (the new value, its tangent or None), and (self, tangent) giving self its new tangent.
DUAL_WRITE = [None]
DUAL_TANGENT = [None]


def apply_inplace(self, fn, *args, **kwargs):
    """Run out-of-place `fn(self, *args)` and write its result into self's storage."""
    check_inplace(self)
    grad = needs_grad(self, *args)
    if grad and self._base is not None and self._view.multi:
        # (PyTorch's own wording for this case, which mixes two of its messages)
        raise RuntimeError("A view was created in no_grad mode and is being modified inplace with "
                           "grad mode enabled. " + _MULTI)
    before = _stand_in(self) if grad else self
    dual = DUAL_WRITE[0]
    if dual is None:
        try:
            r = fn(before, *args, **kwargs)
        except TypeError as e:  # a float16 tensor with a complex number: complex32's result
            if self._data.dtype.kind == "c" or "torch.complex32 tensors" not in str(e):
                raise
            raise RuntimeError("result type ComplexHalf can't be cast to the desired output "
                               f"type {self.dtype._short}") from None
        _write(self, r, _one_value(fn, args))
    else:   # a forward-AD level is open: the new value's tangent too
        r, tangent = dual(self, fn, before, args, kwargs)
        _write(self, r, _one_value(fn, args))
        if tangent is not None:
            DUAL_TANGENT[0](self, tangent)
    node = r._grad_fn if grad else None
    if node is not None:
        for s in node._saved:
            if type(s) is not SavedTensor:  # (a hooked one keeps what was packed)
                continue
            if s.is_output:  # the op's saved output is self now (a later write must be caught)
                s.data, s.vc, s.version = self._data, self._vc, self._vc[0]
            elif s.tensor is before:
                _save_original(s, before)
        rebase(self, node)
    refresh_views(self._base if self._base is not None else self)
    return self


# The in-place arithmetic's fast lane (on unless a test turns it off to compare both ways):
# where nothing needs grad, `p -= lr * g` (an optimiser's step, a tutorial's `a -= ...`) is
# numpy's ufunc writing into self's array, which gives the values the general path computes out
# of place and copies in (one float operation per element, the same operands; numpy computes an
# overlapping operand as if it did not overlap).
FAST_INPLACE = True
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_UFUNCS = {add: np.add, sub: np.subtract, mul: np.multiply}


def write_by_ufunc(self, ufunc, other):
    """Write ufunc(self, other) into self's storage and return True when that is exactly what
    apply_inplace(self, op, other) does (a float32/float64 tensor that is no view and needs no
    grad here; other a Python number or a tensor of its dtype and shape that needs no grad
    here; no forward-AD level open); else False, and nothing is done."""
    if not FAST_INPLACE or DUAL_WRITE[0] is not None or self._base is not None:
        return False
    d = self._data
    dt = d.dtype
    if dt is not _F32 and dt is not _F64:
        return False
    grad_on = state.enabled
    if grad_on and self._requires_grad:
        return False
    to = type(other)
    if to is float or to is int:
        b = P.number_like(d, other)  # the operand add/sub/mul's _operands gives
    elif to in TENSOR_TYPES and other._data.dtype is dt and not (grad_on and other._requires_grad):
        b = other._data
        if b.shape != d.shape:
            return False
    else:
        return False
    flags = d.flags
    if not (flags.writeable and flags.c_contiguous):
        return False
    ufunc(d, b, out=d)
    bump(self)
    refresh_views(self)
    return True


def inplace_of(fn, name):
    """The in-place variant of op `fn` (`add` -> `add_`): run it, write into self (the registry's
    `inplace=True`; bindings.py binds it as the method `name`)."""
    ufunc = _UFUNCS.get(fn)
    if ufunc is not None:
        def op(self, *args, **kwargs):
            if not kwargs and len(args) == 1 and write_by_ufunc(self, ufunc, args[0]):
                return self
            return apply_inplace(self, fn, *args, **kwargs)
        op.__name__ = op.__qualname__ = name
        op.__doc__ = f"{fn.__name__}, in place."
        return op

    def op(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)
    if name in _SCALAR_KERNEL_NAMES:
        op = _c_named_cast_error(op)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{fn.__name__}, in place."
    return op


# clamp_ with number bounds runs PyTorch's scalar kernels, whose cast error names the output
# dtype by its C++ name ("long int", "bool"); with tensor bounds, by its short name ("Long")
_SCALAR_KERNEL_NAMES = frozenset(("clamp_", "clip_", "clamp_min_", "clamp_max_"))


def _c_named_cast_error(op):
    def scalar_kernel(self, *args, **kwargs):
        try:
            return op(self, *args, **kwargs)
        except RuntimeError as error:
            text = str(error)
            if (" can't be cast to the desired output type " not in text
                    or any(isinstance(a, Tensor) for a in (*args, *kwargs.values()))):
                raise
            raise RuntimeError(text.rsplit(" ", 1)[0] + " " + c_name(self._data.dtype)) from None
    return scalar_kernel


@declare(name="relu_", method=False, tensor_first=True, nn=True)
def relu_function(input):
    """torch.relu_(x): relu in place."""
    return input.relu_()


@rule
def ZeroBackward0(need, g):
    return (P.zeros_like(g),)


@rule
def FillBackward2(need, g):
    return (P.zeros_like(g),)


@rule
def FillBackward3(need, g):
    return (P.zeros_like(g) if need[0] else None, P.sum(g) if need[1] else None)


def _zero(src):
    out = make(np.zeros_like(src._data))
    if needs_grad(src):
        record(out, ZeroBackward0, (src,))
    return out


def _fill(src, value):
    if isinstance(value, Tensor):
        out = make(np.full_like(src._data, value._data))
        if needs_grad(src, value):
            record(out, FillBackward3, (src, value))
        return out
    out = make(np.full_like(src._data, value))
    if needs_grad(src):
        record(out, FillBackward2, (src,))
    return out


@declare(function=False)
def masked_fill_(self, mask, value):
    """masked_fill, in place: a mask that does not broadcast is named after self, as PyTorch's
    in-place kernel names it (the out-of-place op names the mask first)."""
    if isinstance(mask, Tensor):
        try:
            np.broadcast_shapes(self._data.shape, mask._data.shape)
        except ValueError:
            raise errors.broadcast_error(self._data.shape, mask._data.shape) from None
    return apply_inplace(self, masked_fill, mask, value)


@declare(function=False)
def zero_(self):
    """Fill with zeros, in place."""
    return apply_inplace(self, _zero)


@declare(function=False)
def fill_(self, value):
    """Fill with `value` (a number or a 0-d tensor), in place."""
    if value is None:
        raise TypeError("argument 'value' must be Number, not NoneType")
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    if not isinstance(value, Tensor):
        value = checked_fill(value, self._data.dtype, self._data.size)
    return apply_inplace(self, _fill, value)


@rule
def CopyBackwards(need, g):
    return (P.zeros_like(g) if need[0] else None, g if need[1] else None)


def _copy(src, value):
    v = value._data
    shape = src._data.shape
    try:
        data = np.broadcast_to(v, shape)
    except ValueError:
        try:
            both = np.broadcast_shapes(shape, v.shape)
        except ValueError:
            raise errors.broadcast_error(shape, v.shape) from None
        raise RuntimeError(f"output with shape {errors.shape_str(shape)} doesn't match the "
                           f"broadcast shape {errors.shape_str(both)}") from None
    if data.dtype.kind == "c" and src._data.dtype.kind not in "cb":
        errors.warn_once(errors.COMPLEX_TO_REAL)
        data = data.real
    out = make(data.astype(src._data.dtype))
    if needs_grad(src, value):
        record(out, CopyBackwards, (src, value))
    return out


@declare(function=False)
def copy_(self, src, non_blocking=False):
    """Copy src's values into self (broadcasting, casting to self's dtype), in place."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    if type(src._data) is MetaArray and type(self._data) is not MetaArray:
        raise NotImplementedError(NO_DATA)
    return apply_inplace(self, _copy, src)


@declare(function=False)
def resize_(self, *sizes):
    if not sizes:
        raise TypeError('resize_() missing 1 required positional arguments: "size"')
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = shape_sizes(sizes)
    check_view_shape(shape, self._data.itemsize)  # PyTorch's numel overflow (negatives too)
    if min(shape, default=0) < 0:  # PyTorch keeps a negative size beside a 0 ([0, -1])
        raise RuntimeError("Trying to create tensor with negative dimension %d: [%s]"
                           % (min(shape), ", ".join(map(str, shape))))
    n = 1
    for s in shape:
        n *= s
    check_alloc(shape, self._data.dtype)
    flat = self._data.reshape(-1)
    new = np.zeros(n, self._data.dtype)
    new[:min(n, flat.size)] = flat[:min(n, flat.size)]
    same = self._data.shape == tuple(shape)
    self._data = new.reshape(shape)
    if not same:  # PyTorch counts a resize_ as a change only when the shape changes
        bump(self)
    return self


# ----- item assignment ----------------------------------------------------------------------
def _whole(shape, key):
    """True when a basic key selects all of a tensor (x[:], x[...]): PyTorch then writes x itself."""
    ell = [i for i, k in enumerate(key) if k is Ellipsis]
    if len(ell) > 1 or any(k is not Ellipsis and not isinstance(k, slice) for k in key):
        return False
    if ell:
        front, back = key[:ell[0]], key[ell[0] + 1:]
        dims = list(range(len(front))) + list(range(len(shape) - len(back), len(shape)))
        key = front + back
    else:
        dims = range(len(key))
    if len(key) > len(shape):
        return False
    return all(_full_slice(k, shape[d]) for k, d in zip(key, dims))


def _value_tensor(value, self):
    """The value of x[key] = value as PyTorch's setitem reads it, before the key: a number
    converted to x's dtype (PyTorch's overflow refusals), a tensor as it is, anything else
    refused."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, complex, np.number, np.bool_)):
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and \
                not -2 ** 63 <= value < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")  # read as a 0-d int64 tensor
        # PyTorch checks the number as a single element's fill: float16 unchecked
        return make(as_array(checked_fill(value, self._data.dtype, 1), self._data.dtype))
    kind = type(value)
    kind = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    raise TypeError(f"can't assign a {kind} to a torch.{self.dtype._legacy}")


def _without_leading_ones(value):
    """The value with its leading dims of size 1 dropped, as PyTorch's setitem writes it."""
    shape = value._data.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return value.reshape(shape[k:]) if k else value


def _one_mask(key):
    """The bool (or uint8) tensor of a key that is one mask of 1 or more dims, else None:
    PyTorch's setitem fills through such a mask with a one-element value (masked_fill_)."""
    if len(key) == 1 and isinstance(key[0], Tensor) and key[0]._data.dtype in (
            np.bool_, np.uint8) and key[0]._data.ndim:
        return key[0]
    return None


@declare(method=False, function=False, operators=("__setitem__",))
def setitem(self, key, value):
    """x[key] = value as PyTorch's setitem: the value read first (a number made x's dtype), then
    the key's basic part applied as views (ints, slices, None, `...`, bool scalars) and the
    value copied into the result (copy_, fill_ for one element), or, when the key holds index
    tensors, index_put_ on it; a write on a view gives x its new history (CopySlices)."""
    value = _value_tensor(value, self)
    if type(key) is Tensor and key._data.dtype == np.bool_ and key._data.ndim and \
            key._data.shape == self._data.shape and not value._data.ndim:
        P.index_put_(self, (key,), value)  # x[mask] = number: what the steps below come to
        return
    key = sequence_as_tuple(key, stacklevel=4)
    single = not isinstance(key, tuple)
    if single and self._data.ndim == 0 and type(key) in _ZERO_DIM:  # as x[0] reads
        _check_steps((key,))
        raise zero_dim_error(key)
    if single and type(key) is bool:  # x[True] = v: a copy into x.unsqueeze(0); x[False]: none
        if key:
            _copy_into(unsqueeze(self, 0), value)
        return
    key = index_key(key)
    mask = _one_mask(key) if value._data.size == 1 else None
    if mask is not None and mask._data.dtype == np.uint8:  # (before the key's warning)
        # PyTorch's masked_fill_ path for one mask and one value takes bool masks only
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                           "dtype unsigned char")
    target, rest = apply_slicing(self, key, single)
    if rest is not None:
        P.index_put_(target, tuple(rest), _without_leading_ones(value))
        return
    if _whole(self._data.shape, key):  # x[:] = v: PyTorch writes x itself, as for x[...] = v
        target = self
    _copy_into(target, value)


def _copy_into(target, value):
    """PyTorch's copy_to: a value of the target's shape is copied, a 0-d one is a fill_, any
    other has its leading 1s dropped and is expanded to the target's shape (its message when
    they do not fit), then copied."""
    vs, ts = value._data.shape, target._data.shape
    if vs != ts:
        if not vs:
            fill_(target, value)
            return
        value = _without_leading_ones(value)
        expand(value.detach(), ts)  # raises PyTorch's message if the value does not fit
    copy_(target, value)


# ----- random fills (nn.init and the like) -------------------------------------------------
def _zero_gradient(need, g):
    return (P.zeros_like(g),)


# PyTorch's nodes for the random fills (derivatives.yaml: `self: zeros_like(grad)`), by the
# overload called: bernoulli_(float p) is BernoulliBackward2 (a tensor p is BernoulliBackward1),
# random_(from, to) RandomBackward0, random_(to) RandomBackward1, random_() RandomBackward2.
RANDOM_NODES = {name: node_class(name, _zero_gradient) for name in (
    "UniformBackward0", "NormalBackward0", "BernoulliBackward2", "ExponentialBackward0",
    "RandomBackward0", "RandomBackward1", "RandomBackward2", "CauchyBackward0",
    "LogNormalBackward0", "GeometricBackward0")}


def fill_random(self, node_name, draw):
    """Write `draw()` (self's number of values of its dtype, in the order they are drawn) into
    self, in place, in memory order as PyTorch's kernels write them: PyTorch's checks first,
    then the draw; the node named `node_name` (a zero gradient) is self's new history."""
    def drawn(before):
        if type(before._data) is MetaArray:  # (nothing to draw: the generator is not used)
            out = make(meta_like(before._data))
            if needs_grad(before):
                record(out, RANDOM_NODES[node_name], (before,))
            return out
        order = fill_order(before._data)
        values = np.asarray(draw()).reshape([before._data.shape[k] for k in order])
        out = make(values.transpose(np.argsort(order)) if order != sorted(order) else values)
        if needs_grad(before):
            record(out, RANDOM_NODES[node_name], (before,))
        return out
    return apply_inplace(self, drawn)


def _in_real_pairs(draw, shape, dtype):
    """A complex fill as PyTorch's: its real view (shape + (2,)) filled by the real draw
    `draw(shape, real dtype)`, each element's real then imaginary part."""
    if np.dtype(dtype).kind != "c":
        return draw(shape, dtype)
    pairs = np.asarray(draw(tuple(shape) + (2,), np.empty(0, dtype).real.dtype))
    out = np.empty(shape, dtype)
    out.real, out.imag = pairs[..., 0], pairs[..., 1]
    return out


@declare(function=False)
def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform samples in [a, b), in place (a complex tensor: each part)."""
    gen = factories._gen(generator, "uniform_")
    return fill_random(self, "UniformBackward0", lambda: _in_real_pairs(
        lambda shape, dt: gen.uniform(shape, dt, a, b), self._data.shape, self._data.dtype))


@declare(function=False)
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal samples, in place."""
    gen = factories._gen(generator, "normal_")
    # a non-contiguous tensor takes PyTorch's element-by-element path
    return fill_random(self, "NormalBackward0", lambda: gen.normal(
        self._data.shape, self._data.dtype, mean, std, self._data.flags.c_contiguous))


@declare(function=False)
def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 0/1 samples of probability p, in place."""
    gen = factories._gen(generator)
    return fill_random(self, "BernoulliBackward2",
                       lambda: gen.bernoulli(p, self._data.shape, self._data.dtype))


@rule
def TBackward1(need, g):
    return (P.transpose(g, 0, 1) if g.ndim == 2 else g,)


@declare(function=False)
def t_(self):
    """Transpose a matrix in place (its storage stays; the strides swap)."""
    d = self._data
    if d.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {d.ndim}D")
    return _permute_in_place(self, tuple(range(d.ndim - 1, -1, -1)), TBackward1, (), "t")


# transpose_'s node (ATen's quantile ends with one too), with the rule of the out-of-place one
TransposeBackward1 = rule(TransposeBackward0.rule, name="TransposeBackward1")


@declare(function=False)
def transpose_(self, dim0, dim1):
    """Swap two dims in place (its storage stays; the strides swap)."""
    n = max(self._data.ndim, 1)
    a, b = dim_arg(dim0, n), dim_arg(dim1, n)
    axes = list(range(self._data.ndim))
    if axes:
        axes[a], axes[b] = axes[b], axes[a]
    return _permute_in_place(self, tuple(axes), TransposeBackward1, (a, b), "transpose")


def _permute_in_place(self, axes, node, saved, name):
    """Give self the strides of its permutation by axes, keeping its storage (t_, transpose_)."""
    return restride_in_place(self, ("permute", axes), lambda d: d.transpose(axes), node, saved,
                             name)


def restride_in_place(self, step, remake, node, saved, name):
    """Give self `remake(its array)`, a new view of its own elements (t_, transpose_, squeeze_,
    unsqueeze_), keeping its storage; a view of a base records `step` (a view step) too."""
    d = self._data
    grad = needs_grad(self)
    check_inplace(self)     # a leaf's error first, as PyTorch
    if grad and getattr(self, "_views", None):
        raise NotImplementedError(f"gradsh supports {name}_() of a tensor that requires grad only "
                                  f"when it has no views; use {name}() instead")
    if self._base is not None:
        # still a view of the same base: its recorded steps gain this one
        steps = extend_steps(self._base, self._view.steps, step)
        self._view = type(self._view)(steps, self._view.no_grad, self._view.multi)
    if grad:
        old = make(d)
        old._grad_fn, old._requires_grad = self._grad_fn, self._requires_grad
        old._output_nr, old._acc = self._output_nr, self._acc
    self._data = remake(d)
    if grad:
        record(self, node, (old,), saved)
        self._output_nr = 0
    bump(self)
    return self
