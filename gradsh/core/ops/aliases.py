"""The torch-level aliases and the Tensor methods a learner meets (issue 15, branch aliases):
torch.detach, the *_copy family (a view op's values in a fresh contiguous tensor, whose node is
the view's with PyTorch's `_copy` suffix), split_with_sizes, Tensor.unfold, the legacy
Tensor.new, resize / resize_as (the deprecated autograd Resize), apply_ / map_ / map2_, and the
properties that are False or trivial on a CPU-only strided tensor (is_meta, nbytes, ...)."""

import functools
import operator
import weakref

import numpy as np

from .. import device as _device
from ..meta import MetaArray
from .. import dtypes as _dtypes
from .. import errors, factories
from ..memory import check_alloc
from ..node import NODE_CLASSES, node_class, rule, with_outputs
from ..tensor import Tensor
from . import prim as P
from .base import dim_arg, make, needs_grad, record
from .index import AliasBackward0
from .inplace import resize_
from .linalg import DiagonalBackward0_copy
from .pointwise import NotImplementedBackward
from .registry import declare
from .shape import (SplitWithSizesBackward0, ViewBackward0, _split_outputs, slice_dim, split,
                    unbind)
from .views import positions, unfold_array, view_of

# ----- torch.detach, torch.detach_ ------------------------------------------------------------
declare(name="detach", method=False, tensor_first=True)(Tensor.detach)
declare(name="detach_", method=False, tensor_first=True)(Tensor.detach_)


# ----- Tensor.unfold: a view of windows -------------------------------------------------------
@rule
def UnfoldBackward0(need, g, shape, dim, size, step):
    return (P.scatter_into(shape, positions(shape, (("unfold", (dim, size, step)),)), g),)


@declare(name="unfold", function=False)
def tensor_unfold(self, dimension, size, step):
    """The windows of `size` elements every `step` along `dimension`, as a new last dim."""
    d = self._data
    k = dim_arg(dimension, max(d.ndim, 1))
    n = d.shape[k] if d.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {k} is {n} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    errors.long(step)
    out = view_of(make(unfold_array(d, k, size, step)), self, "unfold", (k, size, step))
    if needs_grad(self):
        record(out, UnfoldBackward0, (self,), (d.shape, k, size, step))
    return out


# ----- split_with_sizes -----------------------------------------------------------------------
def _sizes_list(split_sizes, name):
    # PyTorch's parser takes a list or tuple here (never list() of any iterable: it may not end)
    if not isinstance(split_sizes, (list, tuple)):
        raise TypeError(f"{name}(): argument 'split_sizes' (position 1) must be tuple of ints, "
                        f"not {type(split_sizes).__name__}")
    return list(split_sizes)


@declare(tensor_first=True)
def split_with_sizes(self, split_sizes, dim=0):
    """split into pieces of the given sizes (SplitWithSizesBackward0)."""
    return split(self, _sizes_list(split_sizes, "split_with_sizes"), dim)


UnsafeSplitWithSizesBackward0 = rule(SplitWithSizesBackward0.rule,
                                     name="UnsafeSplitWithSizesBackward0")


@declare(tensor_first=True)
def unsafe_split_with_sizes(self, split_sizes, dim=0):
    """split_with_sizes whose pieces autograd does not track as views (see unsafe_split)."""
    sizes = _sizes_list(split_sizes, "unsafe_split_with_sizes")
    d = self._data
    k = dim_arg(dim, d.ndim)
    if sum(sizes) != d.shape[k]:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to "
                           f"{d.shape[k]} (input tensor's size at dimension {k}), but got "
                           f"split_sizes={sizes}")
    return _split_outputs(self, k, sizes, UnsafeSplitWithSizesBackward0, views=False)


# ----- the *_copy family ----------------------------------------------------------------------
_COPY_NODES = {}  # a view's node class -> the class of its _copy op's node


def _copy_class(cls, name=None):
    """The node class of a view op's _copy form: the view's rule under the view's name with
    PyTorch's `_copy` suffix (or `name`); the variant with as many outputs."""
    base = cls if NODE_CLASSES.get(cls.__name__) is cls else cls.__bases__[0]
    copy = _COPY_NODES.get((base, name))
    if copy is None:
        copy = node_class(name or base.__name__ + "_copy", base.rule, base.n_outputs)
        copy.fast = staticmethod(base.fast)  # (a faster lane the view has)
        _COPY_NODES[(base, name)] = copy
    return copy if cls is base else with_outputs(copy, cls.n_outputs)


def _copied(view, name=None, reclass=True):
    """A contiguous copy of a view's values that takes over the view's node (renamed)."""
    d = view._data
    check_alloc(d.shape, d.dtype)
    out = make(np.array(d, order="C"))
    node = view._grad_fn
    if node is not None and view._requires_grad:
        if reclass:
            node.__class__ = _copy_class(type(node), name)
        out._grad_fn = node
        out._requires_grad = True
        out._output_nr = view._output_nr
    return out


def _copy_op(name, view_op, node_name=None, many=False, method=False):
    def op(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{errors.type_name(input)}")
        views = view_op(input, *args, **kwargs)
        if many:  # one node for all the pieces: renamed once
            node = views[0]._grad_fn if views else None
            outs = tuple(_copied(v, node_name, reclass=False) for v in views)
            if node is not None:
                node.__class__ = _copy_class(type(node), node_name)
            return outs
        return _copied(views, node_name)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"torch.{name}: the values of the view op, in a new contiguous tensor."
    return declare(name=name, method=method)(op)


def _expand(input, size, *, implicit=False):
    return input.expand(*size) if isinstance(size, (list, tuple)) else input.expand(size)


def _slice(input, dim=0, start=None, end=None, step=1):
    k = dim_arg(dim, input._data.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    for bound in (start, end, step):
        errors.long(bound)
    start, end, step = slice(start, end, step).indices(input._data.shape[k])
    return slice_dim(input, k, start, max(end, start), step)


@declare(method=False, tensor_first=True)
def view_copy(input, *size):
    """view's shape of input's values in a new tensor (any strides: the values are copied),
    ViewBackward0_copy."""
    d = np.ascontiguousarray(input._data)
    viewed = make(d).view(*size)._data  # (view's checks of the sizes)
    if viewed.dtype != d.dtype:  # view_copy(input, dtype): the bits read as dtype
        check_alloc(viewed.shape, viewed.dtype)
        return make(viewed.copy())
    shape = viewed.shape
    check_alloc(shape, d.dtype)
    out = make(d.reshape(shape).copy() if d is input._data else d.reshape(shape))
    if needs_grad(input):
        record(out, _copy_class(ViewBackward0), (input,), (input._data.shape,))
    return out


_copy_op("expand_copy", _expand)
_copy_op("narrow_copy", lambda x, dim, start, length: x.narrow(dim, start, length),
         "NarrowCopyBackward0", method=True)
_copy_op("permute_copy", lambda x, dims: x.permute(*dims))
_copy_op("select_copy", lambda x, dim, index: x.select(dim, index))
_copy_op("slice_copy", _slice)
_copy_op("squeeze_copy", lambda x, *dim: x.squeeze(*dim))
_copy_op("t_copy", lambda x: x.t())
_copy_op("transpose_copy", lambda x, dim0, dim1: x.transpose(dim0, dim1))
_copy_op("unsqueeze_copy", lambda x, dim: x.unsqueeze(dim))
_copy_op("unfold_copy", lambda x, dimension, size, step: tensor_unfold(x, dimension, size, step))


@declare(method=False, tensor_first=True)
def diagonal_copy(input, offset=0, dim1=0, dim2=1):
    """diagonal's values in a new tensor: DiagonalBackward0_copy (torch.diag's node too)."""
    d = input._data
    a, b = dim_arg(dim1, d.ndim), dim_arg(dim2, d.ndim)
    view = input.diagonal(offset, a, b)  # (diagonal's checks)
    out = make(np.array(view._data, order="C"))
    if needs_grad(input):
        record(out, DiagonalBackward0_copy, (input,), (d.shape, offset, a, b))
    return out
_copy_op("split_copy", lambda x, split_size, dim=0: split(x, int(errors.long(split_size)), dim),
         many=True)
_copy_op("split_with_sizes_copy", split_with_sizes, many=True)
_copy_op("unbind_copy", lambda x, dim=0: unbind(x, dim), many=True)


@rule
def AliasBackward0_copy(need, g):
    return (g,)


@declare(method=False, tensor_first=True)
def alias_copy(input):
    """A copy of input (PyTorch's alias op, materialised): AliasBackward0_copy."""
    out = make(np.array(input._data, order="C"))
    if needs_grad(input):
        record(out, AliasBackward0_copy, (input,))
    return out


@declare(method=False, tensor_first=True)
def detach_copy(input):
    """A copy of input; its history is PyTorch's NotImplemented node (no derivative)."""
    out = make(np.array(input._data, order="C"))
    if needs_grad(input):
        record(out, NotImplementedBackward, (input,), ("detach_copy",))
    return out


# ----- Tensor.as_subclass: an alias of another class -------------------------------------------
@declare(function=False)
def as_subclass(self, cls):
    """An alias of self (the same data and version counter; AliasBackward0 when self requires
    grad) that is an instance of cls, a subclass of Tensor (a program's own: `class
    MyT(torch.Tensor)`); cls's __init__ is not called."""
    if not isinstance(cls, type):
        raise TypeError(f"cls must be a type (got {type(cls).__name__})")
    if not issubclass(cls, Tensor):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from "
                        "Tensor is not possible. Make sure your class inherits from Tensor.")
    d = self._data
    out = object.__new__(cls)
    made = make(d.view())
    for field in ("_data", "_requires_grad", "_grad_fn", "_grad", "_vc", "_base", "_acc",
                  "_hooks", "_output_nr", "_retains_grad", "_view"):
        setattr(out, field, getattr(made, field))
    out = view_of(out, self, "reshape", d.shape)
    if needs_grad(self):
        record(out, AliasBackward0, (self,))
    return out


# ----- the legacy constructor Tensor.new ------------------------------------------------------
_NEW_SIGNATURES = ("new() received an invalid combination of arguments - got ({}), but expected "
                   "one of:\n * (*, torch.device device = None)\n      didn't match because some "
                   "of the keywords were incorrect: {}\n * (torch.Storage storage)\n * (Tensor "
                   "other)\n * (tuple of ints size, *, torch.device device = None)\n * (object "
                   "data, *, torch.device device = None)\n")
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool", "bfloat16": "c10::BFloat16"}


def _options(d):
    return (f"TensorOptions(dtype={_C_NAMES.get(d.name, d.name)}, device=cpu, layout=Strided, "
            f"requires_grad=false (default), pinned_memory=false (default), "
            f"memory_format=(nullopt))")


@declare(function=False)
def new(self, *args, **kwargs):
    """x.new(): empty; x.new(2, 3) or x.new(torch.Size): a tensor of that size (zeros here);
    x.new(data): data in x's dtype; x.new(tensor): that tensor's storage (an alias)."""
    wrong = [k for k in kwargs if k != "device"]
    if wrong:
        got = [errors.type_name(a) for a in args] + [f"{k}={errors.type_name(v)}"
                                                      for k, v in kwargs.items()]
        raise TypeError(_NEW_SIGNATURES.format(", ".join(got), ", ".join(wrong)))
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if other._data.dtype != self._data.dtype:
            raise TypeError(f"expected {_options(self._data.dtype)} (got "
                            f"{_options(other._data.dtype)})")
        out = view_of(make(other._data), other, "reshape", other._data.shape)
        if needs_grad(other):
            record(out, AliasBackward0, (other,))
        return out
    if not args:
        return make(np.zeros((0,), self._data.dtype))
    first = args[0]
    if len(args) == 1 and not isinstance(first, int) and not _is_size(first):
        if isinstance(first, str):
            raise TypeError("new(): invalid data type 'str'")
        return factories.tensor(first, dtype=self.dtype)
    sizes = tuple(first) if len(args) == 1 else args
    for i, s in enumerate(sizes):
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {i + 1} "
                            f"with error \"type must be tuple of ints,but got "
                            f"{errors.type_name(s)}\"")
    return factories.zeros(sizes, dtype=self.dtype)


def _is_size(x):
    return type(x).__name__ == "Size"


# ----- resize, resize_as, resize_as_ ----------------------------------------------------------
@rule
def ResizeBackward(need, g, input_shape):
    # (Resize.backward: grad_output.contiguous().view(input_shape))
    return (P.reshape(g.contiguous() if isinstance(g, Tensor) else np.ascontiguousarray(g),
                      input_shape),)


def _resize(self, sizes):
    """torch.autograd._functions.Resize, step for step (a tuple in sizes is multiplied as
    Python multiplies it, and refused: PyTorch's own message)."""
    sizes = tuple(sizes)
    n = functools.reduce(operator.mul, sizes, 1)
    if self._data.size != n:
        raise RuntimeError(
            f"requested resize to {'x'.join(map(str, sizes))} ({n} elements in total), but the "
            f"given tensor has a size of {'x'.join(map(str, self._data.shape))} "
            f"({self._data.size} elements). autograd's resize can only change the shape of a "
            f"given tensor, while preserving the number of elements. ")
    out = make(np.ascontiguousarray(self._data).reshape(sizes))
    if needs_grad(self):
        record(out, ResizeBackward, (self,), (self._data.shape,))
    return out


@declare(function=False)
def resize(self, *sizes):
    """The deprecated out-of-place resize (torch.autograd._functions.Resize): a new shape of
    the same number of elements."""
    errors.warn("non-inplace resize is deprecated", stacklevel=2)
    return _resize(self, sizes)


@declare(function=False)
def resize_as(self, tensor):
    """The deprecated out-of-place resize_as: resize to tensor's shape."""
    errors.warn("non-inplace resize_as is deprecated", stacklevel=2)
    return _resize(self, tensor._data.shape)


@declare(tensor_first=True)
def resize_as_(self, the_template, *, memory_format=None):
    """resize_ to the template's shape, in place."""
    if not isinstance(the_template, Tensor):
        raise TypeError(f"resize_as_(): argument 'the_template' (position 1) must be Tensor, not "
                        f"{errors.type_name(the_template)}")
    return resize_(self, *the_template._data.shape)


# ----- apply_, map_, map2_: a Python callable over the elements -------------------------------
def _python_map(self, name, fn, others):
    if self._requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")
    for k, (o, arg) in enumerate(zip(others, ("other",) if len(others) == 1 else ("x", "y"))):
        if not isinstance(o, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {k + 1}) must be Tensor, not "
                            f"{errors.type_name(o)}")
    d = self._data
    arrays = [np.broadcast_to(o._data, d.shape) for o in others]
    kind = d.dtype.kind
    cast = bool if kind == "b" else int if kind in "iu" else float
    values = []
    for x in (np.ndindex(d.shape) if d.ndim else [()]):
        args = [d[x].item()] + [a[x].item() for a in arrays]
        v = fn(*args)
        if not isinstance(v, (int, float, bool)):
            raise TypeError(f"must be real number, not {errors.type_name(v)}")
        values.append(cast(v))
    d[...] = np.array(values, d.dtype).reshape(d.shape) if values else d
    self._vc[0] += 1
    return self


@declare(function=False)
def apply_(self, callable):
    """Replace each element x by callable(x), in place (no autograd, as PyTorch)."""
    return _python_map(self, "apply_", callable, ())


@declare(function=False)
def map_(self, tensor, callable):
    """Replace each element x by callable(x, y), y tensor's element, in place."""
    return _python_map(self, "map_", callable, (tensor,))


@declare(function=False)
def map2_(self, x, y, callable):
    """Replace each element a by callable(a, b, c), b and c x's and y's elements, in place."""
    return _python_map(self, "map2_", callable, (x, y))


# ----- predicates and properties of a strided CPU tensor --------------------------------------
def _false_property(name):
    def prop(self):
        return False
    prop.__name__ = prop.__qualname__ = name
    prop.__module__ = __name__
    prop.__doc__ = f"False: gradsh's tensors are strided, dense CPU tensors ({name})."
    return declare(name=name, prop=True, function=False)(prop)


@declare(prop=True, function=False)
def is_meta(self):
    """A tensor of the 'meta' device: a shape and a dtype without data (core/meta.py)."""
    return type(self._data) is MetaArray


for _name in ("is_mps", "is_xpu", "is_sparse_csr", "is_quantized",
              "is_nested", "is_mkldnn", "is_vulkan", "is_xla", "is_ipu", "is_maia", "is_mtia"):
    _false_property(_name)
del _name


@declare(prop=True, function=False)
def nbytes(self):
    """The bytes of the tensor's elements (its view's, not its storage's)."""
    return self._data.size * self._data.itemsize


@declare(prop=True, function=False)
def itemsize(self):
    """The bytes of one element."""
    return self._data.itemsize


_SHARED = weakref.WeakValueDictionary()  # id -> the numpy array owning a "shared" storage


def _owner(d):
    while isinstance(d.base, np.ndarray):
        d = d.base
    return d


@declare(function=False)
def is_shared(self):
    """Whether share_memory_() was called on this storage."""
    owner = _owner(self._data)
    return _SHARED.get(id(owner)) is owner


@declare(function=False)
def share_memory_(self):
    """Mark the storage shared (there are no other processes to share it with): is_shared()
    is True afterwards, as in PyTorch."""
    owner = _owner(self._data)
    _SHARED[id(owner)] = owner
    return self


@declare(function=False)
def is_pinned(self, device=None):
    """False: no pinned memory without an accelerator."""
    if isinstance(device, str):
        device = _device.device(device)  # (PyTorch's error for a device string it cannot read)
    if type(device) is int:  # an accelerator's index
        raise RuntimeError("Cannot access accelerator device when none is available.")
    if device is not None and not isinstance(device, _device.device):
        raise TypeError("is_pinned(): argument 'device' (position 1) must be torch.device, not "
                        + errors.type_name(device))
    return False


@declare(function=False)
def pin_memory(self, device=None):
    """PyTorch's error on a machine without an accelerator; a device named (deprecated) is
    read first: a string PyTorch cannot read, or a device that is no accelerator, says so."""
    if isinstance(device, str):
        device = _device.device(device)  # (PyTorch's error for a device string it cannot read)
    if isinstance(device, _device.device):
        if device.type == "cuda":
            raise RuntimeError(_device.NO_CUDA_LIBRARY)
        if device.type in ("cpu", "meta"):
            raise RuntimeError("%s device type not an accelerator." % device.type.upper())
    raise RuntimeError("Cannot access accelerator device when none is available.")


@declare(function=False)
def dim_order(self, *, ambiguity_check=False):
    """The dims from outermost to innermost in memory (a stable sort of the strides)."""
    st = self.stride()
    return tuple(sorted(range(len(st)), key=lambda k: -st[k]))


@declare(function=False)
def const_data_ptr(self):
    """The address of the first element (data_ptr's, read-only by contract)."""
    return self.data_ptr()


@declare(tensor_first=True)
def is_nonzero(self):
    """The truth of a one-element tensor."""
    n = self._data.size
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(self._data.reshape(()).item())


# ----- unravel_index, nonzero_static, isreal --------------------------------------------------
@declare(method=False)
def unravel_index(indices, shape):
    """The coordinates in `shape` of flat indices: a tuple of one tensor per dim (PyTorch's
    Python composition: indices // strides % shape, unbound along the last dim)."""
    if not isinstance(indices, Tensor):  # (PyTorch's code calls indices.is_complex() first)
        if isinstance(indices, _dtypes.dtype):  # a dtype's is_complex is a bool
            raise TypeError("'bool' object is not callable")
        raise errors.no_attribute(indices, "is_complex")
    if indices._data.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, bool) or not isinstance(shape, (int, tuple, list, str)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got "
                        f"{type(shape)}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    for s in shape:
        if not isinstance(s, int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(s)}")
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    coefs = [1] * len(shape)
    for k in range(len(shape) - 2, -1, -1):
        coefs[k] = coefs[k + 1] * shape[k + 1]
    with np.errstate(divide="ignore"):
        out = (indices._data.astype(np.int64)[..., None] // np.array(coefs, np.int64)
               ) % np.array(shape, np.int64)
    return unbind(make(out), -1)


@declare(tensor_first=True)
def nonzero_static(input, *, size, fill_value=-1):
    """nonzero's (n, ndim) indices, cut or padded with fill_value to `size` rows."""
    if not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    d = input._data
    check_alloc((size, d.ndim), np.int64)
    found = np.argwhere(d)[:size] if d.ndim else np.zeros((min(size, int(bool(d))), 0), np.int64)
    out = np.full((size, d.ndim), fill_value, np.int64)
    out[:len(found)] = found
    return make(out)


@declare(tensor_first=True)
def isreal(input):
    """True where the imaginary part is 0: everywhere for a real tensor."""
    d = input._data
    if d.dtype.kind == "c":
        return make(d.imag == 0)
    return make(np.ones(d.shape, np.bool_))
