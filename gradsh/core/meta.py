"""The 'meta' device: tensors with a shape, a dtype and autograd history but no data.

A meta tensor's array is a `MetaArray`: a numpy array whose strides are all zero over one
element, so a (10**6, 10**6) meta tensor costs one element of memory. The ops need no meta
kernels of their own: numpy hands every ufunc call (elementwise ops, matmul, reductions via
`ndarray.sum`...) to `MetaArray.__array_ufunc__`, which works out the result's shape and dtype
from stand-ins of one element per dimension and returns another zero-stride MetaArray, without
computing; views (reshape, transpose, indexing by slices) are numpy views and stay MetaArrays.
The other numpy functions (`__array_function__`) run on the zero-stride stand-in itself, which
costs time and memory in proportion to the result, not to the inputs' data (there is none).
Writes into a meta tensor (in-place ops, nn.init) do nothing.

PyTorch's texts for what a meta tensor cannot do (`.item()`, `.tolist()`, `.numpy()`, copying
to the CPU, mixing with CPU tensors) live here too.
"""

import numpy as np

__all__ = ["view_strides", "same_device", "check_mask_key", "no_meta_kernel", "NONZERO", "MetaArray", "meta_like", "empty_meta", "is_meta_array", "any_meta", "as_array", "NO_DATA",
           "NO_ITEM", "NO_NUMPY", "wrong_device", "device_of", "mixed", "check_devices"]

NO_DATA = "Cannot copy out of meta tensor; no data!"
NO_ITEM = "Tensor.item() cannot be called on meta tensors"
NO_NUMPY = ("can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the "
            "tensor to host memory first.")


# PyTorch's words for ops whose result's shape depends on the data (nonzero, a boolean mask)
NONZERO = ("The register_meta function for torch.nonzero() raises unimplemented by default, as a "
           "correct data-independent implementation does not exist. This implementation returns "
           "a fake value, assuming all elements of the tensor are non-zero. To enable this "
           "registration, please set "
           "'torch.fx.experimental._config.meta_nonzero_assume_all_nonzero' to True.")


def no_meta_kernel(name):
    """PyTorch's NotImplementedError for an op without a meta kernel (aten::equal, ...)."""
    return NotImplementedError(
        f"aten::{name}: attempted to run this operator with Meta tensors, but there was no fake "
        "impl or Meta kernel registered. You may have run into this message while using an "
        "operator with PT2 compilation APIs (torch.compile/torch.export); in order to use this "
        "operator with those APIs you'll need to add a fake impl. Please see the following for "
        "next steps:  https://pytorch.org/tutorials/advanced/custom_ops_landing_page.html")


def wrong_device(found, expected):
    """PyTorch's words when a meta tensor meets a CPU tensor in one op."""
    return f"Tensor on device {found} is not on the expected device {expected}!"


class MetaArray(np.ndarray):
    """The data of a meta tensor: zero strides over one element (see the module docstring)."""

    _gradsh_meta = True  # (memory.check_made: the size limit is for real data)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        if out is not None:
            # writing into a real array from a meta one leaves it as it was (no data to write);
            # writing into a meta array writes nothing either
            outs = out if isinstance(out, tuple) else (out,)
            if all(isinstance(o, MetaArray) for o in outs):
                return outs[0] if len(outs) == 1 else outs
        plain = [_small(a) for a in inputs]
        if method == "__call__":
            result = ufunc(*plain, **kwargs)
            shape = _call_shape(ufunc, inputs)
        elif method == "reduce":
            a = inputs[0]
            axis = kwargs.pop("axis", 0)
            keep = kwargs.pop("keepdims", False)
            kwargs.pop("where", None)
            kwargs.pop("initial", None)
            ndim = np.ndim(a)
            axes = tuple(range(ndim)) if axis is None else \
                tuple(x % max(ndim, 1) for x in (axis if isinstance(axis, tuple) else (axis,)))
            if ufunc.identity is None and any(np.shape(a)[x] == 0 for x in axes):
                ufunc.reduce(np.zeros(np.shape(a), np.asarray(a).dtype), axis=axis)  # (its error)
            result = ufunc.reduce(plain[0], axis=axis, keepdims=True, **kwargs)
            shape = tuple(1 if i in axes else d for i, d in enumerate(np.shape(a)))
            if not keep:
                shape = tuple(d for i, d in enumerate(np.shape(a)) if i not in axes)
        elif method == "accumulate":
            result = ufunc.accumulate(plain[0], **kwargs)
            shape = np.shape(inputs[0])
        elif method == "outer":
            result = ufunc.outer(*plain, **kwargs)
            shape = np.shape(inputs[0]) + np.shape(inputs[1])
        elif method == "at":
            return None  # (writes into a meta array: nothing to write)
        else:
            return NotImplemented
        if isinstance(result, tuple):
            return tuple(empty_meta(shape, r.dtype) for r in result)
        return empty_meta(shape, np.asarray(result).dtype)

    def __array_function__(self, func, types, args, kwargs):
        if func is np.copyto:
            dst = args[0] if args else kwargs.get("dst")
            if isinstance(dst, MetaArray):
                return None
        result = func(*_plain_all(args), **_plain_all(kwargs))
        return _wrap(result)

    def __setitem__(self, key, value):
        pass  # (a meta tensor has no data to write)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        return empty_meta(self.shape, np.dtype(dtype))

    def copy(self, order="C"):
        return empty_meta(self.shape, self.dtype)

    __copy__ = copy

    def __deepcopy__(self, memo):
        return empty_meta(self.shape, self.dtype)

    def tolist(self):
        raise NotImplementedError(NO_DATA)

    def item(self, *args):
        raise RuntimeError(NO_ITEM)

    def __reduce__(self):
        return (empty_meta, (self.shape, self.dtype))


def _small(a):
    """A stand-in with one element per dimension (the dtype is what matters)."""
    if isinstance(a, np.ndarray):
        return np.zeros((1,) * a.ndim, a.dtype)
    return a


def _plain(a):
    if isinstance(a, MetaArray):
        return a.view(np.ndarray)
    return a


def _plain_all(v):
    if isinstance(v, (list, tuple)):
        return type(v)(_plain_all(x) for x in v)
    if isinstance(v, dict):
        return {k: _plain_all(x) for k, x in v.items()}
    return _plain(v)


def _wrap(result):
    if isinstance(result, np.generic):  # (np.argmax of a whole array: a numpy scalar)
        return empty_meta((), result.dtype)
    if isinstance(result, np.ndarray):
        return result if isinstance(result, MetaArray) else empty_meta(result.shape, result.dtype)
    if isinstance(result, (tuple, list)):
        return type(result)(_wrap(r) for r in result)
    return result


def check_mask_key(key):
    """A meta tensor indexed by a boolean mask: the result's shape is the mask's count of
    True, which a meta tensor does not have (PyTorch's nonzero error)."""
    for k in key if type(key) is tuple else (key,):
        if isinstance(k, np.ndarray) and k.dtype == np.bool_ and k.ndim:
            raise NotImplementedError(NONZERO)


def same_device(*inputs, expected=None):
    """PyTorch's error for a meta tensor and a CPU tensor of one or more dims in one op (a 0-d
    CPU tensor is a scalar there; matmul takes either, as PyTorch's meta kernel does). The
    device expected is the first input's, or `expected`'s ("cpu", "meta") where the op
    checks against another argument (a loss against its target)."""
    first = expected
    for a in inputs:
        if isinstance(a, np.ndarray):
            dev = "meta" if type(a) is MetaArray else "cpu" if a.ndim else None
            if dev is None:
                continue
            if first is None:
                first = dev
            elif dev != first:
                raise RuntimeError(wrong_device(dev, first))


def device_of(a):
    """'meta' or 'cpu' for a tensor's array."""
    return "meta" if type(a) is MetaArray else "cpu"


def check_devices(*tensors, against=None):
    """PyTorch's error where an op that checks devices meets a meta tensor and a CPU one (None
    entries skipped): the device expected is the first tensor's, or `against`'s (a loss
    checks its input against the target). A cheap test first: most calls mix nothing."""
    meta = cpu = False
    for t in tensors:
        d = getattr(t, "_data", None)
        if d is not None:
            if type(d) is MetaArray:
                meta = True
            else:
                cpu = True
    if meta and cpu:
        same_device(*[t._data for t in tensors if getattr(t, "_data", None) is not None],
                    expected=None if against is None else device_of(against._data))


def mixed(*arrays):
    """Do a meta array and a CPU one meet here (None entries skipped)? A cheap test, for the
    ops that check devices on their hot path."""
    meta = cpu = False
    for a in arrays:
        if a is not None:
            if type(a) is MetaArray:
                meta = True
            else:
                cpu = True
    return meta and cpu


def _call_shape(ufunc, inputs):
    shapes = [np.shape(a) for a in inputs]
    if ufunc is np.matmul:
        a, b = shapes
        if len(a) == 0 or len(b) == 0:
            raise ValueError("matmul: Input operand does not have enough dimensions")
        a1, b1 = len(a) == 1, len(b) == 1
        a = (1,) + a if a1 else a
        b = b + (1,) if b1 else b
        if a[-1] != b[-2]:
            raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, "
                             f"with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {b[-2]} is "
                             f"different from {a[-1]})")
        batch = np.broadcast_shapes(a[:-2], b[:-2])
        return batch + (() if a1 else (a[-2],)) + (() if b1 else (b[-1],))
    if ufunc.signature is not None:
        raise NotImplementedError(f"gradsh has no shape rule for {ufunc.__name__} on meta "
                                  "tensors")
    return np.broadcast_shapes(*shapes)


def empty_meta(shape, dtype):
    """A MetaArray of `shape` and `dtype`: zero strides over one zero element."""
    shape = tuple(int(d) for d in shape)
    base = np.zeros(1, dtype)
    arr = np.lib.stride_tricks.as_strided(base, shape, (0,) * len(shape), writeable=False)
    return arr.view(MetaArray)


def meta_like(data):
    """The meta version of a numpy array (its shape and dtype, no data)."""
    return empty_meta(data.shape, data.dtype)


def is_meta_array(data):
    return isinstance(data, MetaArray)


def any_meta(*arrays):
    return any(isinstance(a, MetaArray) for a in arrays)


def as_array(x, dtype=None):
    """np.asarray(x, dtype) that keeps a meta array a meta array (np.asarray would make it a
    plain view of its one element, and the op's result a CPU tensor)."""
    if type(x) is MetaArray:
        return x if dtype is None or x.dtype == dtype else empty_meta(x.shape, dtype)
    return np.asarray(x, dtype)


def view_strides(root_shape, steps):
    """PyTorch's strides (in elements) of a meta view: its recorded view steps (ops/views.py)
    replayed on a stand-in laid out as a contiguous tensor of the root's shape, one byte an
    element. numpy's views only compute strides, never read, and a reshape is a `shape`
    assignment, which never copies; None where a step is not replayed so (a folded chain, the
    complex views, unfold), then the caller's contiguous strides."""
    st, step = [], 1
    for size in reversed(root_shape):
        st.append(step)
        step *= size if size > 1 else 1
    a = np.lib.stride_tricks.as_strided(np.zeros(1, np.uint8), root_shape, st[::-1],
                                        writeable=False)
    for kind, arg in steps:
        if kind == "reshape":
            a = a.view()
            try:
                a.shape = arg
            except AttributeError:
                return None
        elif kind == "index":
            a = a[arg]
        elif kind == "permute":
            a = a.transpose(arg)
        elif kind == "diagonal":
            a = np.diagonal(a, *arg)
        elif kind == "expand":
            a = np.broadcast_to(a, arg)
        elif kind == "as_strided":
            a = np.lib.stride_tricks.as_strided(a, arg[0], arg[1], writeable=False)
        elif kind != "conj":
            return None
    return tuple(a.strides)
