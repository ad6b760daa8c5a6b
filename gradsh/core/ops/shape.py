"""Shape ops: views (view, reshape, permute, transpose, squeeze, expand...) and joins/splits."""

import itertools

import operator

import numpy as np

from .. import errors
from ..dtypes import TooManyItems, dtype, read_items
from ..memory import ELEMENTWISE, PYTHON_STEP, check_flops, check_view_shape
from ..layout import check_format, contiguous_format, like, squeezed, unsqueezed
from ..node import with_outputs
from ..tensor import TENSOR_TYPES, Tensor, int_arg, list_item
from . import prim as P
from .base import (ALL_DIMS, backward_op, check_alloc, dim_arg, dims_arg, limits, make, needs_grad,
                   promote,
                   preserving_result, record, record_multi, rule, torch_dtype)
from .base import contiguous_result as result  # these ops' results are contiguous
from .pointwise import clone, logical_xor, sub
from .registry import declare
from .views import mark_multi_output, view_of
from ..meta import MetaArray, as_array, view_strides

_ndarray = np.ndarray


def sizes(args, op=None, name="size"):
    """Sizes given as varargs (2, 3) or as one tuple/list/Size ((2, 3)); `op` and `name` word
    PyTorch's error for a tensor of several sizes given as the shape."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    elif len(args) == 1 and op and isinstance(args[0], Tensor) and args[0]._data.size != 1:
        raise TypeError(f"{op}(): argument '{name}' (position 1) must be tuple of ints, not Tensor")
    return tuple(s if type(s) is int else list_item(s, i) for i, s in enumerate(args))


def _infer_shape(shape, numel):
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{errors.shape_str(shape)}")
    if neg:
        known = 1
        for s in shape:
            if s != -1:
                known *= s
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape "
                               f"{errors.shape_str(shape)} because the unspecified dimension size "
                               "-1 can be any value and is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{errors.shape_str(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    n = 1
    for s in shape:
        n *= s
    if n != numel:
        if n & _U64 == numel:  # PyTorch's int64 product wraps to the numel: its numel check says
            raise RuntimeError("numel: integer multiplication overflow")
        raise RuntimeError(f"shape '{errors.shape_str(shape)}' is invalid for input of size {numel}")
    return shape


_U64 = (1 << 64) - 1


@rule
def ViewBackward0(need, g, shape):
    return (P.reshape(g, shape),)


@rule
def ReshapeAliasBackward0(need, g, shape):
    return (P.reshape(g, shape),)


@rule
def UnsafeViewBackward0(need, g, shape):
    return (P.reshape(g, shape),)


def _try_view(d, shape):
    try:
        return np.reshape(d, shape, copy=False)
    except (ValueError, TypeError):
        return None


@declare(function=False)
def view(self, *shape):
    """The same storage seen with another shape (no copy; the tensor must allow it)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list, np.integer)):
        if isinstance(shape[0], dtype):
            return _view_as_dtype(self, shape[0])
    d = self._data
    shape = _infer_shape(sizes(shape), d.size)
    if not d.size:
        check_view_shape(shape, d.itemsize)
    v = _try_view(d, shape)
    if v is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    out = view_of(make(v), self, "reshape", shape)
    if needs_grad(self):
        record(out, ViewBackward0, (self,), (d.shape,))
    return out


def _view_as_dtype(self, to):
    """x.view(dtype): the same bytes read as another dtype (numpy's view), with PyTorch's checks
    when the element size changes (the last dim then shrinks or grows); not differentiable."""
    d = self._data
    new = to.np
    if new.itemsize != d.itemsize:
        words = f"to view {self.dtype._short} as {to._short} (different element sizes)"
        if not d.ndim:
            raise RuntimeError(f"self.dim() cannot be 0 {words}")
        if d.shape[-1] != 1 and d.strides[-1] != d.itemsize:
            raise RuntimeError(f"self.stride(-1) must be 1 {words}, but got "
                               f"{d.strides[-1] // d.itemsize}")
        if new.itemsize > d.itemsize:
            ratio = new.itemsize // d.itemsize
            if d.shape[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {words}, but got "
                                   f"{d.shape[-1]}")
            if self.storage_offset() % ratio:
                raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {words}, "
                                   f"but got {self.storage_offset()}")
        if d.shape[-1] == 1 and d.strides[-1] != d.itemsize:  # (numpy wants the last axis dense)
            d = np.lib.stride_tricks.as_strided(d, d.shape, d.strides[:-1] + (d.itemsize,))
    out = make(d.view(new))
    out._vc = self._vc  # (one storage: a write through either is a new version of both)
    return out


def _meta_view(t, shape):
    """A meta tensor's reshape as a view, or None where PyTorch's strides (a meta view's steps:
    core/meta.py) would need a copy."""
    if t._view is not None and view_strides(t._base._data.shape, t._view.steps + (
            ("reshape", shape),)) is None:
        return None
    return t._data.reshape(shape)


@declare(tensor_first=True)
def reshape(self, *shape):
    """This tensor with another shape: a view when possible, else a copy."""
    d = self._data
    shape = _infer_shape(sizes(shape, "reshape", "shape"), d.size)
    if not d.size:
        check_view_shape(shape, d.itemsize)
    v = _try_view(d, shape) if type(d) is not MetaArray else _meta_view(self, shape)
    if v is not None:
        out = view_of(make(v), self, "reshape", shape)
        if needs_grad(self):
            # PyTorch's reshape is a view of a contiguous tensor, else an alias with new strides
            # (on meta tensors a view whenever it can be one)
            record(out, ViewBackward0 if d.flags.c_contiguous or type(d) is MetaArray else
                   ReshapeAliasBackward0, (self,), (d.shape,))
        return out
    c = clone(self)
    out = make(c._data.reshape(shape))
    if needs_grad(c):
        record(out, UnsafeViewBackward0, (c,), (d.shape,))
    return out


@declare(function=False)
def view_as(self, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"view_as(): argument 'other' (position 1) must be Tensor, not "
                        f"{errors.type_name(other)}")
    return view(self, other.shape)


@declare(function=False)
def reshape_as(self, other):
    return reshape(self, other.shape)


@declare(tensor_first=True)
def flatten(self, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one."""
    d = self._data
    if d.ndim == 0:
        return reshape(self, 1)
    s = dim_arg(start_dim, d.ndim)
    e = dim_arg(end_dim, d.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    n = 1
    for k in range(s, e + 1):
        n *= d.shape[k]
    return reshape(self, d.shape[:s] + (n,) + d.shape[e + 1:])


@declare
def unflatten(self, dim, sizes_):
    d = self._data
    k = dim_arg(dim, d.ndim)
    sizes_ = tuple(sizes_)
    if not sizes_:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inner = _infer_shape(sizes_, d.shape[k])
    except RuntimeError as e:  # PyTorch's handle_unflatten_exception
        if str(e).startswith("numel:"):
            raise  # PyTorch's infer_size wrapped to the numel; its view then refuses
        if str(e).startswith("shape '["):
            raise RuntimeError(f"unflatten: Provided sizes {errors.shape_str(sizes_)} don't "
                               f"multiply up to the size of dim {k} ({d.shape[k]}) in the input "
                               "tensor") from None
        raise RuntimeError(f"unflatten got an unexpected error:\n{e}") from None
    return view(self, d.shape[:k] + inner + d.shape[k + 1:]) if _try_view(d, d.shape[:k] + inner + d.shape[k + 1:]) is not None else reshape(self, d.shape[:k] + inner + d.shape[k + 1:])


@declare(tensor_first=True)
def ravel(self):
    return reshape(contiguous(self), -1)  # PyTorch's contiguous().view(-1)


@declare(function=False)
def contiguous(self, *, memory_format=None):
    """Itself if already contiguous (in memory_format), else a contiguous copy."""
    check_format(memory_format, "contiguous")
    fmt = contiguous_format if memory_format is None else memory_format
    if self.is_contiguous(memory_format=fmt):
        return self
    return clone(self, memory_format=fmt)


# ----- permutations -------------------------------------------------------------------------
@rule
def PermuteBackward0(need, g, dims):
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return (P.permute(g, tuple(inv)),)


def dims_tuple_function(name, op):
    """torch.name(input, dims) (permute, flip): PyTorch's function takes dims as one tuple or
    list, never as varargs (the method takes both)."""
    def function(input, *args, dims=None):
        if dims is None:
            if len(args) != 1:
                raise TypeError(f"{name}() takes 2 positional arguments but {len(args) + 1} "
                                f"were given")
            dims = args[0]
        elif args:
            raise TypeError(f"{name}() got multiple values for argument 'dims'")
        if not isinstance(dims, (tuple, list)):
            raise TypeError(f"{name}(): argument 'dims' (position 2) must be tuple of ints, not "
                            f"{errors.type_name(dims)}")
        return op(input, *dims)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = op.__doc__
    return function


@declare(tensor_first=True, function=dims_tuple_function("permute", lambda x, *d: permute(x, *d)))
def permute(self, *dims, **kwargs):
    """Reorder the dimensions (permute(2, 0, 1), permute((2, 0, 1)) or permute(dims=...))."""
    d = self._data
    if not dims and set(kwargs) == {"dims"}:
        dims = (kwargs.pop("dims"),)
    if kwargs:
        raise TypeError(f"permute() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = sizes(dims)
    if len(dims) != d.ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not "
                           "match the length of the desired ordering of dimensions i.e. input.dim() "
                           f"= {d.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(dim_arg(k, d.ndim) for k in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    out = view_of(make(d.transpose(dims)), self, "permute", dims)
    if needs_grad(self):
        record(out, PermuteBackward0, (self,), (dims,))
    return out


@rule
def TransposeBackward0(need, g, d0, d1):
    return (P.transpose(g, d0, d1) if d0 != d1 else g,)


@declare(aliases=("swapaxes", "swapdims"))
def transpose(self, dim0, dim1):
    """Swap two dimensions."""
    d = self._data
    a = dim_arg(dim0, d.ndim)
    b = dim_arg(dim1, d.ndim)
    axes = list(range(d.ndim))
    if d.ndim:
        axes[a], axes[b] = b, a
    out = view_of(make(d.transpose(axes)), self, "permute", tuple(axes))
    if needs_grad(self):
        record(out, TransposeBackward0, (self,), (a, b))
    return out




@rule
def TBackward0(need, g):
    if g.ndim != 2:
        return (g,)
    return (g.t() if isinstance(g, Tensor) else g.T,)  # PyTorch's grad.t() (TBackward0)


@declare(tensor_first=True)
def t(self):
    """Transpose a matrix (0-d and 1-d tensors are returned as they are)."""
    d = self._data
    if d.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {d.ndim}D")
    out = view_of(make(d.T), self, "permute", tuple(range(d.ndim - 1, -1, -1)))
    if needs_grad(self):
        record(out, TBackward0, (self,))
    return out


@declare(prop=True, function=False)
def T(self):
    if self._data.ndim != 2:
        # TORCH_WARN_ONCE in PyTorch: once a process, not once a line
        errors.warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                         "shape is deprecated and it will throw an error in a future release. "
                         "Consider `x.mT` to transpose batches of matrices or "
                         "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                         "dimensions of a tensor."
                         + errors.triggered_at("aten/src/ATen/native/TensorShape.cpp:4314"))
    return permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


@declare(prop=True, function=False)
def mT(self):
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


@declare(aliases=("moveaxis",))
def movedim(self, source, destination):
    """Move dims from source positions to destination positions (others keep their order)."""
    d = self._data
    src = source if isinstance(source, (tuple, list)) else (source,)
    dst = destination if isinstance(destination, (tuple, list)) else (destination,)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) "
                           f"should contain the same number of dims as destination ({list(dst)} "
                           "dims)")
    given = list(src), list(dst)
    src = [dim_arg(s, d.ndim) for s in src]
    dst = [dim_arg(s, d.ndim) for s in dst]
    for name, dims, shown in (("source", src, given[0]), ("destination", dst, given[1])):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({shown})")
    order = [k for k in range(d.ndim) if k not in src]
    for s, t_ in sorted(zip(dst, src)):
        order.insert(s, t_)
    return permute(self, tuple(order))




# ----- squeeze / unsqueeze / expand ---------------------------------------------------------
@rule
def UnsqueezeBackward0(need, g, dim):
    if type(g) in TENSOR_TYPES:
        return (squeeze(g, dim),)  # derivatives.yaml: grad.squeeze(dim) (SqueezeBackward1)
    return (g.reshape(g.shape[:dim] + g.shape[dim + 1:]),)


@declare
def unsqueeze(self, dim):
    """Insert a dimension of size 1 at dim."""
    d = self._data
    k = dim_arg(dim, d.ndim + 1)
    v = unsqueezed(d, k)
    out = view_of(make(v), self, "reshape", v.shape)
    if needs_grad(self):
        record(out, UnsqueezeBackward0, (self,), (k,))
    return out


@rule
def SqueezeBackward0(need, g, shape):
    return (P.reshape(g, shape),)


@rule
def SqueezeBackward1(need, g, shape, dim):
    # PyTorch's unsqueeze_to: an unsqueeze where a dim was removed (UnsqueezeBackward0)
    if type(g) not in TENSOR_TYPES or len(shape) == g.ndim:
        return (P.reshape(g, shape),)
    gs = tuple(g.shape)
    k = next(k for k in range(len(shape)) if shape[k] == 1 and tuple(shape[:k]) + tuple(
        shape[k + 1:]) == gs)
    return (g.unsqueeze(k),)


@rule
def SqueezeBackward2(need, g, shape):
    return (P.reshape(g, shape),)


@declare(tensor_first=True)
def squeeze(self, dim=ALL_DIMS):
    """Remove dimensions of size 1 (all of them, or only dim)."""
    d = self._data
    if dim is ALL_DIMS:
        keep = tuple(s for s in d.shape if s != 1)  # (no size-1 dim left: numpy's strides)
        out = view_of(make(d.reshape(keep)), self, "reshape", keep)
        node = SqueezeBackward0
    else:
        # (a 0-d tensor takes dims 0 and -1, alone or in a tuple, as PyTorch's)
        dims = dims_arg(dim, d.ndim) if d.ndim else (dims_arg(dim, 0) and ())
        drop = [k for k in dims if d.shape[k] == 1] if d.ndim else ()
        out = make(squeezed(d, drop))
        out = view_of(out, self, "reshape", out._data.shape)
        node = SqueezeBackward2 if isinstance(dim, (tuple, list)) else SqueezeBackward1
    if needs_grad(self):
        # (SqueezeBackward1 shows the dim as given, PyTorch's int64 read back as uint64)
        record(out, node, (self,), (d.shape, dim % 2 ** 64) if node is SqueezeBackward1 else
               (d.shape,))
    return out


@rule
def ExpandBackward0(need, g, shape):
    return (P.sum_to(g, shape),)


_NO_LEGACY_NAME = frozenset(("Bool", "BFloat16", "ComplexFloat", "ComplexDouble"))


@declare(function=False)
def expand(self, *shape):
    """A broadcast view to a larger shape (-1 keeps a dim); no data is copied."""
    d = self._data
    shape = sizes(shape, "expand")
    if len(shape) < d.ndim:
        t = torch_dtype(d.dtype)  # (PyTorch's legacy type names, where a dtype has one)
        kind = f"CPU{t._short}Type" if t._short in _NO_LEGACY_NAME else "torch." + t._legacy
        raise RuntimeError(f"expand({kind}{{{errors.shape_str(d.shape)}}}, size="
                           f"{errors.shape_str(shape)}): the number of sizes provided "
                           f"({len(shape)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({d.ndim})")
    lead = len(shape) - d.ndim
    target = list(shape)
    for i in range(d.ndim - 1, -1, -1):  # PyTorch names the last mismatching dim
        s = d.shape[i]
        want = shape[lead + i]
        if want == -1:
            target[lead + i] = s
        elif s != want and s != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({s}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {errors.shape_str(shape)}.  "
                f"Tensor sizes: {errors.shape_str(d.shape)}")
    if -1 not in target:  # (a leading -1 has its own message, below)
        check_view_shape(target, d.itemsize)  # PyTorch's numel overflow (a negative size too)
    for i, want in enumerate(target):
        if want == -1 and i < lead:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                               f"non-existing dimension {i}")
        if want < 0:  # a negative size beside a 0 (PyTorch makes a tensor of it)
            raise RuntimeError(f"expand: the size {want} at dimension {i} is negative (only -1, "
                               f"which keeps a size, is allowed). Target sizes: "
                               f"{errors.shape_str(shape)}")
    n = 1
    for s in target:
        n *= s
    if n > limits.quick and n > d.size:
        # a view, but anything done with it would copy it whole: refused like an allocation
        check_alloc(target, d.dtype, "expand to shape")
    # PyTorch's strides: a dim whose size stays keeps its stride (a size-1 dim too, where
    # numpy's broadcast_to gives 0), an expanded dim gets 0, and a new leading dim of size 1 the
    # stride that would step over the dim after it (0 when none follows)
    st = [0] * lead + [d.strides[i] if d.shape[i] == target[lead + i] else 0
                       for i in range(d.ndim)]
    for i in range(lead - 1, -1, -1):
        if target[i] == 1 and i + 1 < len(target):
            st[i] = target[i + 1] * st[i + 1]
    # Writable like PyTorch's expanded views (inplace.py refuses writes where elements overlap,
    # but a view of it, such as e[0], may be written).
    v = np.lib.stride_tricks.as_strided(d, tuple(target), st, writeable=d.flags.writeable,
                                        subok=type(d) is MetaArray)  # (a meta array stays one)
    out = view_of(make(v), self, "expand", tuple(target))
    if needs_grad(self):
        record(out, ExpandBackward0, (self,), (d.shape,))
    return out


@declare(function=False)
def expand_as(self, other):
    return expand(self, other.shape)


@declare
def broadcast_to(self, shape):
    return expand(self, shape)


@rule
def RepeatBackward0(need, g, shape, reps):
    """PyTorch's repeat_backward: the leading new dims summed one by one, then one reshape
    splitting each repeated dim k into (reps[k], shape[k]) and one sum over the repeats."""
    if 0 in reps:
        return (P.zeros(tuple(shape), g),)
    lead = len(reps) - len(shape)
    for _ in range(lead):
        g = P.sum(g, (0,))
    size, repeated = [], []
    for r, s in zip(reps[lead:], shape):
        if r != 1:
            size.append(r)
            repeated.append(len(size) - 1)
        size.append(s)
    if not repeated:
        return (g,)
    return (P.sum(P.reshape(g, tuple(size)), tuple(repeated)),)


@declare(function=False)
def repeat(self, *reps):
    """Tile the tensor reps[k] times along each dim."""
    d = self._data
    reps = sizes(reps)
    if len(reps) < d.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    padded = (1,) * (len(reps) - d.ndim) + d.shape
    shape = tuple(r * s for r, s in zip(reps, padded))
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{errors.shape_str(shape)}")
    check_alloc(shape, d.dtype)
    out = result(np.tile(d, reps))
    if needs_grad(self):
        record(out, RepeatBackward0, (self,), (d.shape, reps))
    return out


# ----- joins and splits ---------------------------------------------------------------------
@rule
def CatBackward0(need, g, dim, sizes_):
    outs = []
    start = 0
    for i, n in enumerate(sizes_):
        if n is None:  # a skipped legacy empty tensor: its gradient is empty too
            outs.append(P.zeros((0,), g) if need[i] else None)
            continue
        outs.append(narrow_any(g, dim, start, n) if need[i] else None)
        start += n
    return tuple(outs)


def narrow_any(g, dim, start, n):
    if isinstance(g, Tensor):
        return narrow(g, dim, start, n)
    idx = [slice(None)] * g.ndim
    idx[dim] = slice(start, start + n)
    return g[tuple(idx)]


@declare(method=False, aliases=("concat", "concatenate"))
def cat(tensors, dim=0, *, axis=None):
    """Join tensors along an existing dim (axis=: numpy's name, which PyTorch takes too)."""
    if axis is not None:
        dim = axis
    tensors = errors.tensor_list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t_ in enumerate(tensors):
        if not isinstance(t_, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t_).__name__}")
        if not t_._data.ndim:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # PyTorch skips legacy empty 1-d tensors of size 0 (they still get a gradient: empty).
    kept = [i for i, t_ in enumerate(tensors)
            if not (t_._data.ndim == 1 and t_._data.size == 0)] or [0]
    parts = [tensors[i] for i in kept]
    ref = parts[0]._data
    k = dim_arg(dim, ref.ndim)
    for i in kept:
        d = tensors[i]._data
        if d.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and "
                               f"{d.ndim}")
        for j in range(ref.ndim):
            if j != k and d.shape[j] != ref.shape[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {k}. Expected "
                                   f"size {ref.shape[j]} but got size {d.shape[j]} for tensor number "
                                   f"{i} in the list.")
    rt = promote(*tensors) if len(tensors) > 1 else ref.dtype
    shape = list(ref.shape)
    shape[k] = sum(t_._data.shape[k] for t_ in parts)
    check_alloc(shape, rt)
    out = result(np.concatenate([t_._data for t_ in parts], axis=k).astype(rt, copy=False))
    if needs_grad(*tensors):
        sizes_ = [None] * len(tensors)
        for i in kept:
            sizes_[i] = tensors[i]._data.shape[k]
        record(out, CatBackward0, tensors, (k, sizes_))
    return out




@rule
def StackBackward0(need, g, dim, n):
    return tuple(select_any(g, dim, i) if need[i] else None for i in range(n))


def select_any(g, dim, i):
    if isinstance(g, Tensor):
        return g.select(dim, i)
    return g[(slice(None),) * dim + (i,)]  # (a view, as PyTorch's unbind: no copy)


@declare(method=False)
def stack(tensors, dim=0):
    """Join tensors of equal shape along a new dim."""
    tensors = errors.tensor_list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]._data.shape
    for i, t_ in enumerate(tensors):
        if t_._data.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{errors.shape_str(ref)} at entry 0 and "
                               f"{errors.shape_str(t_._data.shape)} at entry {i}")
    k = dim_arg(dim, len(ref) + 1)
    rt = promote(*tensors) if len(tensors) > 1 else tensors[0]._data.dtype
    check_alloc(ref[:k] + (len(tensors),) + ref[k:], rt)
    out = result(np.stack([t_._data for t_ in tensors], axis=k).astype(rt, copy=False))
    if needs_grad(*tensors):
        record(out, StackBackward0, tensors, (k, len(tensors)))
    return out


@declare(method=False)
def hstack(tensors):
    tensors = errors.tensor_list(tensors, "hstack")
    tensors = [t_.reshape(1) if not t_.ndim else t_ for t_ in tensors]   # (atleast_1d)
    return cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


@declare(method=False)
def vstack(tensors):
    tensors = errors.tensor_list(tensors, "vstack")
    check_pieces(len(tensors), "vstack()", MAX_VIEWED)
    return cat([t_.unsqueeze(0) if t_.ndim == 1 else t_.reshape(1, 1) if not t_.ndim else t_
                for t_ in tensors], 0)   # (atleast_2d)


def _split_rule(need, g, dim, sizes_, shape):
    parts = []
    for gi, n in zip(g, sizes_):
        if gi is None:
            s = list(shape)
            s[dim] = n
            gi = P.zeros(tuple(s), next(x for x in g if x is not None))
        parts.append(gi)
    if isinstance(parts[0], Tensor) or any(isinstance(p, Tensor) for p in parts):
        parts = [p if isinstance(p, Tensor) else Tensor._make(as_array(p)) for p in parts]
        return (cat(parts, dim),)
    return (np.concatenate(parts, axis=dim),)


@rule
def SplitBackward0(need, g, dim, sizes_, shape, split_size):
    return _split_rule(need, g, dim, sizes_, shape)


@rule
def SplitWithSizesBackward0(need, g, dim, sizes_, shape):
    return _split_rule(need, g, dim, sizes_, shape)


@declare
def split(self, split_size_or_sections, dim=0):
    """Split into chunks of a given size (the last may be smaller) or of the given sizes."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes_ = list(split_size_or_sections)
        check_pieces(len(sizes_), "split()")
        if any(z < 0 for z in sizes_):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes_}")
        if sum(sizes_) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                               f"tensor's size at dimension {k}), but got split_sizes={sizes_}")
        node = SplitWithSizesBackward0
    else:
        if not isinstance(split_size_or_sections, Tensor) and split_size_or_sections < 0:
            raise RuntimeError("split expects split_size be non-negative, but got split_size="
                               f"{split_size_or_sections}")
        sizes_ = _equal_sizes(n, int(errors.long(split_size_or_sections)))
        return _split_outputs(self, k, sizes_, SplitBackward0,
                              extra=(int(split_size_or_sections),))
    return _split_outputs(self, k, sizes_, node)


# The tensors one op may split a tensor into (split, chunk, tensor_split, unbind; a custom
# Function's outputs): each costs microseconds and a few hundred bytes, so 10**7 pieces of a
# 40 MB tensor took a minute and gigabytes (round 8); PyTorch makes them all.
MAX_PIECES = 1_000_000
# tensors of a list an op views one by one before joining them (vstack, dstack, column_stack,
# atleast_*d): a view costs about 20 us here, so 10**6 of them were 20-35 s of CPU (round 9)
MAX_VIEWED = 100_000


def check_pieces(count, what, most=MAX_PIECES):
    if count > most:
        raise TooManyItems("%s would make %d tensors: more than gradsh's limit of %d tensors made "
                           "by one operation" % (what, count, most))


def _equal_sizes(n, s):
    """The sizes of pieces of s elements (the last may be smaller) of a dim of size n."""
    if s <= 0 and n:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {n}")
    if n:
        check_pieces(-(-n // s), "split()")
    return [min(s, n - i) for i in range(0, n, s)] if n else [0]


def _split_outputs(self, k, sizes_, node, views=True, extra=()):
    d = self._data
    outs = []
    start = 0
    for s in sizes_:
        idx = [slice(None)] * d.ndim
        idx[k] = slice(start, start + s)
        piece = make(d[tuple(idx)])
        outs.append(view_of(piece, self, "index", tuple(idx)) if views else piece)
        start += s
    if needs_grad(self):
        record_multi(outs, with_outputs(node, len(outs)), (self,), (k, sizes_, d.shape) + extra)
    if views:
        mark_multi_output(outs)
    return tuple(outs)


@rule
def UnsafeSplitBackward0(need, g, dim, sizes_, shape):
    return _split_rule(need, g, dim, sizes_, shape)


@declare
def unsafe_split(self, split_size, dim=0):
    """split whose pieces autograd does not track as views: they share self's storage, and
    writing one in place is the caller's risk (PyTorch's RNN cells split their gates so)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    sizes_ = _equal_sizes(n, int(errors.long(split_size)))
    return _split_outputs(self, k, sizes_, UnsafeSplitBackward0,
                          views=False)


@declare
def unsafe_chunk(self, chunks, dim=0):
    """chunk through unsafe_split (PyTorch's LSTM and GRU cells cut their gates so)."""
    if not self._data.ndim:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    errors.long(chunks)
    n = self._data.shape[dim_arg(dim, self._data.ndim)]
    return unsafe_split(self, -(-n // chunks) if n else 0, dim)


@declare
def chunk(self, chunks, dim=0):
    """Split into `chunks` pieces of equal size (the last may be smaller)."""
    if type(chunks) is not int or chunks not in errors.LONG:
        chunks = int_arg(chunks, "chunks")
    d = self._data
    if not d.ndim:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = -(-n // chunks) if n else 0
    if size == 0:
        return split(self, [0] * chunks, k) if n == 0 else ()  # (an empty dim: chunks empties)
    return split(self, size, k)


def _check_split_indices(d):
    """tensor_split's refusals of a tensor of indices, in PyTorch's order."""
    if d.dtype != np.int64:
        raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of "
                           f"long, but got {torch_dtype(d.dtype)._short}")
    if d.ndim > 1:
        raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                           "zero-dimensional or one-dimensional tensor, but got a tensor with "
                           f"{d.ndim} dims")


@declare
def tensor_split(self, sections=None, dim=0, *, indices=None, tensor_indices_or_sections=None):
    """`sections` nearly equal pieces along dim, or the pieces between the given indices: each
    a slice of self of its own (SliceBackward0), as PyTorch makes them. A 0-d tensor counts
    sections; indices= and tensor_indices_or_sections= are PyTorch's other overloads' names."""
    for other in (indices, tensor_indices_or_sections):
        if other is not None:
            sections = other
    if isinstance(sections, Tensor) and sections._data.ndim == 0:
        _check_split_indices(sections._data)
        sections = int(sections._data)
    d = self._data
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    if isinstance(sections, int):
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        errors.long(sections)
        check_pieces(sections, "tensor_split()")
        q, r = divmod(n, sections)
        sizes_ = [q + 1] * r + [q] * (sections - r)
        bounds = [0, *itertools.accumulate(sizes_)]  # (a sum per section was quadratic)
    else:  # indices as slice bounds: a negative one counts from the end
        if isinstance(sections, Tensor):
            _check_split_indices(sections._data)
        sections = read_items(sections, "tensor_split()'s indices")  # an endless one stops
        check_pieces(len(sections) + 1, "tensor_split()")
        for b in sections:
            errors.long(b)
        bounds = [0] + [min(max(b + n if b < 0 else b, 0), n) for b in sections] + [n]
    return tuple(slice_dim(self, k, bounds[i], max(bounds[i], bounds[i + 1]), 1)
                 for i in range(len(bounds) - 1))


@rule
def UnbindBackward0(need, g, dim, shape):
    parts = []
    for gi in g:
        if gi is None:
            gi = P.zeros(shape[:dim] + shape[dim + 1:], next(x for x in g if x is not None))
        parts.append(gi)
    if any(isinstance(p, Tensor) for p in parts):
        parts = [p if isinstance(p, Tensor) else Tensor._make(as_array(p)) for p in parts]
        return (stack(parts, dim),)
    return (np.stack(parts, axis=dim),)


@declare(tensor_first=True)
def unbind(self, dim=0):
    """The slices along dim, as a tuple of views."""
    d = self._data
    if not d.ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    k = dim_arg(dim, d.ndim)
    check_pieces(d.shape[k], "unbind()")
    outs = []
    for i in range(d.shape[k]):
        idx = [slice(None)] * d.ndim
        idx[k] = i
        key = tuple(idx) + (Ellipsis,)
        outs.append(view_of(make(d[key]), self, "index", key))
    if needs_grad(self) and outs:
        record_multi(outs, with_outputs(UnbindBackward0, len(outs)), (self,), (k, d.shape))
    mark_multi_output(outs)
    return tuple(outs)


def _slice_backward_value(g, shape, dim, start, stop, step):
    idx = [slice(None)] * len(shape)
    idx[dim] = slice(start, stop, step)
    return P.scatter_into(shape, tuple(idx), g)


@rule
def SliceBackwardBackward0(need, g, grad_output, shape, dim, start, stop, step):
    return (slice_dim(g, dim, start, stop, step) if type(g) in TENSOR_TYPES else
            g[(slice(None),) * dim + (slice(start, stop, step),)],)


@rule
def SliceBackward0(need, g, shape, dim, start, stop, step):
    # PyTorch's slice_backward is an op of its own (SliceBackwardBackward0 under create_graph)
    return (backward_op(SliceBackwardBackward0, _slice_backward_value, g, (),
                        (shape, dim, start, stop, step)),)


@declare
def narrow(self, dim, start, length):
    """The slice [start, start + length) along dim, as a view (SliceBackward0)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    # (start and length read through __index__, as PyTorch's int arguments)
    start = start if type(start) is int or isinstance(start, Tensor) else operator.index(start)
    length = length if type(length) is int else operator.index(length)
    if not -d.shape[k] <= start <= d.shape[k]:
        raise IndexError(f"start out of range (expected to be in range of [{-d.shape[k]}, "
                         f"{d.shape[k]}], but got {start})")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start < 0:
        start += d.shape[k]
    if start < 0 or start + length > d.shape[k]:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({d.shape[k]}).")
    return slice_dim(self, k, start, start + length, 1)


def slice_dim(self, k, start, stop, step):
    d = self._data
    idx = [slice(None)] * d.ndim
    idx[k] = slice(start, stop, step)
    out = view_of(make(d[tuple(idx)]), self, "index", tuple(idx))
    if not out._data.size:  # PyTorch's view starts at the clamped start, even when empty
        strides = self.stride()
        first, _, step_ = slice(start, stop, step).indices(d.shape[k])  # (None, negative: read)
        out._view.empty = (self.storage_offset() + first * strides[k],
                           strides[:k] + (strides[k] * step_,) + strides[k + 1:])
    if needs_grad(self):
        record(out, SliceBackward0, (self,), (d.shape, k, start, stop, step))
    return out


@rule
def FlipBackward0(need, g, dims):
    if isinstance(g, Tensor):
        return (flip(g, dims),)
    return (like(g, np.flip(g, dims)),)  # (a new array, as flip's forward: not numpy's view)


@declare(tensor_first=True, function=dims_tuple_function("flip", lambda x, *d: flip(x, *d)))
def flip(self, *dims):
    """Reverse the order of elements along dims."""
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    d = self._data
    # a dim twice: PyTorch's error; a 0-d tensor takes dim 0 or -1 and is its own flip
    dims = dims_arg(sizes(dims), max(d.ndim, 1)) if d.ndim else (dims_arg(sizes(dims), 1) and ())
    out = preserving_result(np.flip(d, dims), d)
    if needs_grad(self):
        record(out, FlipBackward0, (self,), (dims,))
    return out


@declare(tensor_first=True)
def fliplr(self):
    return flip(self, 1)


@declare(tensor_first=True)
def flipud(self):
    return flip(self, 0)


@rule
def RollBackward0(need, g, shifts, dims):
    neg = tuple(-s for s in shifts)
    if isinstance(g, Tensor):
        return (roll(g, neg, dims),)
    if dims is None:
        return (np.roll(g.reshape(-1), neg[0]).reshape(g.shape),)
    return (np.roll(g, neg, dims),)


@declare
def roll(self, shifts, dims=None):
    """Shift elements along dims, wrapping around (flattened when dims is None)."""
    d = self._data
    sh = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    sh = tuple(s if type(s) is int and s in errors.LONG else int_arg(s, "shifts") for s in sh)
    dk = () if dims is None else tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if not sh:
        raise RuntimeError("`shifts` required")
    if len(sh) != len(dk) and not (len(sh) == 1 and not dk):   # (numpy would pair them up)
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(dk)}")
    if dk and d.ndim == 0:
        raise IndexError(f"Dimension specified as {dk[0]} but tensor has no dimensions")
    if dims is None:
        out = result(np.roll(d.reshape(-1), sh[0]).reshape(d.shape))
        dk = None
    else:
        dk = tuple(dim_arg(k, d.ndim) for k in dk)
        out = result(np.roll(d, sh, dk))
    if needs_grad(self):
        record(out, RollBackward0, (self,), (sh, dk))
    return out


@declare(tensor_first=True)
def diff(self, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along dim, composed as PyTorch composes it: narrow(1) -
    narrow(0), n times (logical_xor for bool); prepend and append are concatenated first."""
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    errors.long(n)
    if self.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if prepend is not None or append is not None:
        self = cat([t for t in (prepend, self, append) if t is not None], dim)
    if n == 0:
        return clone(self)
    k = dim_arg(dim, self.ndim)
    # n passes over the data, as PyTorch composes it: quadratic when n is near the length
    check_flops(min(n, self.shape[k]) * (ELEMENTWISE * self._data.size + PYTHON_STEP),
                f"diff of order {n} along a dim of {self.shape[k]}")
    for _ in range(min(n, self.shape[k])):
        m = self.shape[k] - 1
        later, earlier = narrow(self, k, 1, m), narrow(self, k, 0, m)
        self = logical_xor(later, earlier) if self._data.dtype.kind == "b" else sub(later, earlier)
    return self
