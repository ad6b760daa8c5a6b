"""The Tensor: a numpy array with autograd history, behaving and printing as PyTorch's."""

from .torchclass import TorchClass
import copy
import operator
import warnings
import itertools
import weakref

import numpy as np

from . import dtypes, errors, grad_mode
from .device import CPU, META
from .dtypes import Size
from .hooks import add_hook, post_accumulate as _post_accumulate, seen as _hooks_seen
from .layout import (channels_last, channels_last_3d, contiguous_strides, dense_channels_last,
                     is_channels_last, strided)
from .memory import check_made, limits as _limits
from .meta import MetaArray, view_strides as _view_strides, NO_DATA as _NO_DATA, NO_ITEM as _NO_ITEM, NO_NUMPY as _NO_NUMPY
from .printing import format_tensor
from .storage import TypedStorage, UntypedStorage, warn_typed_storage

_ndarray = np.ndarray
_state = grad_mode.state
_np_to_dtype = dtypes._BY_NP
_InferenceVersion = grad_mode.InferenceVersion
_CPU = CPU

_UNINITIALIZED_USE = (
    "Attempted to use an uninitialized parameter in {}. This error happens when you are using a "
    "`LazyModule` or explicitly manipulating `torch.nn.parameter.UninitializedParameter` "
    "objects. When using LazyModules Call `forward` with a dummy batch to initialize the "
    "parameters before calling torch functions")
_UNINITIALIZED_SHAPE = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens "
    "in `load_state_dict` when trying to load an uninitialized parameter into an initialized "
    "one. Call `forward` to initialize the parameters before accessing their attributes.")


class Unmaterialized(np.ndarray):
    """The array of an nn.parameter.UninitializedParameter / UninitializedBuffer (a lazy
    module's tensor before its first call): numpy refuses to compute with it, and its shape
    cannot be read, with PyTorch's messages; `kind` is the class name it prints as. Only the
    tensor's array is special, so the ops' fast paths pay nothing for it."""

    kind = "UninitializedParameter"

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        name = _TORCH_REDUCTION_NAMES.get(name, name) if method == "reduce" else name
        raise ValueError(_UNINITIALIZED_USE.format(
            f"<method '{_TORCH_UFUNC_NAMES.get(name, name)}' of 'torch._C.TensorBase' objects>"))

    def __array_function__(self, func, types, args, kwargs):
        raise ValueError(_UNINITIALIZED_USE.format(f"<function {func.__name__}>"))

    @property
    def shape(self):
        raise RuntimeError(_UNINITIALIZED_SHAPE)


_TORCH_REDUCTION_NAMES = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min"}
_TORCH_UFUNC_NAMES = {"multiply": "mul", "subtract": "sub", "true_divide": "div",
                      "negative": "neg", "power": "pow", "absolute": "abs"}


class _TensorClass(TorchClass):
    """Tensor's metaclass, for one thing only: the class prints as PyTorch's does
    (`<class 'torch.Tensor'>`, what `type(t)` and `print(torch.Tensor)` show); subclasses print
    as Python prints them."""



_FLOAT_WARNED = errors.once_flags([])  # float() of a tensor requiring grad warns once per process

class Tensor(metaclass=_TensorClass):
    """A multi-dimensional array that can record the operations applied to it.

    This module holds the data and its autograd fields; the ops, the legacy constructor
    (torch.Tensor([1, 2])) and backward() are bound by gradsh/core/bindings.py, above the layers
    they need (ops, factories, the engine)."""

    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad", "_vc", "_base", "_acc",
                 "_hooks", "_output_nr", "_retains_grad", "_view", "_views", "__weakref__")
    # _view: for a view, how it derives from its base (ops/views.py); None otherwise.
    # _views: a base's live views; left unset until a view is made (ordinary ops never pay).

    # ndarray defers to Tensor's reflected operators (ndarray * Tensor -> Tensor.__rmul__).
    __array_ufunc__ = None
    __array_priority__ = 1000
    _repr_prefix = ""  # nn.Parameter's is "Parameter containing:\n"
    _repr_name = "tensor"  # a program's subclass prints its own name: `MyT([1., 2.])`
    _repr_wrap = None  # a program's subclass of nn.Parameter: `Parameter(MyP([1.]))`

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        TENSOR_TYPES.add(cls)  # every subclass takes the ops' fast paths as Tensor does
        for hook in SUBCLASS_HOOKS:  # __torch_function__'s dispatch (core/overrides.py)
            hook(cls)
        if "_repr_name" not in cls.__dict__:  # gradsh's own classes (Parameter) set theirs
            cls._repr_name = cls.__name__

    @staticmethod
    def _make(data):
        if data.size > _limits.quick:  # every tensor is made here: the tensor limit's backstop
            check_made(data)
        t = _new(Tensor)
        t._data = data
        t._requires_grad = False
        t._grad_fn = None
        t._grad = None
        t._vc = [0]
        t._base = None
        t._acc = None
        t._hooks = None
        t._output_nr = 0
        t._retains_grad = False
        t._view = None
        return t

    def is_inference(self):
        """Was this tensor made in inference mode (or is it a view or detach() of one)?"""
        return type(self._vc) is _InferenceVersion

    # ----- autograd attributes -------------------------------------------------------------
    @property
    def grad_fn(self):
        view = self._view
        if view is not None:
            if view.stale:
                raise RuntimeError(view.stale)
            if view.version is not None and view.version != self._vc[0] and self._requires_grad:
                view.refresh(self)
        return self._grad_fn

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if not isinstance(flag, bool):
            raise RuntimeError("requires_grad must be a bool")
        if self._grad_fn is not None:
            if flag:
                return
            raise RuntimeError(errors.NONLEAF_REQUIRES_GRAD)
        if flag and self._data.dtype.kind not in "fcV":
            raise RuntimeError(errors.ONLY_FLOAT_ATTR)
        if flag and type(self._vc) is _InferenceVersion and not _state.inference:
            raise RuntimeError(errors.INFERENCE_REQUIRES_GRAD)
        self._requires_grad = bool(flag)
        _views_follow(self)

    @requires_grad.deleter
    def requires_grad(self):
        raise RuntimeError("requires_grad must be a bool")  # (PyTorch's: del sets it to None)

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad in place (leaves only; the flag defaults to True). Returns self."""
        if type(requires_grad) is not bool:  # (PyTorch names no position for requires_grad=)
            requires_grad = bool_arg(requires_grad, "requires_grad", "requires_grad_", 1)
        if self._grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(errors.NONLEAF_REQUIRES_GRAD)
        if requires_grad and self._data.dtype.kind not in "fcV":
            raise RuntimeError(errors.ONLY_FLOAT_METHOD)
        if requires_grad and type(self._vc) is _InferenceVersion and not _state.inference:
            raise RuntimeError(errors.INFERENCE_REQUIRES_GRAD)
        self._requires_grad = bool(requires_grad)
        _views_follow(self)
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None  # (the property: a view refused since its base changed raises)

    @property
    def grad(self):
        if self._grad is None and self._grad_fn is not None and not self._retains_grad:
            warnings.warn(errors.NONLEAF_GRAD_WARNING + errors.triggered_at(
                "build/aten/src/ATen/core/TensorBody.h:493"), UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is None:  # (x.grad = None, once per training step: no test after this one)
            self._grad = None
            return
        if value is self:
            raise RuntimeError("can't assign Variable as its own grad")
        if not isinstance(value, Tensor):
            raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                            f"type {type(value).__name__}")
        if value._data.dtype != self._data.dtype:
            want = _np_to_dtype[self._data.dtype]
            raise RuntimeError(
                "attempting to assign a gradient with dtype "
                f"'{dtypes.c_name(value._data.dtype)}' to a tensor with "
                f"grad_dtype '{want._short}'. The gradient must match the tensor's grad_dtype "
                "(defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute "
                "with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. "
                "Diverging the dtypes of a tensor and its gradient may break downstream systems "
                "that assume they match.")
        # PyTorch checks dtype, then device, then size (python_variable.cpp's set_grad)
        if (type(value._data) is MetaArray) is not (type(self._data) is MetaArray):
            raise RuntimeError(
                f"attempting to assign a gradient with device type '{value.device.type}' to a "
                f"tensor with device type '{self.device.type}'. Please ensure that the gradient "
                "and the tensor are on the same device")
        if value._data.shape != self._data.shape:
            raise RuntimeError(
                f"attempting to assign a gradient of size '{errors.shape_str(value.shape)}' to "
                f"a tensor of size '{errors.shape_str(self.shape)}'. Please ensure that the "
                "gradient and the tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        return self._retains_grad

    def retain_grad(self):
        """Keep .grad for this non-leaf tensor after backward (leaves always keep it)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        node = self._grad_fn
        _hooks_seen.any = True
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    def register_hook(self, hook):
        """Run hook(grad) when this tensor's gradient is computed; it may return a new gradient."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            _hooks_seen.leaf = True
            if self._hooks is None:
                self._hooks = {}
                acc = self._acc() if self._acc is not None else None
                if acc is not None:
                    acc._tensor_hooks = {0: self._hooks}  # the engine runs them from there
            return add_hook(self._hooks, hook)
        node = self._grad_fn
        if node._tensor_hooks is None:
            node._tensor_hooks = {}
        table = node._tensor_hooks.setdefault(self._output_nr, {})
        return add_hook(table, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Run hook(self) after a backward pass has accumulated into this leaf's .grad."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        key = id(self)
        if key not in _post_accumulate:
            _post_accumulate[key] = {}
            weakref.finalize(self, _post_accumulate.pop, key, None)
        _hooks_seen.leaf = True
        return add_hook(_post_accumulate[key], hook)

    @property
    def data(self):
        t = Tensor._make(self._data)
        if type(self._vc) is _InferenceVersion:
            t._vc = _InferenceVersion((0,))
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError("Variable data has to be a tensor, but got " + type(value).__name__)
        if self._requires_grad and value._data.dtype.kind not in "fcV":
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        self._data = value._data

    @data.deleter
    def data(self):
        raise RuntimeError("Deleting tensor data is not allowed. Delete tensor instead!")

    def detach(self):
        """A tensor sharing this one's storage (and version counter) with no history."""
        t = Tensor._make(self._data)
        t._vc = self._vc
        if CONJ_BIT and id(self) in CONJ_BIT:
            set_conj_bit(t)
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as "
                "True, gradients are views of DDP buckets, and hence detach_() cannot be called on "
                "these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                "function in torch/optim/optimizer.py as the solution.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def _version(self):
        if type(self._vc) is _InferenceVersion:
            raise RuntimeError(errors.INFERENCE_VERSION)
        return self._vc[0]

    def _is_view(self):
        """True for a view of another tensor (its `_base`); PyTorch documents it beside _base."""
        return self._base is not None

    @property
    def output_nr(self):
        return self._output_nr

    # ----- shape and type ------------------------------------------------------------------
    @property
    def shape(self):
        return Size.of(self._data.shape)

    def size(self, dim=None):
        """The shape as torch.Size, or the size of one dimension."""
        if dim is None:
            return Size.of(self._data.shape)
        return self._data.shape[_size_dim(dim, self._data.ndim, "size")]

    @property
    def dtype(self):
        return _np_to_dtype[self._data.dtype]

    @property
    def device(self):
        return META if type(self._data) is MetaArray else _CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return type(self._data) is not MetaArray

    def get_device(self):
        """-1: the CPU (a CUDA tensor would give its device index)."""
        return -1

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self._data.dtype.kind in "fV"

    @property
    def layout(self):
        return strided  # (a sparse tensor's class says torch.sparse_coo: core/sparse.py)

    def is_contiguous(self, *, memory_format=None):
        """Are the elements in memory in row-major order (or (n, h, w, c) order, for
        memory_format=torch.channels_last)? Strides of size-1 dims do not matter."""
        if memory_format is channels_last:
            return is_channels_last(self._data)
        if memory_format is channels_last_3d:
            return self._data.ndim == 5 and dense_channels_last(self._data)
        if type(self._data) is MetaArray:  # (zero strides: PyTorch's are the view's)
            return all(n == 1 or s == c for n, s, c in zip(
                self._data.shape, self.stride(), contiguous_strides(self._data.shape)))
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim=None):
        d = self._data
        # numpy's strides of an empty array are arbitrary, and a meta tensor's are all 0:
        # PyTorch's contiguous ones
        if d.size == 0 or type(d) is MetaArray:
            if d.size and self._view is not None:  # (a meta view: its steps' strides)
                st = _view_strides(self._base._data.shape, self._view.steps)
                if st is not None:
                    return st if dim is None else st[_size_dim(dim, d.ndim, "stride")]
            empty = self._view.empty if self._view is not None else None
            st = contiguous_strides(d.shape) if empty is None else empty[1]  # (a slice's)
        else:
            st = tuple(s // d.itemsize for s in d.strides)
        return st if dim is None else st[_size_dim(dim, self._data.ndim, "stride")]

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def storage_offset(self):
        """Where this tensor starts in its storage, in elements (a view's offset in its base)."""
        if not self._data.size and self._view is not None and self._view.empty is not None:
            return self._view.empty[0]  # an empty slice (ops/shape.py slice_dim)
        start = self._data.__array_interface__["data"][0]
        return (start - UntypedStorage(self).data_ptr()) // self._data.itemsize

    def untyped_storage(self):
        """The bytes of the memory this tensor lives in (shared with its views)."""
        return UntypedStorage(self)

    def storage(self):
        """The elements of the memory this tensor lives in (PyTorch's deprecated TypedStorage,
        with its warning)."""
        warn_typed_storage()
        return TypedStorage(self)

    def is_set_to(self, tensor):
        """True when both tensors are the same memory: one storage, offset, shape and strides
        (views of it that differ in any of them are not; the dtype is not asked, as PyTorch)."""
        return (UntypedStorage(self).data_ptr() == UntypedStorage(tensor).data_ptr() and self.data_ptr() ==
                tensor.data_ptr() and self._data.shape == tensor._data.shape
                and self.stride() == tensor.stride())

    # ----- conversion to Python ------------------------------------------------------------
    def item(self, *extra):
        """The value of a one-element tensor as a Python number."""
        if extra:   # (PyTorch's C method's words)
            raise TypeError(f"TensorBase.item() takes no arguments ({len(extra)} given)")
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        if type(self._data) is MetaArray:
            raise RuntimeError(_NO_ITEM)
        return self._data.reshape(()).item()

    def tolist(self, *extra):
        """The values as (nested) Python lists of Python numbers."""
        if extra:
            raise TypeError(f"TensorBase.tolist() takes no arguments ({len(extra)} given)")
        if type(self._data) is MetaArray:
            raise NotImplementedError(_NO_DATA)
        return self._data.tolist()

    def numpy(self, *, force=False):
        """The numpy array sharing this tensor's storage (Python library use only)."""
        if self._requires_grad and not force:
            raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
        if self._data.dtype.kind == "V":  # as PyTorch's: numpy has no bfloat16 of its own
            raise TypeError("Got unsupported ScalarType BFloat16")
        if type(self._data) is MetaArray:
            raise TypeError(_NO_NUMPY)
        if has_conj_bit(self):  # (force=True: PyTorch's resolve_conj(), a copy)
            if force:
                return self._data.copy()
            raise RuntimeError("Can't call numpy() on Tensor that has conjugate bit set. Use "
                               "tensor.resolve_conj().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad:
            raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reversed__(self):
        # (PyTorch's: a flipped tensor, iterated by unbind)
        return self if self._data.ndim == 0 else self.flip(0)

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, complex)):
            return bool((element == self).any().item())
        raise RuntimeError("Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")

    def _scalar(self, kind):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if type(self._data) is MetaArray:
            raise RuntimeError(_NO_ITEM)
        value = self._data.reshape(()).item()
        if type(value) is complex and kind is not complex:
            if value.imag != 0:  # PyTorch's checked conversion of a complex Scalar
                raise RuntimeError("value cannot be converted to type %s without overflow"
                                   % ("double" if kind is float else "int64_t"))
            value = value.real
        return kind(value)

    def __float__(self):
        if self._requires_grad and not _FLOAT_WARNED and _state.enabled:  # once, as PyTorch
            _FLOAT_WARNED.append(True)
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first. (Triggered "
                          "internally at /__w/pytorch/pytorch/torch/csrc/autograd/generated/"
                          "python_variable_methods.cpp:822.)", UserWarning, stacklevel=2)
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()).item())

    def __bool__(self):
        if self._data.size != 1:
            if self._data.size == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError(errors.BOOL_AMBIGUOUS)
        if type(self._data) is MetaArray:
            raise RuntimeError(_NO_ITEM)
        return bool(self._data.reshape(()).item())

    def __complex__(self):
        return self._scalar(complex)

    def __hash__(self):
        return id(self)

    def __delitem__(self, key):  # (without it Python's slot for __setitem__ says "__delitem__")
        raise TypeError("Tensor does not support deleting items")

    def __format__(self, spec):
        # PyTorch's rule: a plain 0-d tensor formats as its Python number (f"{loss}" prints
        # 0.25, f"{loss:.4f}" 0.2500); any other tensor only with an empty spec, as str()
        if self._data.ndim == 0 and type(self) is Tensor:  # not a Parameter nor a subclass
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to %s.__format__"
                            % type(self).__name__)
        return str(self)

    def __repr__(self, *, tensor_contents=None):
        if type(self._data) is Unmaterialized:
            return f"<{self._data.kind}>"
        fn = self.grad_fn if self._view is not None and not self._view.stale else self._grad_fn
        name = type(fn).__name__ if fn is not None else None
        if name == "AccumulateGrad":
            name = None
        if self._view is not None and self._view.stale:
            name = "Invalid"  # PyTorch's repr where reading grad_fn raises (a stale no_grad view)
        text = format_tensor(self._data, self.dtype, grad_fn_name=name,
                             requires_grad=self._requires_grad and self._grad_fn is None
                             and name != "Invalid", name=self._repr_name,
                             meta=type(self._data) is MetaArray)
        if self._repr_wrap is not None:
            text = "%s(%s)" % (self._repr_wrap, text)
        return self._repr_prefix + text

    def __str__(self):
        return self.__repr__()  # a subclass's own __repr__, as object.__str__ calls it

    def __reduce__(self):
        return (_rebuild, (self._data.copy(), self._requires_grad, type(self)))

    def __copy__(self):
        # copy.copy: PyTorch's is a new leaf on the same storage (a write through either shows
        # in both), with the flag and a subclass's attributes, without .grad; a non-leaf too
        t = _retype(Tensor._make(self._data), type(self))
        if getattr(self, "__dict__", None):
            t.__dict__.update(self.__dict__)
        t._requires_grad = self._requires_grad
        return t

    def __deepcopy__(self, memo):
        if self._grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.  If you were attempting to "
                               "deepcopy a module, this may be because of a torch.nn.utils.weight_norm "
                               "usage, see https://github.com/pytorch/pytorch/pull/103001")
        t = _retype(Tensor._make(_deepcopied_data(self._data, memo)), type(self))  # (Parameters)
        if getattr(self, "__dict__", None):  # a program's subclass: its attributes too
            t.__dict__.update(copy.deepcopy(self.__dict__, memo))
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = t
        return t


def _deepcopied_data(data, memo):
    """The data of a tensor's deepcopy: tensors sharing memory in what one deepcopy copies share
    the copied memory, as PyTorch's share the copied storage (a copied view still writes
    through to its copied base). The memory is copied once, at its first tensor, in the layout
    it has; memory numpy does not lay out plainly (not C-contiguous) is copied per tensor."""
    root = data
    while isinstance(root.base, np.ndarray):
        root = root.base
    if not root.flags.c_contiguous:
        return data.copy()
    key = ("gradsh memory", id(root))
    copied = memo.get(key)
    if copied is None:
        copied = memo[key] = root.copy()
        memo.setdefault(id(memo), []).append(root)  # (keeps the id meaningful, as copy's memo)
    if data is root:
        return copied
    offset = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return np.ndarray(data.shape, data.dtype, buffer=copied, offset=offset, strides=data.strides)


_new = object.__new__

# The classes whose instances the ops' fast paths take as tensors: Tensor and each subclass
# (nn.Parameter, nn.Buffer, a program's `class MyT(torch.Tensor)`), added as it is defined.
# `type(x) in TENSOR_TYPES` costs about what `type(x) is Tensor` did (benchmarks/icount.py).
TENSOR_TYPES = {Tensor}
SUBCLASS_HOOKS = []  # called with each new subclass of Tensor


# The tensors whose conjugate bit is set (`z.conj()` of a complex z, and views and detached
# copies of it), by id; a weak reference removes each when it dies. A dict beside the class
# rather than a slot: no ordinary tensor pays for the bit (docs/autograd.md, "Complex numbers").
CONJ_BIT = {}


def _views_follow(base):
    """A base's views made before it required grad (or stopped) follow its flag, as PyTorch's
    views read their base's: leaves that require grad, without history (a view that has a node
    keeps it)."""
    views = getattr(base, "_views", None) if base._base is None else None
    if views:
        for ref in views:
            v = ref()
            if v is not None and v._grad_fn is None:
                v._requires_grad = base._requires_grad


def set_conj_bit(t):
    key = id(t)
    CONJ_BIT[key] = weakref.ref(t, lambda _, key=key: CONJ_BIT.pop(key, None))


def clear_conj_bit(t):
    CONJ_BIT.pop(id(t), None)


def has_conj_bit(t):
    return bool(CONJ_BIT) and id(t) in CONJ_BIT


# PyTorch's `z.conj()` is a lazy view of z's memory; numpy has no conjugating view, so gradsh's
# holds the conjugated values in its own array and keeps the two in step: both share one
# version counter, and a write that bumps it (bump in ops/inplace.py) copies the written side's
# values, conjugated, into the other (`sync_conj`). Keyed by the counter's id, each entry a dict
# {number: (weak reference to the conjugate's array, the tensor it conjugates)}; nothing for other
# tensors.
# (The array's, not the tensor's: a view of the conjugate, `z.conj()[0]`, keeps the link while
# the conjugate tensor itself is gone.)
CONJ_LINKS = {}
_LINK_NUMBERS = itertools.count()
# the most conjugates of one memory alive at once (issue 16, round 19): each holds the tensor it
# conjugates, so `z = z.conj().t()` in a loop keeps the whole chain alive, every step costing
# more (10^6 steps: 20-30 s of CPU and gigabytes). PyTorch 2.13 is superlinear there (1,000
# steps 1.1 s, 10^4 past two minutes), so no program PyTorch runs meets this.
MAX_CONJ_LINKS = 100_000


class TooManyConjugates(RuntimeError):
    """More than MAX_CONJ_LINKS conjugates of one tensor's memory alive at once."""

    gradsh_kind = "LimitError"


def link_conj(c, source):
    """Make c (holding conj(source)'s values) follow source's memory and source follow c's."""
    c._vc = vc = source._vc
    key = id(vc)

    n = next(_LINK_NUMBERS)

    def dead(_, key=key, n=n):  # (a dict: one conjugate's end costs O(1), however many there are)
        links = CONJ_LINKS.get(key)
        if links is not None:
            links.pop(n, None)
            if not links:
                CONJ_LINKS.pop(key, None)
    links = CONJ_LINKS.setdefault(key, {})
    if len(links) >= MAX_CONJ_LINKS:
        raise TooManyConjugates(
            f"more than {MAX_CONJ_LINKS} conjugates (conj()) of one tensor's memory alive at "
            "once: above gradsh's limit (each follows the memory it conjugates, so a chain "
            "`z = z.conj()...` made in a loop keeps them all). Use z.resolve_conj() or "
            "z.conj_physical() to start a new memory.")
    links[n] = (weakref.ref(c._data, dead), source)


def sync_conj(t):
    """After a write into t: each tensor linked by conjugation to the written memory takes the
    conjugate of its partner's new values (a chain of conjugates follows in turn)."""
    links = [(ref(), source) for ref, source in CONJ_LINKS.get(id(t._vc), {}).values()]
    links = [(c, source) for c, source in links if c is not None]
    written = [t._data]
    while links:
        for i, (c, source) in enumerate(links):
            if any(np.shares_memory(c, w) for w in written):
                source._data[...] = np.conj(c)
                written.append(source._data)
            elif any(np.shares_memory(source._data, w) for w in written):
                c[...] = np.conj(source._data)
                written.append(c)
            else:
                continue
            del links[i]
            break
        else:
            return


def _make_inference(data):
    """Tensor._make while inference mode is on: the same fields, an inference version counter."""
    if data.size > _limits.quick:
        check_made(data)
    t = _new(Tensor)
    t._data = data
    t._requires_grad = False
    t._grad_fn = None
    t._grad = None
    t._vc = _InferenceVersion((0,))
    t._base = None
    t._acc = None
    t._hooks = None
    t._output_nr = 0
    t._retains_grad = False
    t._view = None
    return t


_MAKE_CODE = Tensor._make.__code__


def _switch_make(inference):
    # Every module keeps Tensor._make's function itself (make = Tensor._make), so its code is
    # swapped rather than the attribute: making an ordinary tensor tests no mode at all.
    Tensor._make.__code__ = _make_inference.__code__ if inference else _MAKE_CODE


grad_mode.on_inference_switch.append(_switch_make)


def _retype(t, cls):
    """t (a new plain Tensor) as an instance of cls: t itself when cls has Tensor's layout
    (nn.Parameter), else a new instance of cls holding t's fields (a program's subclass of
    Parameter has a __dict__, whose layout Python's __class__ assignment refuses)."""
    if cls is Tensor:
        return t
    try:
        t.__class__ = cls
        return t
    except TypeError:
        out = _new(cls)
        for name in Tensor.__slots__:
            if name != "__weakref__" and hasattr(t, name):  # _views is set only on a base
                setattr(out, name, getattr(t, name))
        return out


def _rebuild(data, requires_grad, cls=None):
    t = Tensor._make(data)
    if cls is not None:
        t = _retype(t, cls)
    t._requires_grad = requires_grad
    return t


# the C++ type names (gcc's typeid) PyTorch's messages give for each dtype
_CNAMES = {"float64": "double", "float32": "float", "float16": "c10::Half",
           "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int", "int16": "short int",
           "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
           "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _dim(d, ndim):
    """Normalize a possibly negative dim, with PyTorch's error."""
    if type(d) is not int:
        d = int_arg(d, "dim")
    n = ndim if ndim > 0 else 1
    if d < -n or d >= n:
        raise errors.dim_out_of_range(d, ndim)
    return d + n if d < 0 else d


def _size_dim(d, ndim, method):
    """size(dim) and stride(dim)'s dim, with PyTorch's errors (a 0-d tensor has no dim to name,
    not even 0 or -1)."""
    if type(d) is not int:
        try:
            d = int_arg(d, "dim")
        except TypeError:
            raise TypeError(f"{method}(): argument 'dim' (position 1) must be int, not "
                            f"{errors.type_name(d)}") from None
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return _dim(d, ndim)


def bool_arg(x, name, fn=None, pos=None):
    """A bool argument given as another type: a numpy bool, else PyTorch's TypeError (it takes
    no int, None or tensor for a bool), naming the function `fn` (and the position `pos` of an
    argument given by position) where PyTorch's message does."""
    if isinstance(x, np.bool_):
        return bool(x)
    where = f"{fn}(): " if fn else ""
    at = f" (position {pos})" if pos else ""
    raise TypeError(f"{where}argument '{name}'{at} must be bool, not {errors.type_name(x)}")


def list_item(x, pos):
    """An item of an int-list argument (a size, a shape, dims) as PyTorch's parser reads it:
    an int; a bool after the first item (the parser checks the first item's type only, and a
    bool is an int when the list is read); a numpy integer, an integer tensor of one element,
    or any object with __index__ (a program's own class). Else PyTorch's TypeError (reworded
    with the op's name where the call can be read back)."""
    if type(x) is int:
        return x
    if isinstance(x, (bool, np.bool_)):
        if pos:
            return int(x)
    elif isinstance(x, np.integer):
        return int(x)
    elif isinstance(x, Tensor):
        if x._data.dtype.kind in "iu" and x._data.size == 1:
            return int(x._data.reshape(()))
    elif hasattr(type(x), "__index__"):
        return operator.index(x)
    raise TypeError(f"expected a sequence of integers for a size, but got {type(x).__name__}")


def int_arg(x, name):
    """An int argument: x itself when an int, else what PyTorch's parser takes for one (a numpy
    integer, an integer 0-d tensor without grad) as an int, else its TypeError (a float, a bool,
    None, a list). Callers test `type(x) is int` first (and `x in errors.LONG` where an int past
    int64 would run), so a call that succeeds pays nothing. An int past int64: PyTorch's
    ValueError."""
    if type(x) is int:
        return errors.long(x)
    if isinstance(x, np.integer) or (isinstance(x, int) and not isinstance(x, bool)):
        return errors.long(int(x))  # a subclass of int (an IntEnum member) is an int
    if isinstance(x, Tensor) and x._data.dtype.kind in "iu" and x._data.ndim == 0 \
            and not x.requires_grad:
        return int(x._data)
    raise TypeError(f"argument '{name}' must be int, not {errors.type_name(x)}")
