"""Indexing: x[...] (select, slice, unsqueeze views; advanced indexing), gather, scatter, masks."""

import operator

import numpy as np

from .. import errors
from ..dtypes import checked_fill, half_rounded
from ..layout import contiguous_format
from ..tensor import TENSOR_TYPES, Tensor
from . import prim as P
from .base import (check_alloc, dim_arg, limits, make, needs_grad, operand, preserving_result,
                   key_arrays, record, rule, save, save_index, save_key)
from .base import contiguous_result as result  # these ops' results are contiguous
from .registry import declare
from .shape import slice_dim, unsqueeze
from .views import view_of
from ..meta import NONZERO, MetaArray, as_array, check_mask_key, empty_meta, no_meta_kernel

_ndarray = np.ndarray


def _program_index(k):
    """A program's object with __index__ as an index, as PyTorch reads it (its __index__ asked,
    an int past int64 refused by its parser), else PyTorch's IndexError (also when __index__
    raises: PyTorch clears its error; never a limit's or a memory error)."""
    if type(k).__module__ not in ("builtins", "numpy") and hasattr(type(k), "__index__"):
        try:
            return errors.long(operator.index(k))
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - PyTorch's parser clears what __index__ raised
            if getattr(type(e), "gradsh_kind", None) == "LimitError" or \
                    errors.OVERFLOW in e.args:
                raise
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     f"Variables are valid indices (got {type(k).__name__})")


@rule
def SelectBackward0(need, g, shape, dim, index):
    idx = [slice(None)] * len(shape)
    idx[dim] = index
    return (P.scatter_into(shape, tuple(idx), g),)


@declare
def select(self, dim, index):
    """The slice at `index` along dim, without that dim (a view)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    if isinstance(index, Tensor):
        index = index.item()
    if index < -n or index >= n:  # (indexing checks first, in its own words)
        too_wide = errors.overflow_int64(index)  # (the parser's refusal comes before)
        if too_wide is not None:
            raise too_wide
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(d.shape)} at dimension {k}")
    if index < 0:
        index += n
    idx = [slice(None)] * d.ndim
    idx[k] = index
    key = tuple(idx) + (Ellipsis,)
    out = view_of(make(d[key]), self, "index", key)
    if needs_grad(self):
        record(out, SelectBackward0, (self,), (d.shape, k, index))
    return out


def _is_advanced(k):
    if isinstance(k, Tensor):
        return not (k._data.ndim == 0 and k._data.dtype.kind in "iu")
    return isinstance(k, (list, np.ndarray)) or (isinstance(k, bool))


_UINT8_MASK = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
               "instead. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
               "IndexingUtils.h:37.)")


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.bool_))


def _as_index(k):
    if isinstance(k, Tensor):
        d = k._data
        if d.dtype not in _INDEX_DTYPES:  # (not int8 nor int16: PyTorch refuses them)
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if d.dtype == np.uint8:  # PyTorch still reads a uint8 index as a mask
            errors.warn(_UINT8_MASK, UserWarning, stacklevel=4)
            return d.astype(np.bool_)
        return d
    if isinstance(k, list):
        a = np.asarray([_as_index(v) if isinstance(v, Tensor) else v for v in k])
        if a.dtype.kind in "fV":  # PyTorch makes a list of numbers an int64 index, truncating
            return a.astype(np.int64)
        if a.dtype.kind in "US":  # (a list is made a tensor: its constructor's refusal)
            raise TypeError("new(): invalid data type '%s'" % ("str" if a.dtype.kind == "U" else
                                                                "bytes"))
        if a.dtype.kind not in "iub":
            if a.size == 0:
                return a.astype(np.int64)
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return a
    return k


@rule
def IndexBackward0(need, g, shape, key):
    return (P.scatter_into(shape, key_arrays(key), g),)


def _is_bool_scalar(k):
    return isinstance(k, (bool, np.bool_)) or (
        isinstance(k, np.ndarray) and k.ndim == 0 and k.dtype == np.bool_) or (
        isinstance(k, Tensor) and k._data.ndim == 0 and k._data.dtype == np.bool_)


def _is_mask(k):
    return isinstance(k, np.ndarray) and k.dtype == np.bool_ and k.ndim > 0


def _full_slice(k, size):
    # Inside a tuple index PyTorch skips a slice that keeps everything (written from 0 or
    # None, to the end or beyond, step 1); `-n:` is not skipped.
    return (k.start is None or (isinstance(k.start, int) and k.start == 0)) and \
        (k.stop is None or k.stop >= size) and k.step in (None, 1)


_SEQUENCE_LIKE = (list, tuple, slice, Tensor, str, bytes)  # (a string is a sequence)
# a single int or slice on a 0-d tensor: PyTorch's own messages (its fast path for one index)
_ZERO_DIM = {int: "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                  "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
             slice: "slice() cannot be applied to a 0-dim tensor."}


def _check_steps(key):
    """PyTorch refuses a slice stepping by zero or backwards, before any other check."""
    for k in key:
        if type(k) is slice and k.step is not None and not isinstance(k.step, Tensor) and \
                isinstance(k.step, int) and k.step <= 0:
            raise ValueError("step must be greater than zero")


def index_key(key):
    """The index as a tuple, each sequence in it (a range, a tuple inside the tuple) read as a
    list of indices, as PyTorch reads any Python sequence there."""
    key = key if isinstance(key, tuple) else (key,)
    return tuple(list(k) if isinstance(k, (range, tuple)) else _numpy_index(k) for k in key)


_PLAIN_KEYS = (int, slice, type(None), type(Ellipsis), bool, list)


def _numpy_index(k):
    """A program's numpy array or integer (lang/runtime/numpymodule.py) as the numpy index it
    holds, which PyTorch reads as it reads numpy's."""
    if type(k) in _PLAIN_KEYS or isinstance(k, (Tensor, np.ndarray, np.generic)) \
            or not hasattr(type(k), "__array__"):
        return k
    a = np.asarray(k)
    return int(a) if a.ndim == 0 and a.dtype.kind in "iu" else a


def sequence_as_tuple(key, stacklevel):
    """A list holding None, `...`, slices, sequences or tensors as the tuple of indices PyTorch
    still reads it as, with its deprecation warning."""
    if type(key) is list and any(k is None or k is Ellipsis or isinstance(k, _SEQUENCE_LIKE)
                                 for k in key):
        errors.warn("Using a non-tuple sequence for multidimensional indexing is deprecated and "
                    "will be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In "
                    "pytorch 2.9 this will be interpreted as tensor index, x[torch.tensor(seq)], "
                    "which will result either in an error or a different result ", UserWarning,
                    stacklevel=stacklevel)
        return tuple(key)
    return key


@declare(method=False, function=False, operators=("__getitem__",))
def getitem(self, key):
    """x[key] as PyTorch indexes: ints, slices, None and `...` first, as views (SelectBackward0,
    SliceBackward0, UnsqueezeBackward0; AliasBackward0 when nothing changes), then integer or
    bool tensors or lists on the result, as a copy (IndexBackward0)."""
    key = sequence_as_tuple(key, stacklevel=3)
    single = not isinstance(key, tuple)
    if single and self._data.ndim == 0 and type(key) in _ZERO_DIM:
        _check_steps((key,))
        raise zero_dim_error(key)
    out, rest = apply_slicing(self, index_key(key), single)
    if rest is not None:
        return _index(out, rest)
    if out is self:
        # x[...] and x[()] give an alias: a new tensor on the same storage.
        out = view_of(make(self._data.view()), self, "reshape", self._data.shape)
        if needs_grad(self):
            record(out, AliasBackward0, (self,))
    return out


def zero_dim_error(key):
    """PyTorch's IndexError for one int or slice on a 0-d tensor (its fast path for one index:
    an int other than 0 is out of bounds of a dim of size 0)."""
    if type(key) is int and key != 0:
        return IndexError(f"index {key} is out of bounds for dimension 0 with size 0")
    return IndexError(_ZERO_DIM[type(key)])


def apply_slicing(self, key, single):
    """The basic part of x[key] (a tuple from index_key), as PyTorch applies it: ints, slices,
    None, `...` and bool scalars, left to right, as views; the key's size checked first. Returns
    the view and, when the key holds index tensors, what is left for the advanced step (one
    entry per dim of the view: an array, a mask, or a full slice), else None."""
    key = tuple(int(k.item()) if isinstance(k, Tensor) and not _is_advanced(k) else
                (_as_index(k) if _is_advanced(k) else k) for k in key)
    d = self._data
    n_real = 0
    for k in key:
        if k is not None and k is not Ellipsis and not _is_bool_scalar(k):
            n_real += k.ndim if _is_mask(k) else 1
    if n_real > d.ndim:
        raise IndexError(f"too many indices for tensor of dimension {d.ndim}")
    out = self
    dim = 0  # the dim of `out` the next index applies to
    rest = []  # what is left for the advanced step, one entry per dim of `out`
    advanced = False
    for src, k in enumerate(key):  # (PyTorch's errors name an int's place in the key)
        if k is Ellipsis:  # (each `...` of several stands for as many dims: PyTorch's)
            n = d.ndim - n_real
            dim += n
            rest += [slice(None)] * n
        elif k is None or _is_bool_scalar(k):
            nd = out._data.ndim
            if dim > nd:  # (past a second `...`)
                raise IndexError(f"Dimension out of range (expected to be in range of "
                                 f"[{-nd - 1}, {nd}], but got {dim})")
            out = unsqueeze(out, dim)
            dim += 1
            # x[True]: a new dim of 1, indexed by [0] (False: by [])
            rest.append(slice(None) if k is None else np.zeros(1 if bool(k) else 0, np.int64))
            advanced = advanced or k is not None
        elif isinstance(k, slice):
            if dim >= out._data.ndim:  # past a second `...`: only the step is looked at
                _check_steps((k,))
            else:
                size = out._data.shape[dim]
                start, stop, step = k.indices(size)
                if step <= 0:
                    raise ValueError("step must be greater than zero")
                if single or not _full_slice(k, size):
                    out = slice_dim(out, dim, start, stop, step)
            dim += 1
            rest.append(slice(None))
        elif isinstance(k, np.ndarray):
            rest.append(k)
            advanced = True
            n = k.ndim if _is_mask(k) else 1
            rest += [slice(None)] * (n - 1)
            dim += n
        else:
            if isinstance(k, (str, bytes)):  # PyTorch reads a string as a sequence for a tensor
                raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
            if not isinstance(k, (int, np.integer)):
                k = _program_index(k)
            n = out._data.shape[dim] if dim < out._data.ndim else 0
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for dimension {src} with size {n}")
            out = select(out, dim, int(k))
    if not advanced:
        return out, None
    rest = _drop_mask_padding(rest)
    while isinstance(rest[-1], slice):  # PyTorch's list of indices ends with the last tensor
        rest.pop()
    if len(rest) > out._data.ndim:  # (past a second `...`)
        raise IndexError(f"too many indices for tensor of dimension {out._data.ndim} (got "
                         f"{len(rest)})")
    return out, rest


def _drop_mask_padding(rest):
    # A k-d mask stands for k dims: the placeholders after it were only for counting.
    out, skip = [], 0
    for k in rest:
        if skip:
            skip -= 1
            continue
        out.append(k)
        if _is_mask(k):
            skip = k.ndim - 1
    return out


@rule
def AliasBackward0(need, g):
    return (g,)


def _check_advanced(shape, key):
    """PyTorch's IndexErrors for the advanced step of a read (key: arrays, masks and full
    slices), in its order: the masks' sizes, whether the index tensors broadcast, then each
    index's range. The key to index with (see _check_ranges)."""
    _check_masks(shape, key)
    return _check_ranges(shape, key, _check_broadcast(key))


def _check_masks(shape, key):
    """PyTorch's IndexError for a mask whose sizes are not those of the dims it meets."""
    after = []  # the shape the masks are compared with
    masks = []
    ax = 0
    for k in key:
        if _is_mask(k):
            masks.append((k, len(after)))
            after += shape[ax:ax + k.ndim]
            ax += k.ndim
        else:
            after.append(shape[ax])
            ax += 1
    after += shape[ax:]
    for m, p in masks:
        for j, s in enumerate(m.shape):
            if s != after[p + j]:
                raise IndexError(f"The shape of the mask {errors.shape_str(m.shape)} at index {j} "
                                 "does not match the shape of the indexed tensor "
                                 f"{errors.shape_str(after)} at index {p + j}")


def _check_ranges(shape, key, indexed):
    """PyTorch's IndexError for an index out of range, which its kernel checks only as it
    reads or writes: not at all when the result is empty (`indexed` index positions, each
    selecting _rest_size elements), else at the first position holding a bad index, naming the
    first bad one there by its place among the index tensors (a k-d mask is k of them); an
    index into a dim of size 0 is refused whatever the result. The key to index with (an empty
    result's out-of-range indices replaced by 0, for numpy)."""
    every = []  # per index tensor (a k-d mask: k of them): its bad entries, the index, its size
    for k, ax in zip(key, _axes(key)):
        if _is_mask(k):
            every += [(np.zeros(int(np.count_nonzero(k)), bool), None, 0)] * k.ndim
        elif isinstance(k, np.ndarray):
            n = shape[ax]
            wrong = (k >= n) | (k < -n)
            if not n and k.size:
                raise IndexError("index is out of bounds for dimension with size 0")
            every.append((wrong, k, n))
    if not any(w.any() for w, _, _ in every):
        return tuple(key)
    if indexed * _rest_size(shape, key):
        wrong = np.broadcast_arrays(*[w for w, _, _ in every])
        first = np.argmax(np.any(np.stack([w.ravel() for w in wrong]), axis=0))
        for place, ((_, k, n), w) in enumerate(zip(every, wrong)):
            if w.flat[first]:
                value = np.broadcast_to(k, w.shape).flat[first]
                raise IndexError(f"index {value} is out of bounds for dimension {place} with "
                                 f"size {n}")
    return tuple(np.where((k >= shape[ax]) | (k < -shape[ax]), 0, k)
                 if isinstance(k, np.ndarray) and k.dtype != np.bool_ else k
                 for k, ax in zip(key, _axes(key)))


def _axes(key):
    """The first dim of self each entry of an advanced key applies to."""
    out, ax = [], 0
    for k in key:
        out.append(ax)
        ax += k.ndim if _is_mask(k) else 1
    return out


def _result_shape(shape, key):
    """The shape of x[key] for an advanced key (arrays, masks, full slices): the index
    tensors' broadcast shape where they stand together, else in front."""
    places, rest, ax = [], [], 0
    for i, k in enumerate(key):
        if isinstance(k, slice):
            rest.append(shape[ax])
            ax += 1
        else:
            places.append(i)
            if not places[:-1]:
                first = len(rest)
            ax += k.ndim if _is_mask(k) else 1
    rest += shape[ax:]
    if not places:
        return tuple(rest)
    shapes = [s for k in key if isinstance(k, np.ndarray)
              for s in ([(int(np.count_nonzero(k)),)] * k.ndim if _is_mask(k) else [k.shape])]
    middle = np.broadcast_shapes(*shapes)
    if places != list(range(places[0], places[-1] + 1)):
        first = 0
    return tuple(rest[:first]) + middle + tuple(rest[first:])


def _rest_size(shape, key):
    """The number of elements each index position selects: the product of the dims the key
    keeps whole (its slices and the dims after it)."""
    size, ax = 1, 0
    for k in key:
        if isinstance(k, slice):
            size *= shape[ax]
        ax += k.ndim if _is_mask(k) else 1
    for n in shape[ax:]:
        size *= n
    return size


def _check_broadcast(key):
    """PyTorch's IndexError when the index tensors (a k-d mask: k of its nonzero's) do not
    broadcast together."""
    shapes = []
    for k in key:
        if isinstance(k, np.ndarray):
            shapes += [(int(np.count_nonzero(k)),)] * k.ndim if _is_mask(k) else [k.shape]
    try:
        return int(np.prod(np.broadcast_shapes(*shapes)))  # the number of index positions
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         "shapes " + ", ".join(errors.shape_str(s) for s in shapes)) from None


def _index(self, key):
    """self[key] for a key of integer arrays, masks and full slices: a copy (IndexBackward0)."""
    d = self._data
    key = _check_advanced(d.shape, key)
    if type(d) is MetaArray:
        check_mask_key(key)
    _check_index_alloc(d, key)
    try:
        out = result(d[key])
    except IndexError as e:
        raise IndexError(str(e).replace("array", "tensor")) from None
    if needs_grad(self):
        record(out, IndexBackward0, (self,), (d.shape, save(save_key(key))))
    return out


def _check_index_alloc(d, key):
    """Index tensors broadcast against each other: x[i[:, None], j] can be far larger than x."""
    bound = d.size
    for k in key:
        if isinstance(k, np.ndarray):
            bound *= k.size
    if bound <= limits.quick:
        return
    arrays, rest, ax, first = [], [], 0, None
    for k in key:
        if isinstance(k, slice):
            rest.append(d.shape[ax])
            ax += 1
            continue
        first = len(rest) if first is None else first
        arrays.append((int(np.count_nonzero(k)),) if k.dtype == np.bool_ else k.shape)
        ax += k.ndim if k.dtype == np.bool_ else 1
    rest += d.shape[ax:]
    try:
        middle = np.broadcast_shapes(*arrays)
    except ValueError:
        return  # the op says why they do not broadcast
    check_alloc(tuple(rest[:first]) + middle + tuple(rest[first:]), d.dtype)


def index_put_zero(shape, key, g):
    """zeros(shape) with g added at key, differentiable in g (for double backward)."""
    out = np.zeros(shape, g._data.dtype)
    np.add.at(out, key, g._data)
    out = make(out)
    if needs_grad(g):
        # as PyTorch's zeros.index_put_(key, g, accumulate=True): no edge for the zeros
        record(out, IndexPutBackward0, (None, g), (key, True))
    return out


@rule
def IndexPutBackward0(need, g, key, accumulate):
    key = key_arrays(key)
    gs = None
    if need[0]:
        if accumulate:
            gs = g
        elif isinstance(g, Tensor):
            keep = np.ones(g._data.shape, bool)
            keep[key] = False
            gs = g * keep
        else:
            gs = g.copy()
            gs[key] = 0
    return (gs, g[key] if need[1] else None)  # the engine sums g[key] to the values' shape


def _expandable(shape, to):
    return len(shape) <= len(to) and all(a in (1, b) for a, b in zip(shape[::-1], to[::-1]))


@declare(method=lambda self, indices, values, accumulate=False: index_put(
              self, indices, values, accumulate), inplace=True, tensor_first=True)
def index_put(self, indices, values, accumulate=False):
    """A copy of self with values written (or added) at an advanced index. PyTorch's checks in
    its order: the key's length, the masks' sizes, the index tensors' broadcast, the values'
    shape, their dtype, and last each index's range (not checked where nothing is written)."""
    if not accumulate and isinstance(indices, tuple) and len(indices) == 1:
        # x[mask] = number, the commonest write: one bool mask of x's shape and a 0-d value of
        # x's dtype that needs no grad (every check below passes; PyTorch's masked fill)
        m = indices[0]
        if isinstance(m, Tensor) and m._data.dtype == np.bool_ and m._data.ndim and \
                m._data.shape == self._data.shape and isinstance(values, Tensor) and \
                not values._data.ndim and values._data.dtype == self._data.dtype and \
                not values._requires_grad:
            return _put(self, (m._data,), values, values._data, False)
    raw = errors.tensor_list(indices)
    n = self._data.ndim
    if not isinstance(indices, P.EngineKey):
        for i, k in enumerate(raw):  # (argcheck words it for the surface called)
            if not isinstance(k, Tensor):
                raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                                f"{type(k).__name__}")
        if not raw:  # (PyTorch's words: its kernel meets no index at all)
            raise RuntimeError("sym_strides() called on an undefined Tensor")
        if len(raw) > n:
            raise IndexError(f"too many indices for tensor of dimension {n} (got {len(raw)})")
    # one mask (the rest of the key full slices) and a one-element value: PyTorch's
    # masked_fill_ path, which takes a value of any dtype
    given = [k._data if isinstance(k, Tensor) else k for k in raw if not isinstance(k, slice)]
    first = given[0] if len(given) == 1 else None
    fill = not accumulate and isinstance(values, Tensor) and values._data.size == 1 and \
        isinstance(first, np.ndarray) and first.ndim and first.dtype in (np.bool_, np.uint8)
    if fill and first.dtype == np.uint8:
        # one mask and one value: PyTorch's masked_fill_, which takes bool masks only
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           "unsigned char")
    key = tuple(_as_index(k) for k in raw)
    shape = self._data.shape
    if len(key) > 1 and not isinstance(indices, P.EngineKey) and \
            not all(_is_bool_scalar(k) for k in key):
        # a 0-d mask beside other index tensors stands for no dim: PyTorch's kernel drops it
        key = tuple(k for k in key if not _is_bool_scalar(k))
    if key and all(_is_bool_scalar(k) for k in key) and not isinstance(indices, P.EngineKey):
        return _put_by_0d_masks(self, key, values, accumulate)
    if sum(k.ndim if _is_mask(k) else 1 for k in key) > n:  # a mask reaching past the last
        ax = 0  # dim, after the sizes it meets are compared
        for k in key:
            if _is_mask(k):
                for j, size in enumerate(k.shape[:max(0, n - ax)]):
                    if size != shape[ax + j]:
                        raise IndexError(
                            f"The shape of the mask {errors.shape_str(k.shape)} at index "
                            f"{j} does not match the shape of the indexed tensor "
                            f"{errors.shape_str(shape)} at index {ax + j}")
            ax += k.ndim if _is_mask(k) else 1
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, "
                         f"{n - 1}], but got {n})")
    engine = isinstance(indices, P.EngineKey) and any(
        not isinstance(k, np.ndarray) and k != slice(None) for k in key)
    if engine:  # the rules' keys (ints, slices): numpy's indexing, gradsh's own shapes
        return _put(self, key, values, operand(values), accumulate)
    _check_masks(shape, key)
    if fill:  # masked_fill_: the value as a number of self's dtype
        checked_fill(values.item(), self._data.dtype, 1)
        if values._data.ndim:
            values = values.reshape(())
        if values._data.dtype != self._data.dtype:
            values = values.to(self.dtype)
    indexed = _check_broadcast(key)
    v = operand(values)
    if isinstance(values, Tensor):
        out_shape = _result_shape(shape, key)
        if not _expandable(values._data.shape, out_shape):
            raise RuntimeError(f"shape mismatch: value tensor of shape "
                               f"{errors.shape_str(values._data.shape)} cannot be broadcast to "
                               f"indexing result of shape {errors.shape_str(out_shape)}")
    _check_put_dtype(self, values)
    key = _check_ranges(shape, key, indexed)
    return _put(self, key, values, v, accumulate)


def _put_by_0d_masks(self, key, values, accumulate):
    """index_put_ with 0-d bool masks only, as PyTorch 2.13: one mask and a one-element value
    is its masked_fill_ (all of self, or none of it); otherwise the masks stand for no index at
    all and, after the values' shape and dtype are checked against the whole of self, its
    kernel fails an internal assert (its words)."""
    if len(key) == 1 and not accumulate and isinstance(values, Tensor) and \
            values._data.size == 1:
        checked_fill(values.item(), self._data.dtype, 1)
        values = values.reshape(()).to(self.dtype)
        return _put(self, (Ellipsis,) if bool(key[0]) else (np.zeros(0, np.int64),), values,
                    operand(values), False)
    if isinstance(values, Tensor) and not _expandable(values._data.shape, self._data.shape):
        raise RuntimeError(f"shape mismatch: value tensor of shape "
                           f"{errors.shape_str(values._data.shape)} cannot be broadcast to "
                           f"indexing result of shape {errors.shape_str(self._data.shape)}")
    _check_put_dtype(self, values)
    raise RuntimeError('ntensor >= 3 INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/'
                       'ATen/native/cpu/IndexKernelUtils.h":8, please report a bug to PyTorch. ')


def _check_put_dtype(self, values):
    if isinstance(values, Tensor) and values._data.dtype != self._data.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{self.dtype._short} for the destination and {values.dtype._short} "
                           "for the source.")


def _put(self, key, values, v, accumulate):
    out = self._data.copy()
    try:
        if accumulate:
            np.add.at(out, key, v)
        else:
            out[key] = v
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {errors.shape_str(np.shape(v))} "
                           f"cannot be broadcast to indexing result of shape "
                           f"{errors.shape_str(self._data[key].shape)}") from None
    out = preserving_result(out, self._data)
    if needs_grad(self, values):
        record(out, IndexPutBackward0, (self, values), (save_key(key), accumulate))
    return out


# ----- gather / scatter / index_select / masks ----------------------------------------------
def _grid(index_shape, dim, idx):
    """Full index tuple addressing position idx along dim for every element of an index array."""
    grids = np.indices(index_shape, sparse=True)
    return tuple(idx if k == dim else grids[k] for k in range(len(index_shape)))


def _nonempty(shape):
    """gather and scatter count a 0-d tensor as one dimension of size 1, as PyTorch's kernels
    do (`torch.zeros(3).scatter_(0, torch.tensor(1), 1.)` writes one element)."""
    return tuple(shape) or (1,)


def _check_dims(idx, other, what):
    if max(np.ndim(idx), 1) != max(np.ndim(other), 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {what} "
                           "tensor")


def _check_src(idx, src):
    n = max(src.ndim, 1)
    if idx.ndim > n:  # (PyTorch compares index's sizes with src's dim by dim first)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {n})")
    _check_dims(idx, src, "src")


def _saved_index_first(self, index, k=None):
    """gather's saved (self, dim, index): PyTorch saves (packs) the index before self."""
    si = save(index)
    return save(self, "self"), k, si


@rule
def GatherBackward0(need, g, self, dim, index, sparse_grad):
    shape = P.data(self).shape
    if isinstance(g, Tensor):  # (recorded as PyTorch's double backward: ScatterAddBackward0)
        i = index if isinstance(index, Tensor) else make(as_array(index))
        return (scatter_add(g.new_zeros(shape), dim, i.long(), g),)
    if not shape or not index.shape:  # a 0-d self or index: read as 1-d
        flat = P.scatter_into(shape or (1,), (index.reshape(-1),), g.reshape(-1))
        return (flat.reshape(shape),)
    return (P.scatter_into(shape, _grid(index.shape, dim, index), g),)


def _shape_checks(d, idx, k, src, gathering):
    """PyTorch's checks of gather's and scatter's shapes, after an empty index (which skips
    them): index has self's number of dims (0-d counts as 1-d), src too, and no size of index
    is larger than self's, but along dim, nor than src's. Checked before any value is read:
    numpy would index past them silently or with its own words."""
    nd, ni = max(d.ndim, 1), max(idx.ndim, 1)
    if ni != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           + ("input" if gathering else "self") + " tensor")
    # PyTorch's order, observed: along each dim, self's bound, then src's size (an IndexError
    # past a 1-d src's dims; 1 for a 0-d src), stopping at the first too-large size; then a src
    # of other dims is refused; then the too-large size is
    # (a 0-d tensor's sizes read as [1], PyTorch's ensure_nonempty_size; messages show the
    # shapes as given)
    src_shape = None if src is None else src.shape
    isizes, dsizes = _nonempty(idx.shape), _nonempty(d.shape)
    wrong = False
    for j in range(len(isizes)):
        if j != k and isizes[j] > dsizes[j]:
            wrong = True
            break
        if src_shape is not None:
            if src.ndim and j >= src.ndim:
                raise IndexError(f"Dimension out of range (expected to be in range of "
                                 f"[{-src.ndim}, {src.ndim - 1}], but got {j})")
            if isizes[j] > (src_shape[j] if src.ndim else 1):
                wrong = True
                break
    if src is not None and max(src.ndim, 1) != ni:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if wrong:
        if gathering:
            raise RuntimeError(f"Size does not match at dimension {j} expected index "
                               f"{errors.shape_str(idx.shape)} to be no larger than self "
                               f"{errors.shape_str(d.shape)} apart from dimension {k}")
        raise RuntimeError(f"Expected index {errors.shape_str(idx.shape)} to be no larger "
                           f"than self {errors.shape_str(d.shape)} apart from dimension {k}"
                           + ("" if src_shape is None else " and to be no larger size "
                              f"than src {errors.shape_str(src_shape)}"))


@declare
def gather(self, dim, index):
    """out[i][j] = self[index[i][j]][j] for dim 0 (and likewise for other dims)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if idx.size or idx.ndim != d.ndim:
        if idx.size == 0:  # an empty index is not checked: an empty result (no history here)
            return result(np.zeros(idx.shape, d.dtype))
        _shape_checks(d, idx, k, None, True)
    _in_bounds(idx, d.shape[k] if d.ndim else 1, k)
    idx = idx.astype(np.int64, copy=False)
    if d.ndim == 0 or idx.ndim == 0:  # a 0-d tensor is read as one of 1 element
        out = result(d.reshape(-1)[idx.reshape(-1)].reshape(idx.shape))
    else:
        out = result(np.take_along_axis(d, idx, k) if idx.shape == d.shape
                     else d[_grid(idx.shape, k, idx)])
    if needs_grad(self):
        # (PyTorch's node saves self, whose later in-place change its backward refuses, and the
        # index tensor as given)
        record(out, GatherBackward0, (self,), (*_saved_index_first(self, index, k), False))
    return out


@declare
def take_along_dim(self, indices, dim=None):
    """The values at `indices` along dim; both broadcast in the other dims (as PyTorch does)."""
    if dim is None:  # (gather's dtype check: int32 passes)
        return gather(self.reshape(-1), 0, indices.reshape(-1))
    if self._data.ndim != indices._data.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {self._data.ndim} dimensions for "
                           f"input, and {indices._data.ndim} dimensions for indices")
    if indices._data.dtype != np.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{indices.dtype._short}")
    if self._data.ndim != indices._data.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same number "
                           f"of dimensions, but got {self._data.ndim} dimensions for input, and "
                           f"{indices._data.ndim} dimensions for indices")
    k = dim_arg(dim, self._data.ndim)
    a, b = list(self._data.shape), list(indices._data.shape)
    a[k] = b[k] = 1
    try:
        common = list(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        raise errors.broadcast_error(self._data.shape, indices._data.shape) from None
    a, b = list(common), list(common)
    a[k], b[k] = self._data.shape[k], indices._data.shape[k]
    return gather(self.expand(*a), k, indices.expand(*b))


@rule
def ScatterBackward0(need, g, dim, index):
    index = P.data(index)
    index = index.reshape(_nonempty(index.shape))  # (saved as given: a 0-d one is [1])
    gi = _grid(index.shape, dim, index)
    shape = P.data(g).shape
    g1 = P.reshape(g, _nonempty(shape))
    gs = None
    if need[0]:
        if isinstance(g, Tensor):
            mask = np.ones(g1._data.shape, bool)
            mask[gi] = False
            gs = (g1 * mask).reshape(shape)
        else:
            gs = g1.copy()
            gs[gi] = 0
            gs = gs.reshape(shape)
    gsrc = g1[gi] if need[1] else None
    return (gs, gsrc)


# The C++ names PyTorch's messages give dtypes ("got mask with dtype long int").
_C_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "float32": "float", "float64": "double",
            "float16": "c10::Half", "bfloat16": "c10::BFloat16"}


_SCATTER_DTYPE = "scatter(): Expected self.dtype to be equal to src.dtype"


def _scatter_index(index, n, k):
    """index as int64, each entry in [0, n) (the size of dim k): PyTorch's scatter kernels take
    no negative index."""
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    _in_bounds(idx, n, k)
    return idx.astype(np.int64, copy=False)


def _in_bounds(idx, n, k):
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        raise RuntimeError(f"index {idx[bad].flat[0]} is out of bounds for dimension {k} with "
                           f"size {n}")


def _scatter_shapes(d, index, k, src):
    """scatter's shape checks; False for an empty index (not checked, whatever its dims and
    src's: self is kept as it is, as PyTorch keeps it)."""
    idx = index._data
    if idx.size == 0:
        return False
    _shape_checks(d, idx, k, src._data if isinstance(src, Tensor) else None, False)
    return True


@declare(inplace=True)
def scatter(self, dim, index, src=None, value=None, reduce=None):
    """A copy of self with src (or value) written at index along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if isinstance(index, Tensor) and index._data.dtype in (np.int64, np.int32):
        if not _scatter_shapes(d, index, k, value if src is None else src):
            return self.clone()
    idx = _scatter_index(index, d.shape[k] if d.ndim else 1, k)
    # (a 0-d self or index is one element along dim 0, as PyTorch's kernels read it; the
    # result keeps self's shape and its node is the scatter's)
    idx1 = idx.reshape(_nonempty(idx.shape))
    out = d.reshape(_nonempty(d.shape)).copy()
    gi = _grid(idx1.shape, k, idx1)
    if src is None:
        src = value
    if isinstance(src, Tensor) and src._data.dtype != d.dtype:
        raise RuntimeError(_SCATTER_DTYPE)
    if isinstance(src, Tensor):
        _check_src(idx, src._data)
    if type(src) is float and d.dtype == np.float16:
        src = half_rounded(src)  # (PyTorch's Half is built from a float)
    sd = operand(src)
    if isinstance(sd, np.ndarray) and sd.ndim:
        sd = sd[tuple(slice(0, s) for s in idx1.shape)]
    elif isinstance(sd, np.ndarray):
        sd = sd.reshape(1)
    if reduce == "add":
        np.add.at(out, gi, sd)
    elif reduce == "multiply":
        np.multiply.at(out, gi, sd)
    else:
        out[gi] = sd
    out = result(out.reshape(d.shape))
    if isinstance(src, Tensor):
        if needs_grad(self, src):
            record(out, ScatterBackward0, (self, src), (k, save_index(index)))
    elif needs_grad(self):
        record(out, ScatterBackward1, (self,), (k, save_index(index)))
    return out


@rule
def ScatterBackward1(need, g, dim, index):
    return ScatterBackward0.rule((True, False), g, dim, index)[:1]


@rule
def ScatterAddBackward0(need, g, dim, index):
    g1 = P.reshape(g, _nonempty(P.data(g).shape))
    index = P.data(index)
    index = index if index is None else index.reshape(_nonempty(index.shape))
    return (g if need[0] else None, g1[_grid(index.shape, dim, index)] if need[1] else None)


@declare(inplace=True)
def scatter_add(self, dim, index, src):
    d = self._data
    k = dim_arg(dim, d.ndim)
    if isinstance(index, Tensor) and index._data.dtype in (np.int64, np.int32):
        if not _scatter_shapes(d, index, k, src):
            return self.clone()
    idx = _scatter_index(index, d.shape[k] if d.ndim else 1, k)
    idx = idx.reshape(_nonempty(idx.shape))  # (a 0-d index: one element, as a 0-d self)
    if src._data.dtype != d.dtype:
        raise RuntimeError(_SCATTER_DTYPE)
    _check_src(idx, src._data)
    sd = src._data.reshape(_nonempty(src._data.shape))
    out = d.reshape(_nonempty(d.shape)).copy()
    np.add.at(out, _grid(idx.shape, k, idx), sd[tuple(slice(0, s) for s in idx.shape)])
    out = result(out.reshape(d.shape))
    if needs_grad(self, src):
        # (the index only for src's gradient: PyTorch saves it only then)
        record(out, ScatterAddBackward0, (self, src),
               (k, save_index(index) if needs_grad(src) else None))
    return out


@rule
def IndexSelectBackward0(need, g, shape, dim, index):
    key = [slice(None)] * len(shape)
    key[dim] = P.data(index).reshape(-1)  # (the index as given: 0-d or int32 too)
    return (P.scatter_into(shape, tuple(key), g),)


def _index_select_out_of_range(idx, k, d):
    """PyTorch's words: its kernel for dim 1 of a tensor of 2 or more dims checks every index
    first and names the first one out of range; the others say "index out of range in self"."""
    if k == 1 and d.ndim > 1:
        bad = idx[(idx < 0) | (idx >= d.shape[k])][0]
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} "
                           f"axis_dim={d.shape[k]}")
    raise IndexError("index out of range in self")


@declare
def index_select(self, dim, index):
    """The entries at `index` (a 1-d integer tensor) along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = index._data.reshape(-1)
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.size and (idx.min() < 0 or idx.max() >= (d.shape[k] if d.ndim else 1)):
        _index_select_out_of_range(idx, k, d)
    idx = idx.astype(np.int64, copy=False)
    check_alloc(d.shape[:k] + idx.shape + d.shape[k + 1:], d.dtype)
    # (a 0-d self is one element along dim 0, and stays 0-d for one index, as PyTorch's)
    out = result(np.take(d, idx, axis=k) if d.ndim else np.take(d.reshape(1), idx).reshape(
        () if idx.size == 1 else idx.shape))
    if needs_grad(self):
        record(out, IndexSelectBackward0, (self,), (d.shape, k, save_index(index)))
    return out


@rule
def MaskedFillBackward0(need, g, mask):
    return (P.masked_fill(g, P.data(mask), 0),)


@declare  # (masked_fill_: inplace.py, whose broadcast error names self first)
def masked_fill(self, mask, value):
    """A copy with `value` where the boolean mask holds."""
    if not isinstance(mask, Tensor):
        mask = make(np.asarray(mask))
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_C_NAMES.get(m.dtype.name, m.dtype.name)}")
    v = operand(value if isinstance(value, Tensor) else checked_fill(value, self._data.dtype))
    if isinstance(value, Tensor) and v.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {v.ndim} dimension(s).")
    if isinstance(value, Tensor) and v.dtype.kind == "c" and self._data.dtype.kind != "c":
        checked_fill(v.item(), self._data.dtype)  # PyTorch reads the value as a number
    try:
        out = result(np.where(m, np.asarray(v, self._data.dtype), self._data))
    except ValueError:
        raise errors.broadcast_error(m.shape, self._data.shape) from None  # (PyTorch's order)
    if isinstance(value, Tensor):   # the value tensor's overload: MaskedFillBackward1
        if needs_grad(self, value):
            record(out, MaskedFillBackward1, (self, value), (save_index(mask),))
    elif needs_grad(self):
        # (the mask may broadcast self: the engine sums self's gradient back to its shape)
        record(out, MaskedFillBackward0, (self,), (save_index(mask),))
    return out


@rule
def MaskedFillBackward1(need, g, mask):
    """masked_fill with a 0-d value tensor: self's gradient where the mask does not hold, the
    value's the sum of the gradient where it does (masked_select, then sum: PyTorch's order)."""
    keep = np.broadcast_to(P.data(mask), P.data(g).shape)  # (the mask as given)
    return (P.masked_fill(g, keep, 0) if need[0] else None,
            P.sum(g.masked_select(P._tensor(keep)) if isinstance(g, Tensor) else g[keep])
            if need[1] else None)


@rule
def MaskedSelectBackward0(need, g, mask, x):
    """masked_select_backward: zeros of the broadcast shape with g scattered where mask holds
    (the engine sums a broadcast input's gradient back to its shape)."""
    mask = P.data(mask)
    full = np.broadcast_shapes(P.data(x).shape, mask.shape)
    where = np.broadcast_to(mask, full)
    if type(g) in TENSOR_TYPES:
        return (g.new_zeros(full).index_put_((make(where),), g, True),)
    out = np.zeros(full, g.dtype)
    out[where] = g
    return (out,)


@declare
def masked_select(self, mask):
    """The elements of self where mask holds, as a 1-d tensor; self and mask broadcast."""
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    d = self._data
    if type(d) is MetaArray or type(m) is MetaArray:
        raise no_meta_kernel("masked_select")
    try:
        full = np.broadcast_shapes(d.shape, m.shape)
    except ValueError:
        raise errors.broadcast_error(d.shape, m.shape) from None
    out = result(np.broadcast_to(d, full)[np.broadcast_to(m, full)])
    if needs_grad(self):
        sm = save_index(mask)  # (PyTorch saves the mask, then self for its shape)
        record(out, MaskedSelectBackward0, (self,), (sm, save(self, "self")))
    return out


@declare(tensor_first=True)
def nonzero(self, *, as_tuple=False):
    d = self._data
    if type(d) is MetaArray:  # (its shape is the count of nonzero elements: data)
        raise NotImplementedError(NONZERO)
    if not d.ndim:  # (numpy has no nonzero of a 0-d array: PyTorch's reads it as 1-d)
        hit = np.zeros(int(bool(d)), np.int64)
        return (make(hit),) if as_tuple else make(np.zeros((hit.size, 0), np.int64))
    idx = np.nonzero(d)
    if as_tuple:
        return tuple(make(as_array(i, np.int64)) for i in idx)
    # PyTorch fills the (n, ndim) result column by column: its strides are (1, n)
    return make(np.stack(idx).astype(np.int64).T if d.ndim else
                np.zeros((int(bool(d)), 0), np.int64))


@declare(tensor_first=True)
def argwhere(self):
    return nonzero(self)


# ----- index_add --------------------------------------------------------------------------------
@rule
def IndexAddBackward0(need, g, dim, index, source_shape, alpha, source):
    gs = None
    if need[1]:
        index = P.data(index).reshape(-1)
        key = [slice(None)] * g.ndim
        key[dim] = index
        picked = g.index_select(dim, make(index)) if isinstance(g, Tensor) else g[tuple(key)]
        gs = P.reshape(picked if alpha == 1 else picked * alpha, source_shape)
    return (g if need[0] else None, gs)


@declare(inplace=True, tensor_first=True)
def index_add(self, dim, index, source, *, alpha=1):
    """self with alpha * source's slices added at the positions `index` names along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if index._data.dtype not in (np.int32, np.int64):
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{index.dtype._short}")
    if index._data.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                         f"{index._data.ndim} with type: {index.dtype._short} and size: "
                         f"{errors.shape_str(index._data.shape)}")
    idx = np.asarray(index._data, np.int64).reshape(-1)
    if source._data.dtype != d.dtype:
        raise RuntimeError(f"index_add_(): self ({self.dtype._short}) and source "
                           f"({source.dtype._short}) must have the same scalar type")
    given = source._data.shape[k] if source._data.ndim else 1
    if idx.size != given:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim): ({given}), for dim: {k}")
    if d.ndim != source._data.ndim or [s for j, s in enumerate(d.shape) if j != k] != \
            [s for j, s in enumerate(source._data.shape) if j != k]:  # (a 0-d source too)
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = {errors.shape_str(d.shape)} source.shape = "
            f"{errors.shape_str(source._data.shape)}")
    n = d.shape[k] if d.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= n):  # (no negative index, as PyTorch)
        if d.ndim <= 1:  # PyTorch's words differ by self's dims
            raise IndexError("index out of range in self")
        _in_bounds(idx, n, k)
    src = np.asarray(source._data, d.dtype)
    if src.ndim != d.ndim:
        src = src.reshape(src.shape + (1,) * (d.ndim - src.ndim))
    out = d.reshape(1).copy() if d.ndim == 0 else d.copy()  # (a 0-d self: its one element)
    key = [slice(None)] * out.ndim
    key[k] = idx
    np.add.at(out, tuple(key), (src if alpha == 1 else src * d.dtype.type(alpha)).reshape(
        -1) if d.ndim == 0 else src if alpha == 1 else src * d.dtype.type(alpha))
    out = result(out.reshape(d.shape))
    if needs_grad(self, source):
        # (PyTorch saves the index and the source for the source's gradient only)
        si = save_index(index) if needs_grad(source) else None
        record(out, IndexAddBackward0, (self, source), (
            k, si, tuple(source.shape), alpha,
            save(source, "source") if si is not None else None))
    return out


@declare
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along dim) repeated `repeats` times, as PyTorch composes it: a
    number of repeats unsqueezes, expands, copies and views (ViewBackward0 over CloneBackward0);
    a tensor of them is an index_select. With no repeats, input is the repeats: each index i
    repeated input[i] times."""
    if repeats is None:
        if type(input._data) is MetaArray:  # (output_size is the total: meta_route.py)
            return result(empty_meta((output_size,), input._data.dtype))
        return _repeated_indices(input, output_size)
    x = input.flatten() if dim is None else input
    d = x._data
    k = dim_arg(0 if dim is None else dim, d.ndim)
    if isinstance(repeats, Tensor) and type(repeats._data) is MetaArray:
        return index_select(x, k, make(empty_meta((output_size,), np.int64)))
    n = d.shape[k] if d.ndim else 1
    counts = _repeat_counts(repeats, n)
    total = int(counts.sum())
    if output_size is not None and output_size != total:
        raise RuntimeError("allocated size does not match required size" if isinstance(
            repeats, Tensor) else f"repeat_interleave: Invalid output_size, expected {total} "
            f"but got {output_size}")
    check_alloc(d.shape[:k] + (total,) + d.shape[k + 1:], d.dtype)
    if isinstance(repeats, Tensor):
        return index_select(x, k, make(np.repeat(np.arange(n), counts)))
    shape = d.shape
    expanded = x.unsqueeze(k + 1).expand(shape[:k + 1] + (repeats,) + shape[k + 1:])
    return expanded.clone(memory_format=contiguous_format).view(
        shape[:k] + (shape[k] * repeats,) + shape[k + 1:])


def _repeated_indices(repeats, output_size):
    """torch.repeat_interleave(repeats): index i written repeats[i] times (repeats' dtype)."""
    r = repeats._data
    if r.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if r.dtype not in (np.int32, np.int64):
        raise NotImplementedError(
            f'"repeat_interleave_cpu" not implemented for \'{repeats.dtype._short}\'')
    if np.any(r < 0):
        raise RuntimeError("repeats can not be negative")
    if output_size is not None and output_size != int(r.sum()):
        raise RuntimeError("allocated size does not match required size")
    check_alloc((int(r.sum()),), r.dtype)
    return result(np.repeat(np.arange(r.size, dtype=r.dtype), r))


def _repeat_counts(repeats, n):
    """How often each of the n slices is repeated (an int64 array), with PyTorch's refusals."""
    if isinstance(repeats, Tensor):
        r = repeats._data
        if r.ndim > 1:  # PyTorch's order of the checks
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if r.dtype.kind not in "iu":
            raise RuntimeError("repeats has to be Long or Int tensor")
        if r.size not in (1, n):
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {r.size} and input.size(0) = {n}")
        if np.any(r < 0):
            raise RuntimeError("repeats can not be negative")
        return np.broadcast_to(r.reshape(-1).astype(np.int64), (n,))
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)):
        raise TypeError(f"repeat_interleave(): argument 'repeats' must be Tensor or int, not "
                        f"{type(repeats).__name__}")
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    return np.full(n, int(repeats), np.int64)
